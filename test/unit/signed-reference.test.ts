import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readReferenceFile, readReferenceKey, MAX_REFERENCE_BYTES } from '../../app/appraisal/signed-reference.js';
import { parseReferenceBytes } from '../../app/appraisal/reference.js';
import { TeeError } from '../../app/errors.js';
import type { ErrorCode } from '../../app/errors.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { signReference } from '../../main/reference/sign.js';
import { vectorBytes } from '../support/vectors.js';
import { EXAMPLE_JSON, HEADER, b64url, bytes, compactJws, sha256, testKey } from './signed-reference-support.js';

const P256 = testKey('P-256');
const P384 = testKey('P-384');
const OTHER = testKey('P-256');
const PROVIDERS = [nodeCryptoProvider(), webCryptoProvider()];
const crypto = PROVIDERS[0]!;
const signed = await signReference(EXAMPLE_JSON, P256.privatePem);
const signed384 = await signReference(EXAMPLE_JSON, P384.privatePem);

async function refused(file: Uint8Array | string, code: ErrorCode, message: RegExp, publicKeyPem?: string): Promise<void> {
  const input = typeof file === 'string' ? bytes(file) : file;
  for (const c of PROVIDERS) {
    await assert.rejects(
      readReferenceFile(input, { crypto: c, ...(publicKeyPem !== undefined ? { publicKeyPem } : {}) }),
      (e: unknown) => e instanceof TeeError && e.code === code && message.test(e.message),
      `${c.name}: ${code} ${message}`,
    );
  }
}

test('signReference: header ES256 + typ, payload exactly the file given', async () => {
  const [h, p] = signed.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h!, 'base64url').toString()), HEADER);
  assert.equal(Buffer.from(p!, 'base64url').toString(), EXAMPLE_JSON);
  assert.deepEqual(JSON.parse(Buffer.from(signed384.split('.')[0]!, 'base64url').toString()).alg, 'ES384');
});

test('signed, with the right key: the values, the file digest and a verified signature naming the key (both providers)', async () => {
  for (const c of PROVIDERS) {
    for (const [token, key, alg] of [
      [signed, P256, 'ES256'],
      [`${signed384}\r\n \t`, P384, 'ES384'],
    ] as const) {
      const file = bytes(token);
      const ref = await readReferenceFile(file, { crypto: c, publicKeyPem: key.publicPem });
      assert.deepEqual(ref.sets, parseReferenceBytes(bytes(EXAMPLE_JSON)).sets, c.name);
      assert.equal(ref.name, 'dcap-qvl sample TD');
      assert.equal(ref.sha256, sha256(file));
      assert.deepEqual(ref.signature, { alg, keySha256: key.spkiSha256, publicKeyPem: key.publicPem, verified: true });
    }
  }
});

test('signed, no key: read, but the signature is recorded as not checked', async () => {
  const ref = await readReferenceFile(bytes(signed), { crypto });
  assert.deepEqual(ref.signature, { alg: 'ES256', verified: false });
  assert.equal(ref.sets[0]!.name, 'dcapqvl-v4-td');
});

test('unsigned JSON or event log: read as before with its digest; with a key: REFERENCE_UNSIGNED', async () => {
  const ref = await readReferenceFile(bytes(EXAMPLE_JSON), { crypto });
  assert.equal(ref.signature, undefined);
  assert.equal(ref.sha256, sha256(EXAMPLE_JSON));
  const log = vectorBytes('eventlog/gotdx-ccel-data.bin');
  assert.ok((await readReferenceFile(log, { crypto })).knownGoodLog);
  await refused(EXAMPLE_JSON, 'REFERENCE_UNSIGNED', /not signed, but a reference key was given/, P256.publicPem);
  await refused(log, 'REFERENCE_UNSIGNED', /not signed/, P256.publicPem);
});

test('another key, or a P-256 key for an ES384 file: REFERENCE_SIGNATURE_INVALID', async () => {
  await refused(
    signed,
    'REFERENCE_SIGNATURE_INVALID',
    /does not verify with the reference key \(sha256:[0-9a-f]{16}…\): the file was altered or signed with another key/,
    OTHER.publicPem,
  );
  await refused(signed384, 'REFERENCE_SIGNATURE_INVALID', /signed with ES384, which needs a P-384 key, but the reference key .* is P-256/, P256.publicPem);
  await refused(signed, 'REFERENCE_SIGNATURE_INVALID', /needs a P-256 key/, P384.publicPem);
});

