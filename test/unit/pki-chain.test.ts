/**
 * RFC 5280 6.1 path validation in verifyChain (keyUsage keyCertSign, pathLenConstraint, unknown
 * critical extensions), 6.3.3 CRL issuer checks, and the plain reason of a failed signature.
 * Synthetic certificates for the negatives; real AMD and Intel chains for the positives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import type { CryptoProvider } from '../../app/crypto/provider.js';
import { PkiCache } from '../../app/pki/cache.js';
import { verifyChain } from '../../app/pki/chain.js';
import { verifyCrlSignature } from '../../app/pki/crl-issuer.js';
import { parseCertificate } from '../../app/pki/x509.js';
import type { Certificate } from '../../app/pki/x509.js';
import { createVerifier } from '../../app/verifier.js';
import { AT, DEFAULT_PKI, buildPki, issueCert, issueCrl, newKey, unknownCriticalExtension } from '../synthetic/test-pki.js';
import type { CertSpec, Issued } from '../synthetic/test-pki.js';
import { intelCerts, intelCrls, otherCerts, read } from './pki-fixtures.js';
import { parseCrl } from '../../app/pki/crl.js';

const crypto = webCryptoProvider();
const at = AT.getTime();
const parse = (i: Issued): Certificate => parseCertificate(i.der);
const VALID = DEFAULT_PKI.pckCaValidity;

/** A CA or leaf under `issuer` with a fresh key. */
async function issue(cn: string, issuer: Issued | undefined, extra: Partial<CertSpec> = {}): Promise<Issued> {
  return issueCert({
    cn,
    key: await newKey(),
    ...(issuer ? { issuer } : {}),
    serial: (Math.random() * 2 ** 31).toString(16).replace('.', ''),
    ca: true,
    pathLen: null,
    ...VALID,
    ...extra,
  });
}

async function chain(leafFirst: Issued[], root: Issued) {
  return verifyChain(new PkiCache(crypto), leafFirst.map(parse), [parse(root)], at);
}

