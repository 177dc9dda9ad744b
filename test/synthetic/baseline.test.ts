/** The defaults verify for every quote layout; then freshness (nonce), integrity and debug policy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRejected, assertVerified, status, tcb, verifyScenario, why } from './scenario.js';
import { attributes } from './test-quote.js';
import type { QuoteKind } from './test-quote.js';

const ALL_PASS = [
  'dcap.quote.format',
  'dcap.pck.chain',
  'dcap.pck.validity',
  'dcap.crl.root',
  'dcap.pck.revocation',
  'dcap.qe-report.signature',
  'dcap.qe-report.binding',
  'dcap.quote.signature',
  'dcap.qe-identity.signature',
  'dcap.qe-identity.validity',
  'dcap.qe-identity.match',
  'dcap.qe-identity.tcb',
  'dcap.tcb-info.signature',
  'dcap.tcb-info.validity',
  'dcap.tcb-info.platform',
  'dcap.tcb.level',
  'dcap.tcb.status',
  'dcap.policy.debug',
];

for (const kind of ['sgx-v3', 'sgx-v4', 'sgx-v5', 'tdx-v4', 'tdx-v5'] as QuoteKind[]) {
  test(`synthetic baseline ${kind}: the defaults verify and affirm`, async () => {
    const r = await verifyScenario({ kind });
    assert.equal(r.verdict, 'verified', why(r));
    assert.deepEqual(r.errors, []);
    assert.equal(r.cryptoValid, true);
    assert.equal(r.appraisal.tier, 'affirming', why(r));
    assert.equal(r.format, kind.replace('-v', '-quote-v'));
    assert.equal(tcb(r)?.status, 'UpToDate');
    assert.deepEqual(tcb(r)?.advisories, []);
    for (const id of ALL_PASS) assert.equal(status(r, id), 'pass', `${id}\n${why(r)}`);
    assert.equal(status(r, 'dcap.nonce'), 'skip');
    if (kind.startsWith('tdx')) {
      assert.equal(status(r, 'dcap.tdx-module'), 'pass');
      assert.deepEqual(tcb(r)?.tdxModule, { identity: 'TDX_01', status: 'UpToDate' });
    }
  });
}

const nonce = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const reportData = Buffer.concat([nonce, new Uint8Array(32)]);

test('SGX: REPORT_DATA begins with the nonce: dcap.nonce passes', async () => {
  const r = await verifyScenario({ app: { reportData } }, { nonce });
  assertVerified(r, 'affirming');
  assert.equal(status(r, 'dcap.nonce'), 'pass');
});

test('TDX v5: REPORT_DATA equal to a 64-byte nonce passes', async () => {
  const full = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
  const r = await verifyScenario({ kind: 'tdx-v5', td: { reportData: full } }, { nonce: full });
  assertVerified(r, 'affirming');
  assert.equal(status(r, 'dcap.nonce'), 'pass');
});

test('an empty nonce is a failure, never a vacuous pass', async () => {
  const r = await verifyScenario({ app: { reportData } }, { nonce: new Uint8Array(0) });
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.errors[0]?.code, 'NONCE_MISMATCH');
});

test('another nonce: NONCE_MISMATCH', async () => {
  const other = nonce.map((b) => b ^ 0xff);
  const r = await verifyScenario({ app: { reportData } }, { nonce: other });
  assertRejected(r, 'dcap.nonce', 'NONCE_MISMATCH');
  assert.equal(r.cryptoValid, true);
});

test('nonce found later in REPORT_DATA, not at its start: NONCE_MISMATCH', async () => {
  const shifted = Buffer.concat([new Uint8Array(32), nonce]);
  const r = await verifyScenario({ kind: 'tdx-v4', td: { reportData: shifted } }, { nonce });
  assertRejected(r, 'dcap.nonce', 'NONCE_MISMATCH');
});

test('a nonce longer than REPORT_DATA can never match: NONCE_MISMATCH', async () => {
  const long = new Uint8Array(65).fill(0xda);
  const r = await verifyScenario({}, { nonce: long });
  assertRejected(r, 'dcap.nonce', 'NONCE_MISMATCH');
});

test('REPORT_DATA changed after signing: QUOTE_SIGNATURE_INVALID, the nonce is not attested', async () => {
  const r = await verifyScenario({
    app: { reportData },
    editQuote: (q) => {
      const out = q.slice();
      out[48 + 320] = out[48 + 320]! ^ 1; // first byte of REPORT_DATA in the SGX body
      return out;
    },
  });
  assertRejected(r, 'dcap.quote.signature', 'QUOTE_SIGNATURE_INVALID');
  assert.equal(r.cryptoValid, false);
});

test('debug enclave (ATTRIBUTES.DEBUG): DEBUG_ENABLED', async () => {
  const r = await verifyScenario({ kind: 'sgx-v4', app: { attributes: attributes(0x07) } });
  assertRejected(r, 'dcap.policy.debug', 'DEBUG_ENABLED');
});
