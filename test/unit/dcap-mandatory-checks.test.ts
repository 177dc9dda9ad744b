/**
 * Issue 9.4: a mandatory check that cannot run fails with its reason, never a silent skip. A PCK
 * certificate with a P-384 key under a (custom) root whose chain verifies used to give "verified"
 * with cryptoValid false.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import type { CryptoProvider } from '../../app/crypto/provider.js';
import { build, verifyScenario } from '../synthetic/scenario.js';
import { AT, DEFAULT_PKI, DEFAULT_SERIALS, issueCert, sgxExtension } from '../synthetic/test-pki.js';
import type { KeyPair, TestPki } from '../synthetic/test-pki.js';
import { DCAP_CRYPTO_CHECKS } from './dcap-helpers.js';

async function p384Key(): Promise<KeyPair> {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
  return { ...pair, point: new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey)) };
}

/** The quote's chain with a PCK leaf that certifies a P-384 key (issued, validly, by the test PCK CA). */
async function p384Chain(pki: TestPki): Promise<string> {
  const leaf = await issueCert({
    cn: 'Intel SGX PCK Certificate',
    key: await p384Key(),
    issuer: pki.pckCa,
    serial: DEFAULT_SERIALS.pck,
    ca: false,
    extra: [sgxExtension(pki.pckValues)],
    ...DEFAULT_PKI.pckValidity,
  });
  return `${leaf.pem}${pki.pckCa.pem}${pki.root.pem}\0`;
}

test('a P-384 PCK key: dcap.qe-report.signature fails with the precise reason, the verdict is rejected', async () => {
  const r = await verifyScenario({ chainPem: p384Chain });
  assert.equal(r.checks.find((c) => c.id === 'dcap.pck.chain')?.status, 'pass', 'the chain itself verifies');
  const qe = r.checks.find((c) => c.id === 'dcap.qe-report.signature')!;
  assert.equal(qe.status, 'fail');
  assert.equal(qe.code, 'QE_REPORT_SIGNATURE_INVALID');
  assert.match(qe.explain, /the PCK key is P-384; Intel DCAP PCK keys are P-256/);
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.cryptoValid, false);
});

test("a crypto provider that fails on the QE report: the check fails naming the provider's reason", async () => {
  const real = webCryptoProvider();
  const flaky: CryptoProvider = {
    ...real,
    name: 'flaky',
    digest: (h, d) => real.digest(h, d),
    // The QE report is the only 384-byte message verified with a P-256 key in a quote.
    verifyEcdsa: (input) => (input.message.length === 384 ? Promise.reject(new Error('hardware token unplugged')) : real.verifyEcdsa(input)),
  };
  const { evidence, collateral, pki } = await build();
  const r = await createVerifier({ crypto: flaky, roots: { intel: [pki.root.der] } }).verify(evidence, collateral, { at: AT });
  const qe = r.checks.find((c) => c.id === 'dcap.qe-report.signature')!;
  assert.equal(qe.status, 'fail');
  assert.match(qe.explain, /crypto provider "flaky" failed \(hardware token unplugged\)/);
  assert.equal(r.verdict, 'rejected');
});

test('in every verified synthetic scenario, each DCAP crypto check is present and passes', async () => {
  for (const kind of ['sgx-v3', 'sgx-v4', 'sgx-v5', 'tdx-v4', 'tdx-v5'] as const) {
    const r = await verifyScenario({ kind });
    assert.equal(r.verdict, 'verified', kind);
    for (const { id } of DCAP_CRYPTO_CHECKS) assert.equal(r.checks.find((c) => c.id === id)?.status, 'pass', `${kind} ${id}`);
  }
});
