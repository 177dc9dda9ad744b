import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const LOG = vectorBytes('eventlog/gotdx-ccel-data.bin');
const AT = new Date('2024-07-03T00:00:00Z');
const CMDLINE_START = '/syslinux/vmlinuz.A init=/usr/lib/systemd/systemd rootwait ro';

async function verify(log: Uint8Array | undefined, claims: Record<string, unknown[]>) {
  const reference = parseReferenceValues({ schema: 'tee-inspect/reference/v1', name: 'cos', sets: [{ name: 'cos-113', technology: 'tdx', claims }] });
  const attachments = log ? [{ role: 'eventlog' as const, name: 'ccel.bin', bytes: log }] : [];
  return createVerifier({ crypto: nodeCryptoProvider() }).verify(QUOTE, [], { at: AT, reference, attachments });
}

const diff = (r: Awaited<ReturnType<typeof verify>>, claim: string) => r.appraisal.diffs.find((d) => d.claim === claim);

test('boot claims of a replayed CCEL log are appraised: Secure Boot, db digest, kernel command line compared exactly', async () => {
  const base = await verify(LOG, { 'boot.secureBoot': [false] });
  const boot = base.claims['boot'] as Record<string, unknown>;
  assert.equal(boot['secureBoot'], false);
  assert.ok(String(boot['kernelCmdline']).startsWith(CMDLINE_START));
  const cmdline = String(boot['kernelCmdline']);
  const same = await verify(LOG, { 'boot.kernelCmdline': [cmdline], 'boot.db': [boot['db']], 'boot.secureBoot': [false] });
  assert.deepEqual(
    same.appraisal.diffs.map((d) => d.match),
    [true, true, true],
  );
  // Case matters on a kernel command line: "RO" is not "ro".
  const other = await verify(LOG, { 'boot.kernelCmdline': [cmdline.replace(' ro ', ' RO ')] });
  assert.equal(diff(other, 'boot.kernelCmdline')?.match, false);
  assert.ok(other.errors.some((e) => e.code === 'REFERENCE_MISMATCH'));
  const secure = await verify(LOG, { 'boot.secureBoot': [true] });
  assert.equal(diff(secure, 'boot.secureBoot')?.match, false);
});

test('without a log, or with a log that does not replay, there are no boot claims to match', async () => {
  const none = await verify(undefined, { 'boot.secureBoot': [false] });
  assert.equal(none.claims['boot'], undefined);
  assert.equal(diff(none, 'boot.secureBoot')?.match, false);
  const log = parseEventLog(LOG);
  const altered = LOG.slice();
  altered[log.events[3]!.offset + 14]! ^= 1;
  const bad = await verify(altered, { 'boot.secureBoot': [false] });
  assert.equal(bad.claims['boot'], undefined, 'facts of a log that does not match the quote are never claims');
  assert.equal(diff(bad, 'boot.secureBoot')?.match, false);
});

test('reference files name boot claims strictly: text length, unknown names', () => {
  const ref = (claims: Record<string, unknown[]>) => () =>
    parseReferenceValues({ schema: 'tee-inspect/reference/v1', name: 'x', sets: [{ name: 's', technology: 'tdx', claims }] });
  assert.throws(ref({ 'boot.kernelCmdline': ['x'.repeat(5000)] }), /at most 4096 characters/);
  assert.throws(ref({ 'boot.kernel': ['ab'] }), /is not a tdx claim/);
  assert.throws(ref({ 'boot.kernelDigest': ['ab'.repeat(32)] }), /48 bytes/);
});
