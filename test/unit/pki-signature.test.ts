/** Every real certificate and CRL verifies against its issuer, with WebCrypto and, for ECDSA, @noble/curves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { p256, p384 } from '@noble/curves/nist.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import type { CryptoProvider } from '../../app/crypto/provider.js';
import { parseCertificate } from '../../app/pki/x509.js';
import type { Certificate, PublicKeyInfo, SignatureAlgorithm } from '../../app/pki/x509.js';
import { parseCrl } from '../../app/pki/crl.js';
import { sameName } from '../../app/pki/name.js';
import type { Name } from '../../app/pki/name.js';
import { ecdsaDerToRaw, explainSignature, verifySignedBy } from '../../app/pki/signature.js';
import { intelCerts, intelCrls, otherCerts } from './pki-fixtures.js';

interface Signed {
  name: string;
  issuer: Name;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
}

const crypto = webCryptoProvider();
const certs: Certificate[] = [...intelCerts(), ...otherCerts()].map((s) => parseCertificate(s.der));
const signed: Signed[] = [...certs.map((c) => ({ ...c, name: c.subject.text })), ...intelCrls().map((s) => ({ ...parseCrl(s.der), name: s.name }))];

/** The issuers' certificates by name (there can be several copies with the same key). */
const issuersOf = (s: Signed): Certificate[] => certs.filter((c) => sameName(c.subject, s.issuer));

async function verifiesWithSome(s: Signed, provider: CryptoProvider = crypto): Promise<boolean> {
  for (const issuer of issuersOf(s)) if ((await verifySignedBy(provider, s, issuer.publicKey)).ok) return true;
  return false;
}

/** The failure reasons with every issuer of that name (empty when one of them verifies). */
async function reasonsWithAll(s: Signed): Promise<string[]> {
  const outcomes = await Promise.all(issuersOf(s).map((i) => verifySignedBy(crypto, s, i.publicKey)));
  return outcomes.some((o) => o.ok) ? [] : [...new Set(outcomes.map((o) => (o.ok ? 'ok' : o.reason)))];
}

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at]! ^= 0x01;
  return copy;
};

test('every certificate and CRL with a known issuer verifies (WebCrypto), and tampering is caught', async () => {
  let checked = 0;
  for (const s of signed) {
    if (issuersOf(s).length === 0) continue; // e.g. a VCEK whose ASK is not in the vectors
    assert.equal(await verifiesWithSome(s), true, `${s.name} should verify`);
    assert.deepEqual(await reasonsWithAll({ ...s, tbs: flip(s.tbs, s.tbs.length >> 1) }), ['bad-signature'], `${s.name} with tampered tbs`);
    assert.deepEqual(
      await reasonsWithAll({ ...s, signature: flip(s.signature, s.signature.length - 5) }),
      ['bad-signature'],
      `${s.name} with tampered signature`,
    );
    checked++;
  }
  const intel = signed.filter((s) => s.issuer.text.includes('Intel')).length;
  assert.ok(intel >= 15, `intel signed objects: ${intel}`);
  assert.ok(checked >= intel + 8, `verified ${checked}`); // includes AMD RSA-PSS and NVIDIA P-384
});

test('ECDSA signatures also verify with @noble/curves (differential check of ecdsaDerToRaw)', () => {
  let checked = 0;
  for (const s of signed) {
    if (s.signatureAlgorithm.kind !== 'ecdsa') continue;
    for (const issuer of issuersOf(s)) {
      const { curve, point } = issuer.publicKey;
      const impl = curve === 'P-256' ? p256 : curve === 'P-384' ? p384 : undefined;
      if (!impl || !point) continue;
      if ((curve === 'P-256') !== (s.signatureAlgorithm.hash === 'SHA-256')) continue; // noble prehashes with the curve's own hash
      const raw = ecdsaDerToRaw(s.signature, curve === 'P-256' ? 32 : 48);
      assert.ok(raw, s.name);
      assert.equal(impl.verify(raw, s.tbs, point, { lowS: false }), true, s.name);
      assert.equal(impl.verify(raw, flip(s.tbs, 10), point, { lowS: false }), false, s.name);
      checked++;
      break;
    }
  }
  assert.ok(checked >= 15, `noble-checked ${checked}`);
});

test('AMD RSA-PSS: ARKs are self-signed, ASKs/ASVKs signed by their ARK, VCEKs by the ASK', async () => {
  const amd = signed.filter((s) => s.signatureAlgorithm.kind === 'rsa-pss' && issuersOf(s).length > 0);
  assert.ok(amd.filter((s) => s.name.includes('ARK-')).length >= 3);
  assert.ok(amd.filter((s) => s.name.includes('CN=SEV-VCEK')).length >= 1);
  for (const s of amd) assert.equal(await verifiesWithSome(s), true, s.name);
});

