import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { parseReferenceBytes } from '../../app/appraisal/reference.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const LOG = vectorBytes('eventlog/gotdx-ccel-data.bin');
const OTHER_COS = new Uint8Array(readFileSync(new URL('../fixtures/go-eventlog/cos-113-intel-tdx-dupe-separator-unpadded.bin', import.meta.url)));
const AT = new Date('2024-07-03T00:00:00Z');

const verify = (good: Uint8Array, log: Uint8Array | null = LOG) =>
  createVerifier({ crypto: nodeCryptoProvider() }).verify(QUOTE, [], {
    at: AT,
    reference: parseReferenceBytes(good),
    referenceFile: { name: 'good.bin', bytes: good },
    attachments: log ? [{ role: 'eventlog', name: 'ccel.bin', bytes: log }] : [],
  });

const claims = (r: Awaited<ReturnType<typeof verify>>) => r.checks.find((c) => c.id === 'reference.claims')!;

test('an event log file given as the reference is a known-good log', () => {
  const ref = parseReferenceBytes(LOG);
  assert.equal(ref.sets.length, 0);
  assert.equal(ref.knownGoodLog, LOG);
});

test('the same log as the known-good one matches register by register; measurements then count as compared', async () => {
  const r = await verify(LOG);
  assert.equal(claims(r).status, 'pass', claims(r).explain);
  assert.ok(r.appraisal.diffs.length >= 3);
  assert.ok(r.appraisal.diffs.every((d) => d.match));
  assert.ok(!r.notEstablished.includes('measurements'));
});

test('another build as the known-good log: REFERENCE_MISMATCH naming the register and the first differing event in words', async () => {
  const r = await verify(OTHER_COS);
  const c = claims(r);
  assert.equal(c.status, 'fail');
  assert.equal(c.code, 'REFERENCE_MISMATCH');
  assert.match(c.explain, /RTMR\d: /);
  assert.ok(r.appraisal.diffs.some((d) => !d.match && d.claim.startsWith('eventlog.rtmr')));
  assert.equal(r.verdict, 'rejected');
});

test('without a replayed log, or with one that does not replay, nothing is compared', async () => {
  const none = await verify(LOG, null);
  assert.match(claims(none).explain, /no such log of this evidence was replayed/);
  assert.ok(none.notEstablished.includes('measurements'));
  const bad = await verify(LOG, vectorBytes('eventlog/trustee-ccel-ovmf.bin'));
  assert.match(claims(bad).explain, /does not replay to the TD quote's values/);
});