test('altered header, payload or signature: REFERENCE_SIGNATURE_INVALID with the key', async () => {
  const [h, p, s] = signed.split('.') as [string, string, string];
  const payload = b64url(EXAMPLE_JSON.replace('dcap-qvl sample TD', 'dcap-qvl sample TX'));
  const sig = Buffer.from(s, 'base64url');
  sig[5] = sig[5]! ^ 0x01;
  const header = b64url(JSON.stringify({ typ: HEADER.typ, alg: 'ES256' }));
  for (const token of [`${h}.${payload}.${s}`, `${h}.${p}.${b64url(sig)}`, `${header}.${p}.${s}`])
    await refused(token, 'REFERENCE_SIGNATURE_INVALID', /altered or signed with another key/, P256.publicPem);
});

test('alg none, HMAC or unknown: refused with or without a key, never read', async () => {
  const [, p] = signed.split('.');
  for (const alg of ['none', 'HS256', 'RS256', 'ES512', 'EdDSA']) {
    const token = `${b64url(JSON.stringify({ alg, typ: HEADER.typ }))}.${p}.${b64url(new Uint8Array(64))}`;
    await refused(token, 'MALFORMED_REFERENCE', /only ES256 and ES384 are accepted/);
    await refused(token, 'MALFORMED_REFERENCE', /only ES256 and ES384 are accepted/, P256.publicPem);
  }
  await refused(`${b64url('{"alg":"none"}')}.${p}.`, 'MALFORMED_REFERENCE', /only ES256 and ES384/);
});

test('a key in the header is never used: jwk, x5c, jku refused even when they name the signing key', async () => {
  const jwk = OTHER.publicKey.export({ format: 'jwk' });
  for (const extra of [{ jwk }, { x5c: ['MIIB'] }, { jku: 'https://example.com/k' }, { kid: 'k', 'x5t#S256': 'abc' }]) {
    const token = compactJws({ ...HEADER, ...extra }, EXAMPLE_JSON, OTHER.privateKey);
    await refused(token, 'MALFORMED_REFERENCE', /never one the file brings/);
    await refused(token, 'MALFORMED_REFERENCE', /never one the file brings/, OTHER.publicPem);
  }
});

test('strict header: crit, unknown members, repeated members, non-string values, wrong typ', async () => {
  const cases: [string | Record<string, unknown>, RegExp][] = [
    [{ ...HEADER, crit: ['b64'], b64: false }, /"crit"/],
    [{ ...HEADER, zip: 'DEF' }, /member "zip"; only alg, typ, kid are read/],
    [{ ...HEADER, kid: 7 }, /"kid" that is not a string/],
    ['{"alg":"ES256","alg":"ES256","typ":"tee-inspect-reference+jws"}', /repeats a member/],
    ['{"alg":"ES256","typ":"tee-inspect-reference+jws","typ":"JWT"}', /repeats a member|typ "JWT"/],
    [{ alg: 'ES256', typ: 'JWT' }, /typ "JWT", not "tee-inspect-reference\+jws".*EAR token/],
    ['["ES256"]', /not a JSON object/],
    ['{"alg":"ES256"', /not UTF-8 JSON/],
    [{ typ: HEADER.typ }, /without "alg"/],
  ];
  for (const [header, message] of cases) await refused(compactJws(header, EXAMPLE_JSON, P256.privateKey), 'MALFORMED_REFERENCE', message, P256.publicPem);
  const ok = compactJws({ alg: 'ES256', typ: 'Application/Tee-Inspect-Reference+JWS', kid: 'ops-2026' }, EXAMPLE_JSON, P256.privateKey);
  assert.equal((await readReferenceFile(bytes(ok), { crypto, publicKeyPem: P256.publicPem })).signature?.verified, true);
  const untyped = compactJws({ alg: 'ES256' }, EXAMPLE_JSON, P256.privateKey);
  assert.equal((await readReferenceFile(bytes(untyped), { crypto, publicKeyPem: P256.publicPem })).signature?.verified, true);
});

