import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from '../../app/verifier.js';
import { counterNotes } from '../../app/tee/tpm/counters.js';
import { FleetHistory, historyRecord, recordOutcome } from '../../main/fleet/history.js';
import type { FleetOutcome } from '../../main/fleet/run.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const target = { name: 'vm-1', url: 'ssh://root@vm-1' };

async function outcome(): Promise<FleetOutcome> {
  const result = await createVerifier({ crypto: nodeCryptoProvider() }).verify(vectorBytes('tpm/trustee-tpm-evidence.json'), [], {
    at: new Date('2025-01-01T00:00:00Z'),
  });
  return {
    index: 0,
    name: target.name,
    source: target.url,
    verdict: result.verdict,
    tier: result.appraisal.tier,
    tcbStatus: null,
    result,
    startedAt: '2025-01-01T00:00:00.000Z',
    elapsedMs: 5,
  };
}

test('the TPM clock counters of an attested quote are claims, and kept in the history record', async () => {
  const o = await outcome();
  assert.equal(typeof o.result!.claims['tpmResetCount'], 'number');
  assert.equal(typeof o.result!.claims['tpmRestartCount'], 'number');
  const rec = historyRecord(o, target.url);
  assert.equal(rec.claims?.['tpmResetCount'], o.result!.claims['tpmResetCount']);
});

test('a resetCount that goes back since the previous run is a note on the outcome and in the record; equal or higher is not', async () => {
  const history = new FleetHistory(mkdtempSync(join(tmpdir(), 'tee-hist-')));
  const first = await outcome();
  const reset = first.result!.claims['tpmResetCount'] as number;
  const restart = first.result!.claims['tpmRestartCount'] as number;
  await history.append(target, {
    ...historyRecord(first, target.url),
    time: '2024-12-31T00:00:00.000Z',
    claims: { tpmResetCount: reset + 3, tpmRestartCount: 0 },
  });
  const second = await outcome();
  await recordOutcome(history, target, second);
  assert.equal(second.notes?.length, 1);
  assert.match(second.notes![0]!, new RegExp(`TPM resetCount went back from ${reset + 3} to ${reset} since the verification of 2024-12-31`));
  const latest = (await history.latest(target, 1))[0]!;
  assert.deepEqual(latest.notes, second.notes);
  const third = await outcome();
  await recordOutcome(history, target, third);
  assert.equal(third.notes, undefined, 'the same counters as last time are not a regression');
  assert.deepEqual(
    counterNotes({ tpmResetCount: reset, tpmRestartCount: restart + 1 }, third.result!.claims, 'x').length,
    1,
    'restartCount going back with the same resetCount',
  );
  assert.deepEqual(
    counterNotes({ tpmResetCount: reset - 1, tpmRestartCount: restart + 5 }, third.result!.claims, 'x'),
    [],
    'a newer boot may restart its count',
  );
  assert.deepEqual(counterNotes({ tpmResetCount: 'x' }, third.result!.claims, 'x'), [], 'a damaged history record is not a regression');
});