test('keyCertSign: a CA whose keyUsage lacks it may not issue, whatever its basicConstraints', async () => {
  const root = await issue('Test Root', undefined);
  const ca = await issue('Test CA', root, { keyUsage: { digitalSignature: true, cRLSign: true } });
  const leaf = await issue('Test Leaf', ca, { ca: false });
  const r = await chain([leaf, ca, root], root);
  assert.equal(r.ok, false);
  assert.equal(r.problem, `"${parse(ca).subject.text}" issued "${parse(leaf).subject.text}" but its keyUsage does not allow keyCertSign (RFC 5280 4.2.1.3)`);
  const rootNoSign = await issue('Test Root 2', undefined, { keyUsage: { cRLSign: true } });
  const ca2 = await issue('Test CA 2', rootNoSign);
  assert.match((await chain([ca2, rootNoSign], rootNoSign)).problem ?? '', /"CN=Test Root 2.*keyCertSign/, 'the pinned root is held to it too');
  const good = await issue('Test CA 3', root);
  assert.deepEqual((await chain([good, root], root)).problem, undefined);
});

test('pathLenConstraint counts the non-self-issued intermediates below a CA (RFC 5280 6.1.4 (l), (m))', async () => {
  const root = await issue('PL Root', undefined, { pathLen: 1 });
  const top = await issue('PL Top', root, { pathLen: 0 });
  const mid = await issue('PL Mid', top);
  const leaf = await issue('PL Leaf', mid, { ca: false });
  const r = await chain([leaf, mid, top, root], root);
  assert.equal(
    r.problem,
    `"${parse(top).subject.text}" allows at most 0 intermediate CA certificates below it (pathLenConstraint, RFC 5280 4.2.1.9) but 1 follow it`,
  );
  // The same shape with top's constraint lifted: the root's pathLen 1 now fails (two intermediates below it).
  const open = await issue('PL Top', root, { key: top.key, serial: '77' });
  const r2 = await chain([leaf, mid, open, root], root);
  assert.match(r2.problem ?? '', /"CN=PL Root.*allows at most 1 intermediate CA certificate below it .* but 2 follow it/);
  // pathLen 0 directly above the leaf is fine; so is a chain within every bound.
  assert.equal((await chain([await issue('PL Leaf 2', top, { ca: false }), top, root], root)).ok, true);
  const wide = await issue('PL Root W', undefined, { pathLen: 2 });
  const a = await issue('PL A', wide, { pathLen: 1 });
  const b = await issue('PL B', a, { pathLen: 0 });
  assert.equal((await chain([await issue('PL L', b, { ca: false }), b, a, wide], wide)).ok, true);
});

test('a self-issued intermediate (key rollover) does not count against pathLenConstraint', async () => {
  const root = await issue('SI Root', undefined, { pathLen: 0 });
  const ca = await issue('SI CA', root);
  const rollover = await issueCert({ cn: 'SI CA', key: await newKey(), issuer: ca, serial: '99', ca: true, pathLen: null, ...VALID });
  const leaf = await issue('SI Leaf', rollover, { ca: false });
  const r = await chain([leaf, rollover, ca, root], root);
  assert.match(r.problem ?? '', /"CN=SI Root.*allows at most 0 .* but 1 follow it/, 'CN=SI CA counts once, its self-issued rollover not at all');
});

test('an unknown critical extension anywhere in the chain rejects it, naming the certificate and the OID', async () => {
  const oid = '2.25.1234567890';
  const root = await issue('CE Root', undefined);
  for (const where of ['leaf', 'ca', 'root'] as const) {
    const r0 = where === 'root' ? await issue('CE Root X', undefined, { extra: [unknownCriticalExtension(oid)] }) : root;
    const ca = await issue('CE CA', r0, where === 'ca' ? { extra: [unknownCriticalExtension(oid)] } : {});
    const leaf = await issue('CE Leaf', ca, { ca: false, ...(where === 'leaf' ? { extra: [unknownCriticalExtension(oid)] } : {}) });
    const r = await chain([leaf, ca, r0], r0);
    const named = { leaf: 'CE Leaf', ca: 'CE CA', root: 'CE Root X' }[where];
    assert.match(
      r.problem ?? '',
      new RegExp(`^"CN=${named},[^"]*" carries the critical extension 2\\.25\\.1234567890, which this verifier does not process`),
      where,
    );
  }
  const known = await issue('CE Leaf', await issue('CE CA', root), { ca: false, extra: [unknownCriticalExtension('2.5.29.30')] });
  assert.match((await verifyChain(new PkiCache(crypto), [parse(known)], [parse(root)], at)).problem ?? '', /2\.5\.29\.30 \(nameConstraints\)/);
});

test('real Intel and AMD certificates carry no critical extension but basicConstraints and keyUsage', () => {
  for (const s of [...intelCerts(), ...otherCerts()]) {
    const critical = parseCertificate(s.der)
      .extensions.filter((e) => e.critical)
      .map((e) => e.oid);
    assert.ok(
      critical.every((oid) => oid === '2.5.29.19' || oid === '2.5.29.15'),
      `${s.name}: ${critical.join(', ')}`,
    );
  }
});

/** Milan: VCEK (trustee vector) -> ASK (SEV-Milan) -> pinned ARK-Milan, all RSA-PSS above the VCEK. */
function milan(): { vcek: Certificate; ask: Certificate; ark: Certificate } {
  const amd = otherCerts().map((s) => parseCertificate(s.der));
  return {
    vcek: parseCertificate(read('snp/trustee-milan-vcek.vcek.der')),
    ask: amd.find((c) => c.subject.cn === 'SEV-Milan')!,
    ark: amd.find((c) => c.subject.cn === 'ARK-Milan')!,
  };
}

test('a failed chain signature says why: a provider without RSA-PSS is not a wrong signature', async () => {
  const { vcek, ask, ark } = milan();
  assert.equal((await verifyChain(new PkiCache(crypto), [vcek, ask], [ark], Date.parse('2024-07-03T13:10:40Z'))).ok, true);
  const noPss: CryptoProvider = { name: 'ecdsa-only', digest: crypto.digest, verifyEcdsa: crypto.verifyEcdsa };
  const lacking = await verifyChain(new PkiCache(noPss), [vcek, ask], [ark], at);
  assert.equal(
    lacking.problem,
    `the signature on "${vcek.subject.text}" by "${ask.subject.text}" does not verify: the crypto provider "ecdsa-only" has no RSA-PSS`,
  );
  const flipped = parseCertificate(read('snp/trustee-milan-vcek-bad-chain.vcek.der'));
  const wrong = await verifyChain(new PkiCache(crypto), [flipped, ask], [ark], at);
  assert.match(wrong.problem ?? '', /does not verify: the signature is wrong/);
});

test('end to end: an injected provider without RSA-PSS rejects an SNP report with that reason, not a forgery claim', async () => {
  const noPss: CryptoProvider = { name: 'ecdsa-only', digest: crypto.digest, verifyEcdsa: crypto.verifyEcdsa };
  const files = [{ name: 'vcek.der', bytes: read('snp/trustee-milan-vcek.vcek.der') }];
  const when = { at: new Date('2024-07-03T13:10:40Z') };
  const r = await createVerifier({ crypto: noPss }).verify(read('snp/trustee-milan-vcek.report'), files, when);
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.errors[0]!.code, 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /the crypto provider "ecdsa-only" has no RSA-PSS/);
  const control = await createVerifier().verify(read('snp/trustee-milan-vcek.report'), files, when);
  assert.equal(control.verdict, 'verified');
});

test('verifyCrlSignature: issuer name, cRLSign when keyUsage is present, and the signature (RFC 5280 6.3.3)', async () => {
  const cache = new PkiCache(crypto);
  const pki = await buildPki();
  const rootCa = parse(pki.root);
  const pckCa = parse(pki.pckCa);
  assert.deepEqual(await verifyCrlSignature(cache, parseCrl(pki.rootCrl), rootCa), { ok: true });
  assert.deepEqual(await verifyCrlSignature(cache, parseCrl(pki.pckCrl), pckCa), { ok: true });
  const misfiled = await verifyCrlSignature(cache, parseCrl(pki.pckCrl), rootCa);
  assert.deepEqual(misfiled, { ok: false, problem: `the CRL is issued by "${pckCa.subject.text}", not by "${rootCa.subject.text}"` });
  const noCrlSign = await buildPki({ pckCaProfile: { keyUsage: { keyCertSign: true } } });
  const refused = await verifyCrlSignature(cache, parseCrl(noCrlSign.pckCrl), parse(noCrlSign.pckCa));
  assert.deepEqual(refused, { ok: false, problem: `"${pckCa.subject.text}" may not sign CRLs: its keyUsage does not allow cRLSign (RFC 5280 4.2.1.3)` });
  const forged = parseCrl(await issueCrl({ ...pki.pckCa, key: pki.keys.other }, DEFAULT_PKI.pckCrl));
  const bad = await verifyCrlSignature(cache, forged, pckCa);
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.problem, /^the CRL's signature by "CN=Intel SGX PCK Platform CA[^"]*" does not verify: the signature is wrong/);
  assert.equal(bad.ok ? undefined : bad.signature?.ok === false && bad.signature.reason, 'bad-signature');
});

test('real Intel CRLs verify against their issuers with verifyCrlSignature', async () => {
  const cache = new PkiCache(crypto);
  const cas = intelCerts()
    .map((s) => parseCertificate(s.der))
    .filter((c) => c.basicConstraints?.ca);
  let checked = 0;
  for (const s of intelCrls()) {
    const crl = parseCrl(s.der);
    const issuer = cas.find((c) => c.subject.text === crl.issuer.text);
    if (!issuer) continue;
    assert.deepEqual(await verifyCrlSignature(cache, crl, issuer), { ok: true }, s.name);
    checked++;
  }
  assert.ok(checked >= 6, `checked ${checked}`);
});