test('verifySignedBy says why, never throws: each reason for mismatched, malformed or unsupported input', async () => {
  const leaf = certs.find((c) => c.subject.cn === 'Intel SGX PCK Certificate')!;
  const ca = certs.find((c) => sameName(c.subject, leaf.issuer))!;
  const rsa = certs.find((c) => c.subject.cn?.startsWith('ARK-'))!; // self-signed, RSA-PSS
  const reason = async (p: CryptoProvider, s: Signed | Certificate, key: PublicKeyInfo) => {
    const o = await verifySignedBy(p, s, key);
    return o.ok ? 'ok' : o.reason;
  };
  assert.equal(await reason(crypto, leaf, ca.publicKey), 'ok');
  assert.equal(await reason(crypto, rsa, rsa.publicKey), 'ok', 'a self-signed ARK');
  assert.equal(await reason(crypto, { ...leaf, tbs: flip(leaf.tbs, 40) }, ca.publicKey), 'bad-signature');
  assert.equal(await reason(crypto, leaf, rsa.publicKey), 'key-algorithm-mismatch');
  assert.equal(await reason(crypto, rsa, ca.publicKey), 'key-algorithm-mismatch');
  const pssKey: PublicKeyInfo = { ...rsa.publicKey, algorithm: 'rsa-pss' };
  const pkcs1 = {
    ...rsa,
    signatureAlgorithm: { oid: '1.2.840.113549.1.1.12', name: 'sha384WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'SHA-384' } as SignatureAlgorithm,
  };
  assert.equal(await reason(crypto, pkcs1, pssKey), 'key-algorithm-mismatch', 'an id-RSASSA-PSS key makes PSS signatures only (RFC 4055 1.2)');
  assert.equal(await reason(crypto, pkcs1, rsa.publicKey), 'bad-signature', 'PKCS#1 v1.5 is verified, and a PSS signature is not one');
  const noPoint: PublicKeyInfo = { spki: ca.publicKey.spki, algorithm: 'ec', curve: 'P-256' };
  assert.equal(await reason(crypto, leaf, noPoint), 'unsupported-algorithm');
  assert.equal(await reason(crypto, leaf, { spki: ca.publicKey.spki, algorithm: 'ec' }), 'unsupported-algorithm');
  assert.equal(await reason(crypto, { ...leaf, signatureAlgorithm: { oid: '1.2.3', name: 'x', kind: 'other' } }, ca.publicKey), 'unsupported-algorithm');
  assert.equal(await reason(crypto, { ...leaf, signature: new Uint8Array([0x30, 0]) }, ca.publicKey), 'malformed-signature');
  const throwing: CryptoProvider = { name: 'throwing', digest: () => Promise.reject(new Error('x')), verifyEcdsa: () => Promise.reject(new Error('boom')) };
  const thrown = await verifySignedBy(throwing, leaf, ca.publicKey);
  assert.deepEqual(thrown, { ok: false, reason: 'provider-error', detail: 'the crypto provider "throwing" failed: boom' });
  assert.equal(await reason(throwing, rsa, rsa.publicKey), 'provider-lacks-algorithm', 'no verifyRsaPss');
  assert.equal(await reason(throwing, pkcs1, rsa.publicKey), 'provider-lacks-algorithm', 'no verifyRsaPkcs1');
});

test('explainSignature phrases each outcome in plain words', async () => {
  const leaf = certs.find((c) => c.subject.cn === 'Intel SGX PCK Certificate')!;
  const ca = certs.find((c) => sameName(c.subject, leaf.issuer))!;
  const rsa = certs.find((c) => c.subject.cn?.startsWith('ARK-'))!;
  const noRsa: CryptoProvider = { name: 'ecdsa-only', digest: crypto.digest, verifyEcdsa: crypto.verifyEcdsa };
  assert.equal(explainSignature(await verifySignedBy(noRsa, rsa, rsa.publicKey)), 'the crypto provider "ecdsa-only" has no RSA-PSS');
  assert.match(explainSignature(await verifySignedBy(crypto, { ...leaf, tbs: flip(leaf.tbs, 40) }, ca.publicKey)), /^the signature is wrong/);
  assert.match(
    explainSignature(await verifySignedBy(crypto, leaf, rsa.publicKey)),
    /^the issuer's key cannot make this signature: ecdsa-with-SHA256 needs an EC key, not an RSA key$/,
  );
  assert.match(
    explainSignature(await verifySignedBy(crypto, { ...leaf, signature: new Uint8Array(3) }, ca.publicKey)),
    /^the signature is malformed: .*Ecdsa-Sig-Value/,
  );
  const noPoint: PublicKeyInfo = { spki: ca.publicKey.spki, algorithm: 'ec', curve: 'P-256' };
  assert.equal(explainSignature(await verifySignedBy(crypto, leaf, noPoint)), 'this verifier does not support P-256 keys that are not uncompressed points');
  assert.equal(explainSignature({ ok: true }), 'the signature verifies');
});
