import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetHistory, HISTORY_LIMIT, defaultHistoryDir, historyRecord } from '../../main/fleet/history.js';
import type { HistoryRecord } from '../../main/fleet/history.js';
import type { FleetOutcome } from '../../main/fleet/run.js';
import { tempDir } from '../support/fleet.js';

const target = { name: 'db-1', url: 'ssh://ops@10.0.0.5' };
const record = (i: number): HistoryRecord => ({
  time: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  name: target.name,
  url: target.url,
  verdict: 'verified',
  tier: 'affirming',
  tcbStatus: 'UpToDate',
  elapsedMs: i,
});
const lines = (h: FleetHistory) => readFileSync(h.fileFor(target), 'utf8').trimEnd().split('\n');

test('bounded: appends until the limit, then keeps the newest `limit` records', async () => {
  const h = new FleetHistory(tempDir('hist-'), 5);
  for (let i = 0; i < 8; i++) await h.append(target, record(i));
  assert.equal(lines(h).length, 5);
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    [3, 4, 5, 6, 7],
    'oldest first',
  );
  assert.deepEqual(
    (await h.latest(target, 2)).map((r) => r.elapsedMs),
    [6, 7],
  );
  assert.deepEqual(await h.latest(target, 0), []);
  assert.equal(HISTORY_LIMIT, 500);
});

test('concurrent appends to one target are queued: none lost, the bound holds', async () => {
  const h = new FleetHistory(tempDir('hist-'), 20);
  await Promise.all(Array.from({ length: 50 }, (_, i) => h.append(target, record(i))));
  assert.equal(lines(h).length, 20);
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    Array.from({ length: 20 }, (_, i) => 30 + i),
  );
});

test('damaged lines are skipped; a line cut by a crash does not swallow the next record', async () => {
  const h = new FleetHistory(tempDir('hist-'), 10);
  await h.append(target, record(1));
  appendFileSync(h.fileFor(target), 'not json\n{"time": 5}\nnull\n[]\n{"time":"x","verdict":"maybe","elapsedMs":1}\n{"time":"2025-');
  await h.append(target, record(2));
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    [1, 2],
  );
  for (let i = 3; i < 12; i++) await h.append(target, record(i));
  assert.equal(lines(h).length, 10, 'the trim drops damaged lines first');
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
});

test('one private file per target, named by a hash: any name is safe, name+url tell targets apart', async () => {
  const dir = tempDir('hist-');
  const h = new FleetHistory(join(dir, 'nested', 'history'));
  const odd = { name: '../../etc/passwd\u0000 ☃', url: target.url };
  await h.append(odd, record(1));
  await h.append(target, record(2));
  await h.append({ ...target, url: 'ssh://ops@10.0.0.6' }, record(3));
  const files = readdirSync(join(dir, 'nested', 'history'));
  assert.equal(files.length, 3);
  assert.ok(files.every((f) => /^[0-9a-f]{32}\.jsonl$/.test(f)));
  assert.equal(statSync(h.fileFor(target)).mode & 0o777, 0o600);
  assert.equal((await h.latest(odd))[0]!.elapsedMs, 1);
  assert.deepEqual(await h.latest({ name: 'never', url: 'ssh://x@y' }), [], 'no history yet');
});

test('a huge damaged file is read from its tail only', async () => {
  const h = new FleetHistory(tempDir('hist-'), 3);
  writeFileSync(h.fileFor(target), 'x'.repeat(6 * 1024 * 1024) + '\n' + JSON.stringify(record(9)) + '\n');
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    [9],
  );
  await h.append(target, record(10));
  assert.deepEqual(
    (await h.latest(target)).map((r) => r.elapsedMs),
    [9, 10],
  );
});

test('historyRecord: compact, key claims only, and the default directory sits beside the host key store', () => {
  const outcome = {
    index: 0,
    name: 'db-1',
    source: 'ssh://ops@10.0.0.5',
    verdict: 'rejected',
    tier: 'contraindicated',
    tcbStatus: 'UpToDate',
    startedAt: '2025-07-19T10:00:00.000Z',
    elapsedMs: 12.7,
    error: { code: 'QUOTE_SIGNATURE_INVALID', message: 'long text' },
    result: {
      technology: 'tdx',
      evidence: { sha256: 'ab'.repeat(32), bytes: 5000 },
      claims: { mrTd: 'aa', rtmr0: 'bb', reportData: 'cc', tdAttributes: 'dd', debug: false, reportedTcb: { snp: 1 } },
      errors: [
        { code: 'QUOTE_SIGNATURE_INVALID', message: 'Failed: Quote is signed — it is not', check: 'dcap.quote.signature' },
        { code: 'COLLATERAL_MISSING', message: 'm'.repeat(500), check: 'dcap.tcb-info.signature' },
      ],
    },
  } as unknown as FleetOutcome;
  const r = historyRecord(outcome, 'ssh://ops@10.0.0.5:22');
  assert.deepEqual(r, {
    time: '2025-07-19T10:00:00.000Z',
    name: 'db-1',
    url: 'ssh://ops@10.0.0.5:22',
    verdict: 'rejected',
    tier: 'contraindicated',
    tcbStatus: 'UpToDate',
    error: 'QUOTE_SIGNATURE_INVALID',
    failures: [
      { code: 'QUOTE_SIGNATURE_INVALID', message: 'Failed: Quote is signed — it is not', check: 'dcap.quote.signature' },
      { code: 'COLLATERAL_MISSING', message: `${'m'.repeat(399)}…`, check: 'dcap.tcb-info.signature' },
    ],
    technology: 'tdx',
    sha256: 'ab'.repeat(32),
    claims: { mrTd: 'aa', rtmr0: 'bb', debug: false },
    elapsedMs: 13,
  });
  const saved = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = '/cfg';
  try {
    assert.equal(defaultHistoryDir(), '/cfg/tee-inspector/history');
  } finally {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
  }
});
