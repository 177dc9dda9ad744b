/** Certificates, CRLs and collateral signers: the paths only a CA can produce. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRejected, assertVerified, status, tcb, verifyScenario } from './scenario.js';
import { DEFAULT_PKI, DEFAULT_SERIALS, buildPki, issueCert, issueCrl, rootCert, sgxExtension, toHex } from './test-pki.js';
import type { TestPki } from './test-pki.js';
import type { CollateralSigner } from './test-collateral.js';
import { parseCertificate } from '../../app/pki/x509.js';

const d = (s: string) => new Date(s);

test('PCK certificate listed on the PCK CA CRL: CERT_REVOKED', async () => {
  const r = await verifyScenario({ pki: { pckCrl: { ...DEFAULT_PKI.pckCrl, revoked: ['0badbeef', DEFAULT_SERIALS.pck] } } });
  assertRejected(r, 'dcap.pck.revocation', 'CERT_REVOKED');
  assert.equal(r.cryptoValid, true, 'revocation is not a signature failure');
  assert.equal(status(r, 'dcap.crl.root'), 'pass');
  assert.equal(tcb(r)?.status, 'UpToDate');
});

test('PCK Platform CA listed on the root CA CRL: CERT_REVOKED on dcap.crl.root', async () => {
  const r = await verifyScenario({ pki: { rootCrl: { ...DEFAULT_PKI.rootCrl, revoked: [DEFAULT_SERIALS.pckCa] } } });
  assertRejected(r, 'dcap.crl.root', 'CERT_REVOKED');
  assert.equal(status(r, 'dcap.pck.revocation'), 'pass');
});

test('PCK Processor CA with a high-bit serial revoked by the root CA CRL', async () => {
  const serials = { ...DEFAULT_SERIALS, pckCa: '00f1e2d3c4' };
  const r = await verifyScenario({ pki: { pckCaKind: 'Processor', serials, rootCrl: { ...DEFAULT_PKI.rootCrl, revoked: ['f1e2d3c4'] } } });
  assertRejected(r, 'dcap.crl.root', 'CERT_REVOKED');
});

test('TCB Signing certificate revoked by the root CA CRL: both signed documents are rejected', async () => {
  const r = await verifyScenario({ pki: { rootCrl: { ...DEFAULT_PKI.rootCrl, revoked: [DEFAULT_SERIALS.tcbSigning] } } });
  assertRejected(r, 'dcap.qe-identity.signature', 'CERT_REVOKED', ['dcap.tcb-info.signature']);
  assert.equal(r.checks.find((c) => c.id === 'dcap.tcb-info.signature')?.code, 'CERT_REVOKED');
});

test('PCK leaf expired at `at`: CERT_EXPIRED on dcap.pck.validity', async () => {
  const r = await verifyScenario({ pki: { pckValidity: { notBefore: d('2018-01-01T00:00:00Z'), notAfter: d('2025-05-31T23:59:59Z') } } });
  assertRejected(r, 'dcap.pck.validity', 'CERT_EXPIRED');
  assert.equal(status(r, 'dcap.pck.chain'), 'pass');
  assert.equal(r.cryptoValid, true);
});

test('PCK leaf not yet valid at `at`: CERT_EXPIRED', async () => {
  const r = await verifyScenario({ pki: { pckValidity: { notBefore: d('2025-06-01T00:00:01Z'), notAfter: d('2032-01-01T00:00:00Z') } } });
  assertRejected(r, 'dcap.pck.validity', 'CERT_EXPIRED');
});

test('PCK CA expired: CERT_EXPIRED', async () => {
  const r = await verifyScenario({ pki: { pckCaValidity: { notBefore: d('2015-01-01T00:00:00Z'), notAfter: d('2025-01-01T00:00:00Z') } } });
  assertRejected(r, 'dcap.pck.validity', 'CERT_EXPIRED');
});

test('chain ends in an impostor "Intel SGX Root CA" (same name, other key): CERT_CHAIN_INVALID', async () => {
  const r = await verifyScenario({ pki: { quoteRoot: 'impostorRoot' } });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.equal(r.cryptoValid, false);
  for (const id of ['dcap.qe-report.signature', 'dcap.crl.root', 'dcap.pck.revocation']) assert.equal(status(r, id), 'skip', id);
  const [real, fake] = await Promise.all([rootCert('root'), rootCert('impostorRoot')]);
  assert.notDeepEqual(real.der, fake.der);
});

test('quote chain without the root, issued under the impostor: still CERT_CHAIN_INVALID', async () => {
  const r = await verifyScenario({
    pki: { quoteRoot: 'impostorRoot' },
    chainPem: withoutRoot,
  });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
});

test('quote chain without the root, issued under the pinned root: verifies (root found by name)', async () => {
  const r = await verifyScenario({ chainPem: withoutRoot });
  assertVerified(r, 'affirming');
});

const withoutRoot = (pki: TestPki) => `${pki.pck.pem}${pki.pckCa.pem}\0`;

test('PCK leaf issued by a root-issued "PCK Platform CA" without CA:TRUE: CERT_CHAIN_INVALID', async () => {
  const chainPem = async (pki: TestPki) => {
    const ca = await issueCert({
      cn: 'Intel SGX PCK Platform CA',
      key: pki.keys.pckCa,
      issuer: pki.root,
      serial: '0d0e0a0e',
      ca: false,
      ...DEFAULT_PKI.pckCaValidity,
    });
    const leaf = await issueCert({
      cn: 'Intel SGX PCK Certificate',
      key: pki.keys.pck,
      issuer: ca,
      serial: DEFAULT_SERIALS.pck,
      ca: false,
      extra: [sgxExtension(pki.pckValues)],
      ...DEFAULT_PKI.pckValidity,
    });
    return `${leaf.pem}${ca.pem}${pki.root.pem}\0`;
  };
  const r = await verifyScenario({ chainPem });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
});

test('a validly chained leaf that is not an "Intel SGX PCK Certificate": CERT_CHAIN_INVALID', async () => {
  const chainPem = async (pki: TestPki) => {
    const leaf = await issueCert({
      cn: 'Intel SGX TCB Signing',
      key: pki.keys.pck,
      issuer: pki.pckCa,
      serial: '77',
      ca: false,
      extra: [sgxExtension(pki.pckValues)],
      ...DEFAULT_PKI.pckValidity,
    });
    return `${leaf.pem}${pki.pckCa.pem}${pki.root.pem}\0`;
  };
  const r = await verifyScenario({ chainPem });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /not an Intel SGX PCK Certificate/);
});

const notTcbSigning =
  (cn: string) =>
  async (pki: TestPki): Promise<CollateralSigner> => {
    const cert = await issueCert({ cn, key: pki.keys.other, issuer: pki.root, serial: '5151', ca: false, ...DEFAULT_PKI.tcbSigningValidity });
    return { key: pki.keys.other, chain: [cert, pki.root] };
  };

test('TCB info signed by a root-issued certificate that is not "Intel SGX TCB Signing": COLLATERAL_SIGNATURE_INVALID', async () => {
  const r = await verifyScenario({ tcbInfoSigner: notTcbSigning('Intel SGX Attestation Report Signing') });
  assertRejected(r, 'dcap.tcb-info.signature', 'COLLATERAL_SIGNATURE_INVALID');
  assert.equal(r.cryptoValid, false);
  assert.equal(status(r, 'dcap.tcb.level'), 'skip');
  assert.equal(r.tcb, null);
});

test('QE identity signed by the PCK Platform CA key: COLLATERAL_SIGNATURE_INVALID', async () => {
  const r = await verifyScenario({ qeIdentitySigner: (pki) => ({ key: pki.keys.pckCa, chain: [pki.pckCa, pki.root] }) });
  assertRejected(r, 'dcap.qe-identity.signature', 'COLLATERAL_SIGNATURE_INVALID');
});

test('TCB info shipped with the TCB Signing chain but signed by another key: COLLATERAL_SIGNATURE_INVALID', async () => {
  const r = await verifyScenario({ tcbInfoSigner: (pki) => ({ key: pki.keys.other, chain: [pki.tcbSigning, pki.root] }) });
  assertRejected(r, 'dcap.tcb-info.signature', 'COLLATERAL_SIGNATURE_INVALID');
});

test('TCB info signed by an "Intel SGX TCB Signing" certificate under the impostor root: CERT_CHAIN_INVALID', async () => {
  const signer = async (pki: TestPki): Promise<CollateralSigner> => {
    const fakeRoot = await rootCert('impostorRoot');
    const cert = await issueCert({
      cn: 'Intel SGX TCB Signing',
      key: pki.keys.other,
      issuer: fakeRoot,
      serial: DEFAULT_SERIALS.tcbSigning,
      ca: false,
      ...DEFAULT_PKI.tcbSigningValidity,
    });
    return { key: pki.keys.other, chain: [cert, fakeRoot] };
  };
  const r = await verifyScenario({ tcbInfoSigner: signer });
  assertRejected(r, 'dcap.tcb-info.signature', 'CERT_CHAIN_INVALID');
});

test('TCB Signing certificate expired: CERT_EXPIRED on the collateral validity', async () => {
  const r = await verifyScenario({ pki: { tcbSigningValidity: { notBefore: d('2018-01-01T00:00:00Z'), notAfter: d('2025-05-01T00:00:00Z') } } });
  assertRejected(r, 'dcap.qe-identity.validity', 'CERT_EXPIRED', ['dcap.tcb-info.validity']);
});

test('PCK CRL not yet valid (thisUpdate after `at`): COLLATERAL_EXPIRED', async () => {
  const r = await verifyScenario({ pki: { pckCrl: { thisUpdate: d('2025-06-02T00:00:00Z'), nextUpdate: d('2025-07-02T00:00:00Z'), revoked: [] } } });
  assertRejected(r, 'dcap.pck.revocation', 'COLLATERAL_EXPIRED');
});

test('root CA CRL expired (nextUpdate before `at`): COLLATERAL_EXPIRED', async () => {
  const r = await verifyScenario({ pki: { rootCrl: { thisUpdate: d('2025-04-01T00:00:00Z'), nextUpdate: d('2025-05-31T00:00:00Z'), revoked: [] } } });
  assertRejected(r, 'dcap.crl.root', 'COLLATERAL_EXPIRED');
});

test('PCK CRL with the right issuer name but another key: COLLATERAL_SIGNATURE_INVALID', async () => {
  const pki = await buildPki();
  const forged = toHex(await issueCrl({ ...pki.pckCa, key: pki.keys.other }, DEFAULT_PKI.pckCrl));
  const r = await verifyScenario({ editBundle: (b) => void (b.pck_crl = forged) });
  assertRejected(r, 'dcap.pck.revocation', 'COLLATERAL_SIGNATURE_INVALID');
});

test('Processor CA PCK with the Platform CA CRL: COLLATERAL_MISMATCH', async () => {
  const platform = await buildPki({ pckCaKind: 'Platform' });
  const r = await verifyScenario({ pki: { pckCaKind: 'Processor' }, editBundle: (b) => void (b.pck_crl = toHex(platform.pckCrl)) });
  assertRejected(r, 'dcap.pck.revocation', 'COLLATERAL_MISMATCH');
});

test('no CRLs supplied: revocation unknown is a warning, not a pass', async () => {
  const r = await verifyScenario({
    editBundle: (b) => {
      delete b.pck_crl;
      delete b.root_ca_crl;
    },
  });
  assertVerified(r, 'warning', ['dcap.crl.root', 'dcap.pck.revocation']);
});

/* RFC 5280 6.1.4 path constraints and 6.3.3 CRL issuer key usage, end to end through createVerifier. */

