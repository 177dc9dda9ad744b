/**
 * Issue 9.1: TCB info and QE identity saved as bare Intel PCS bodies (no TCB-Info-Issuer-Chain /
 * SGX-Enclave-Identity-Issuer-Chain header) verify with the bundled "Intel SGX TCB Signing"
 * certificates, which are checked against the pinned root and at `at` every time, never trusted alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { INTEL_TCB_SIGNING_CERTS, INTEL_SGX_ROOT_CA_DER } from '../../app/roots/intel.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { sameName } from '../../app/pki/name.js';
import { iso } from '../../app/pki/chain.js';
import { vectorBytes } from '../support/vectors.js';
import { build } from '../synthetic/scenario.js';
import { AT } from '../synthetic/test-pki.js';
import { bundleOf, check, dcapContext, failing, file, pcsBodies, session, vector, verifyDcap } from './dcap-helpers.js';

test('the known TCB Signing certificates have their recorded fingerprints and validity, and are issued by the pinned root', () => {
  const root = parseCertificate(INTEL_SGX_ROOT_CA_DER);
  assert.equal(INTEL_TCB_SIGNING_CERTS.length, 2);
  for (const k of INTEL_TCB_SIGNING_CERTS) {
    assert.equal(createHash('sha256').update(k.der).digest('hex'), k.sha256);
    const cert = parseCertificate(k.der);
    assert.equal(cert.subject.cn, 'Intel SGX TCB Signing');
    assert.ok(sameName(cert.issuer, root.subject));
    assert.equal(cert.basicConstraints?.ca ?? false, false, 'an end-entity certificate, never an anchor');
    assert.equal(iso(cert.notBefore), k.notBefore);
    assert.equal(iso(cert.notAfter), k.notAfter);
  }
});

for (const id of ['sgx/dcapqvl-v3', 'tdx/dcapqvl-v4']) {
  test(`${id}: bare PCS bodies without issuer chains verify; the signature check says the known certificate was used`, async () => {
    const v = vector(id);
    const r = await session().run(vectorBytes(v.path), pcsBodies(bundleOf(v)), v.expect.at);
    assert.deepEqual(failing(r.result), []);
    assert.equal(r.verdict, 'verified');
    assert.equal(r.cryptoValid, true);
    assert.equal(r.result.tcb?.status, v.expect.tcbStatus);
    assert.match(check(r.result, 'dcap.tcb-info.signature').explain, /known Intel certificate valid 2025-05-06T09:25:00Z to 2032-05-06T09:25:00Z/);
    assert.match(check(r.result, 'dcap.qe-identity.signature').explain, /known Intel certificate/);
  });

  test(`${id}: bare bodies at a time past the TCB Signing certificate's validity are rejected, naming the certificate`, async () => {
    const v = vector(id);
    const r = await session().run(vectorBytes(v.path), pcsBodies(bundleOf(v)), '2032-06-01T00:00:00Z');
    assert.equal(r.verdict, 'rejected');
    for (const prefix of ['dcap.tcb-info', 'dcap.qe-identity']) {
      const c = check(r.result, `${prefix}.validity`);
      assert.equal(c.status, 'fail');
      assert.match(c.explain, /signing certificate "Intel SGX TCB Signing" is valid 2025-05-06T09:25:00Z to 2032-05-06T09:25:00Z, not at 2032-06-01/);
    }
  });
}

test('tdx/trustee-v4-debug-td with the raw 2023 PCS files (no chains): only the debug policy fails, via the 2018-2025 certificate', async () => {
  const v = vector('tdx/trustee-v4-debug-td');
  const dir = 'tdx/gotdx-pcs-2023/';
  const files = ['tcbinfo-fmspc-50806f000000.json', 'qe-identity-td-qe.json', 'pckcrl-platform.der', 'rootcrl.der'].map((n) => file(n, vectorBytes(dir + n)));
  const r = await session().run(vectorBytes(v.path), files, v.expect.at);
  assert.deepEqual(failing(r.result), ['dcap.policy.debug:DEBUG_ENABLED']);
  assert.equal(r.cryptoValid, true);
  assert.match(check(r.result, 'dcap.tcb-info.signature').explain, /valid 2018-05-21T10:50:10Z to 2025-05-21T10:50:10Z/);
});

test('a body with a chain of its own is judged with that chain, not a known certificate', async () => {
  const v = vector('tdx/dcapqvl-v4');
  const r = await session().run(vectorBytes(v.path), [file('bundle.json', vectorBytes(v.collateral!))], v.expect.at);
  assert.equal(r.verdict, 'verified');
  assert.doesNotMatch(check(r.result, 'dcap.tcb-info.signature').explain, /known Intel certificate/);
});

test('a known signer that has expired at `at` fails the validity check with CERT_EXPIRED while the body is current', async () => {
  // Synthetic: the test root's TCB Signing certificate stands in as the known one, so the body can be current while it is not.
  const built = await build({
    pki: { tcbSigningValidity: { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2025-05-01T00:00:00Z') } },
    editBundle: (b) => {
      delete b.tcb_info_issuer_chain;
      delete b.qe_identity_issuer_chain;
    },
  });
  const ctx = dcapContext(built.evidence, built.collateral, AT, built.pki.root.der, [built.pki.tcbSigning.der]);
  await verifyDcap(ctx);
  for (const prefix of ['dcap.tcb-info', 'dcap.qe-identity']) {
    assert.equal(check(ctx, `${prefix}.signature`).status, 'pass', 'the signature itself verifies');
    const validity = check(ctx, `${prefix}.validity`);
    assert.equal(validity.status, 'fail');
    assert.equal(validity.code, 'CERT_EXPIRED');
    assert.match(validity.explain, /"Intel SGX TCB Signing" is valid 2020-01-01T00:00:00Z to 2025-05-01T00:00:00Z, not at 2025-06-01T00:00:00Z/);
  }
});

test('a known signer is never trusted by itself: under another pinned root it does not verify', async () => {
  // The real Intel certificates are known, but the synthetic root is pinned: the chain check must fail.
  const built = await build({ editBundle: (b) => delete b.tcb_info_issuer_chain });
  const r = await session([built.pki.root.der]).run(built.evidence, built.collateral, AT);
  const sig = check(r.result, 'dcap.tcb-info.signature');
  assert.equal(sig.status, 'fail');
  assert.equal(sig.code, 'CERT_CHAIN_INVALID');
  assert.equal(check(r.result, 'dcap.qe-identity.signature').status, 'pass', 'the QE identity still has its chain');
});