test('strict compact form: three canonical base64url parts, only trailing blanks', async () => {
  const [h, p, s] = signed.split('.') as [string, string, string];
  const nonCanonical = s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) + 1); // same bytes, other pad bits
  const cases: [string, RegExp][] = [
    [`${h}.${p}`, /has two parts/],
    [`${h}.${p}.${s}.x`, /more than three parts/],
    [`${h}.${p}.${s}.x.y`, /more than three parts/],
    [`${h}.${p}.${s}=`, /byte 0x3d/],
    [`${h}.${p.slice(0, 40)}\n${p.slice(40)}.${s}`, /byte 0x0a/],
    [`${h}.${p}.${nonCanonical}`, /signature that is not canonical/],
    [`${h}.${p}.${s.slice(0, -3)}`, /not canonical|signature; ES256 signatures are 64 bytes/],
    [`${h}.${p}.${b64url(new Uint8Array(63))}`, /63-byte signature; ES256 signatures are 64 bytes/],
    [`${h}.${p}+.${s}`, /byte 0x2b/],
    [`${'e'.repeat(4097)}.${p}.${s}`, /protected header of 4097 characters/],
  ];
  for (const [token, message] of cases) await refused(token, 'MALFORMED_REFERENCE', message, P256.publicPem);
});

test('a signed but malformed payload: refused as MALFORMED_REFERENCE naming the payload; signReference never signs one', async () => {
  const bad = EXAMPLE_JSON.replace('"mrTd"', '"mrtd"');
  await refused(compactJws(HEADER, bad, P256.privateKey), 'MALFORMED_REFERENCE', /^the signed payload: .*mrtd/, P256.publicPem);
  await assert.rejects(
    signReference(bad, P256.privatePem),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REFERENCE' && /mrtd/.test(e.message),
  );
  await assert.rejects(
    signReference('not json', P256.privatePem),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REFERENCE' && /not JSON/.test(e.message),
  );
});

test('signReference keys: P-256 and P-384 PKCS#8 only; others are USAGE_ERROR naming the fix', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const sec1 = P256.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  for (const [pem, message] of [
    [rsa, /EC key on P-256 \(ES256\) or P-384 \(ES384\), not rsa/],
    [sec1, /PKCS#8 PEM .*openssl pkcs8 -topk8/],
    [k1, /not ec secp256k1/],
    [P256.publicPem, /PKCS#8/],
    ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /cannot be read as a PKCS#8 private key/],
  ] as const)
    await assert.rejects(
      signReference(EXAMPLE_JSON, pem),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message),
      String(message),
    );
});

test('reference keys: one EC P-256/P-384 PUBLIC KEY block; anything else is USAGE_ERROR', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const cases: [string, RegExp][] = [
    ['', /exactly one "PUBLIC KEY" block \(found no PEM block\)/],
    [P256.privatePem, /found "PRIVATE KEY"/],
    [P256.publicPem + P384.publicPem, /found "PUBLIC KEY", "PUBLIC KEY"/],
    [rsa, /EC key on P-256 or P-384 .*not rsa/],
    [k1, /not ec on another curve/],
    ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /bytes after its SubjectPublicKeyInfo/],
    ['-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n', /is not a usable public key: its SubjectPublicKeyInfo is not DER/],
    ['-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n', /not base64/],
    ['x'.repeat(20000), /characters long/],
  ];
  for (const [pem, message] of cases)
    assert.throws(
      () => readReferenceKey(pem),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message),
      String(message),
    );
  const key = readReferenceKey(`explanatory text\r\n${P256.publicPem.replace(/\n/g, '\r\n')}`);
  assert.equal(key.pem, P256.publicPem, 'normalised PEM');
  assert.equal(key.curve, 'P-256');
});

test('a file over 16 MiB is refused before anything is decoded', async () => {
  const big = new Uint8Array(MAX_REFERENCE_BYTES + 1).fill(0x65);
  await refused(big, 'MALFORMED_REFERENCE', /at most 16777216 bytes \(16 MiB\)/);
});