/** An OID nobody assigned (under the UUID arc of X.667, with a short arc the DER reader accepts). */
const UNKNOWN_OID = '2.25.1234567890123';

test('PCK CA whose keyUsage lacks keyCertSign: CERT_CHAIN_INVALID naming the CA', async () => {
  const r = await verifyScenario({ pki: { pckCaProfile: { keyUsage: { digitalSignature: true, cRLSign: true } } } });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.equal(r.cryptoValid, false);
  assert.match(
    r.errors[0]!.message,
    /"CN=Intel SGX PCK Platform CA[^"]*" issued "CN=Intel SGX PCK Certificate[^"]*" but its keyUsage does not allow keyCertSign/,
  );
});

test('PCK CA whose keyUsage lacks cRLSign: its PCK CRL is rejected (COLLATERAL_SIGNATURE_INVALID), the chain still verifies', async () => {
  const r = await verifyScenario({ pki: { pckCaProfile: { keyUsage: { keyCertSign: true } } } });
  assertRejected(r, 'dcap.pck.revocation', 'COLLATERAL_SIGNATURE_INVALID');
  assert.equal(status(r, 'dcap.pck.chain'), 'pass');
  assert.equal(status(r, 'dcap.crl.root'), 'pass');
  assert.match(r.errors[0]!.message, /Intel SGX PCK Platform CA[^"]*" may not sign CRLs: its keyUsage does not allow cRLSign/);
});

test('PCK CA without any keyUsage extension: keyCertSign and cRLSign are not required (RFC 5280 6.1.4 (n))', async () => {
  // Control for the two cases above: the constraints apply only when keyUsage is present.
  const pki = await buildPki({ pckCaProfile: { keyUsage: null } });
  assert.equal(parseCertificate(pki.pckCa.der).keyUsage, undefined);
  assertVerified(await verifyScenario({ pki: { pckCaProfile: { keyUsage: null } } }), 'affirming');
});

test('PCK CA with pathLenConstraint 0 above another intermediate CA: CERT_CHAIN_INVALID naming the constraint', async () => {
  const chainPem = async (pki: TestPki) => {
    const sub = await issueCert({ cn: 'Intel SGX PCK Sub CA', key: pki.keys.other, issuer: pki.pckCa, serial: '5ab0', ca: true, ...DEFAULT_PKI.pckCaValidity });
    const leaf = await issueCert({
      cn: 'Intel SGX PCK Certificate',
      key: pki.keys.pck,
      issuer: sub,
      serial: DEFAULT_SERIALS.pck,
      ca: false,
      extra: [sgxExtension(pki.pckValues)],
      ...DEFAULT_PKI.pckValidity,
    });
    return `${leaf.pem}${sub.pem}${pki.pckCa.pem}${pki.root.pem}\0`;
  };
  const r = await verifyScenario({ chainPem });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /"CN=Intel SGX PCK Platform CA[^"]*" allows at most 0 intermediate CA certificates below it \(pathLenConstraint/);
});

test('PCK leaf with an unknown critical extension: CERT_CHAIN_INVALID naming the OID', async () => {
  const r = await verifyScenario({ pki: { pckCriticalOid: UNKNOWN_OID } });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.match(
    r.errors[0]!.message,
    new RegExp(`"CN=Intel SGX PCK Certificate[^"]*" carries the critical extension ${UNKNOWN_OID.replace(/\./g, '\\.')}, which this verifier does not process`),
  );
});

test('PCK CA with an unknown critical extension: CERT_CHAIN_INVALID naming the CA and the OID', async () => {
  const r = await verifyScenario({ pki: { pckCaProfile: { criticalOid: UNKNOWN_OID } } });
  assertRejected(r, 'dcap.pck.chain', 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /"CN=Intel SGX PCK Platform CA[^"]*" carries the critical extension 2\.25\.1234567890123,/);
});
