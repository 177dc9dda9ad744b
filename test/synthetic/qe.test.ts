/** The Quoting Enclave: identity against Intel's QE identity, and the binding of the attestation key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assertRejected, assertVerified, status, verifyScenario } from './scenario.js';
import { testKeys } from './test-pki.js';
import { DEFAULT_AUTH_DATA, attributes } from './test-quote.js';

test('QE with another MRSIGNER: QE_IDENTITY_MISMATCH', async () => {
  const r = await verifyScenario({ qe: { mrSigner: new Uint8Array(32).fill(0x66) } });
  assertRejected(r, 'dcap.qe-identity.match', 'QE_IDENTITY_MISMATCH');
  assert.equal(r.cryptoValid, true);
  assert.match(r.errors[0]!.message, /MRSIGNER/);
});

test('debug-mode QE (masked ATTRIBUTES differ): QE_IDENTITY_MISMATCH', async () => {
  const r = await verifyScenario({ qe: { attributes: attributes(0x17) } });
  assertRejected(r, 'dcap.qe-identity.match', 'QE_IDENTITY_MISMATCH');
  assert.match(r.errors[0]!.message, /ATTRIBUTES/);
});

test('QE ATTRIBUTES differing only in bits Intel masks off still match', async () => {
  // FLAGS 0x11 (no MODE64BIT, masked by 0xFB) and XFRM bytes (mask 00) all different from the identity's.
  const attrs = Uint8Array.from([0x11, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0]);
  assertVerified(await verifyScenario({ qe: { attributes: attrs } }), 'affirming');
});

test('QE with another ISVPRODID: QE_IDENTITY_MISMATCH', async () => {
  const r = await verifyScenario({ qe: { isvProdId: 2 } });
  assertRejected(r, 'dcap.qe-identity.match', 'QE_IDENTITY_MISMATCH');
});

test('QE MISCSELECT differing under the mask: QE_IDENTITY_MISMATCH; outside the mask: match', async () => {
  const r = await verifyScenario({ qe: { miscSelect: 1 } });
  assertRejected(r, 'dcap.qe-identity.match', 'QE_IDENTITY_MISMATCH');
  assertVerified(await verifyScenario({ qe: { miscSelect: 1 }, qeIdentity: { miscselectMask: 'FFFFFFFE' } }), 'affirming');
});

test('QE report data is not SHA-256(attestation key || auth data): QE_REPORT_DATA_MISMATCH', async () => {
  const r = await verifyScenario({ quote: { qeReportData: new Uint8Array(64).fill(0x33) } });
  assertRejected(r, 'dcap.qe-report.binding', 'QE_REPORT_DATA_MISMATCH');
  assert.equal(status(r, 'dcap.qe-report.signature'), 'pass', 'the QE report itself is genuinely signed');
  assert.equal(r.cryptoValid, false);
});

test('QE report data with the right hash but a non-zero upper half: QE_REPORT_DATA_MISMATCH', async () => {
  const keys = await testKeys();
  const hash = createHash('sha256').update(keys.attestation.point.subarray(1)).update(DEFAULT_AUTH_DATA).digest();
  const data = Buffer.concat([hash, new Uint8Array(32).fill(1)]);
  const r = await verifyScenario({ quote: { qeReportData: data } });
  assertRejected(r, 'dcap.qe-report.binding', 'QE_REPORT_DATA_MISMATCH');
});

test('QE authentication data replaced after the QE certified the key: QE_REPORT_DATA_MISMATCH', async () => {
  const keys = await testKeys();
  const certified = Buffer.concat([createHash('sha256').update(keys.attestation.point.subarray(1)).update(DEFAULT_AUTH_DATA).digest(), new Uint8Array(32)]);
  const r = await verifyScenario({ quote: { qeReportData: certified, authData: new Uint8Array(32).fill(9) } });
  assertRejected(r, 'dcap.qe-report.binding', 'QE_REPORT_DATA_MISMATCH');
});

test('empty and longer QE authentication data bind when hashed as given', async () => {
  assertVerified(await verifyScenario({ quote: { authData: new Uint8Array(0) } }), 'affirming');
  assertVerified(await verifyScenario({ kind: 'tdx-v4', quote: { authData: new Uint8Array(100).fill(7) } }), 'affirming');
});

test('QE report altered after the PCK key signed it: QE_REPORT_SIGNATURE_INVALID', async () => {
  const qeReportAt = 48 + 384 + 4 + 64 + 64; // v3: header, body, signature length, signature, attestation key
  const r = await verifyScenario({
    editQuote: (q) => {
      const out = q.slice();
      out[qeReportAt] = out[qeReportAt]! ^ 1; // CPUSVN[0], which no other check looks at
      return out;
    },
  });
  assertRejected(r, 'dcap.qe-report.signature', 'QE_REPORT_SIGNATURE_INVALID');
  assert.equal(status(r, 'dcap.qe-report.binding'), 'pass');
  assert.equal(r.cryptoValid, false);
});
