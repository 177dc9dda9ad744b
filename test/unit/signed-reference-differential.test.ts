import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify } from 'jose';
import type { KeyObject } from 'node:crypto';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import { TeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { signReference } from '../../main/reference/sign.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';
import { EXAMPLE_JSON, b64url, bytes, compactJws, testKey } from './signed-reference-support.js';
import type { TestKey } from './signed-reference-support.js';

/**
 * readReferenceFile against jose's compactVerify (an independent JWS implementation) on valid tokens and on
 * mutated ones. The one allowed disagreement: jose decodes a signature whose last base64url character has
 * non-zero pad bits (the same bytes), which the reader refuses as not canonical. Everything else must agree.
 */
const KEYS = { p256: testKey('P-256'), p384: testKey('P-384'), other: testKey('P-256') };
const CASES = Number(process.env.TEE_SIGNED_REFERENCE_DIFF_CASES ?? 400);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

async function joseAccepts(token: string, key: KeyObject): Promise<boolean> {
  try {
    await compactVerify(token.trimEnd(), key, { algorithms: ['ES256', 'ES384'] });
    return true;
  } catch {
    return false;
  }
}

async function oursAccepts(token: string, key: TestKey, provider = nodeCryptoProvider()): Promise<boolean> {
  try {
    const ref = await readReferenceFile(bytes(token), { crypto: provider, publicKeyPem: key.publicPem });
    assert.equal(ref.signature?.verified, true);
    return true;
  } catch (e) {
    assert.ok(e instanceof TeeError && e.code !== 'INTERNAL_ERROR', `typed error for ${token.slice(0, 80)}: ${String(e)}`);
    return false;
  }
}

/** The signature part decodes to bytes whose canonical encoding is another text: same signature, other spelling. */
function nonCanonicalSignature(token: string): boolean {
  const s = token.trimEnd().split('.')[2] ?? '';
  return /^[A-Za-z0-9_-]*$/.test(s) && b64url(Buffer.from(s, 'base64url')) !== s;
}

function mutateText(r: Prng, token: string): string {
  const chars = token.split('');
  const edits = 1 + r.int(3);
  for (let i = 0; i < edits; i++) {
    const at = r.int(chars.length);
    const kind = r.int(4);
    if (kind === 0) chars[at] = B64URL[r.int(64)]!;
    else if (kind === 1) chars[at] = String.fromCharCode(chars[at]!.charCodeAt(0) ^ (1 << r.int(7)));
    else if (kind === 2) chars.splice(at, 1);
    else chars.splice(at, 0, B64URL[r.int(64)]!);
  }
  return chars.join('');
}

/** Flips one bit in the decoded header, payload or signature and re-encodes it canonically. */
function flipDecoded(r: Prng, token: string): string {
  const parts = token.split('.');
  const which = r.int(3);
  const b = Buffer.from(parts[which]!, 'base64url');
  if (b.length > 0) b[r.int(b.length)] = b[r.int(b.length)]! ^ (1 << r.int(8));
  parts[which] = b64url(b);
  return parts.join('.');
}

async function agree(token: string, key: TestKey, why: string): Promise<void> {
  const [jose, ours] = [await joseAccepts(token, key.publicKey), await oursAccepts(token, key)];
  if (jose === ours) return;
  assert.ok(jose && !ours && nonCanonicalSignature(token), `${why}: jose ${jose}, readReferenceFile ${ours} for ${token.slice(0, 100)}…`);
}

test('valid tokens: both accept, ES256 and ES384, both crypto providers', async () => {
  for (const key of [KEYS.p256, KEYS.p384]) {
    const token = await signReference(EXAMPLE_JSON, key.privatePem);
    assert.equal(await joseAccepts(token, key.publicKey), true);
    assert.equal(await oursAccepts(token, key), true);
    assert.equal(await oursAccepts(`${token}\n`, key, webCryptoProvider()), true);
  }
});

test('swapped keys and alg confusion: both refuse', async () => {
  const es256 = await signReference(EXAMPLE_JSON, KEYS.p256.privatePem);
  const es384 = await signReference(EXAMPLE_JSON, KEYS.p384.privatePem);
  const [, payload] = es256.split('.');
  const hmacKey = Buffer.from(KEYS.p256.publicPem);
  const { createHmac } = await import('node:crypto');
  const hsInput = `${b64url(JSON.stringify({ alg: 'HS256' }))}.${payload}`;
  const tokens: [string, TestKey, string][] = [
    [es256, KEYS.other, 'another P-256 key'],
    [es256, KEYS.p384, 'a P-384 key for ES256'],
    [es384, KEYS.p256, 'a P-256 key for ES384'],
    [`${b64url('{"alg":"none"}')}.${payload}.`, KEYS.p256, 'alg none'],
    [`${hsInput}.${b64url(createHmac('sha256', hmacKey).update(hsInput).digest())}`, KEYS.p256, 'HS256 keyed with the public PEM'],
    [compactJws({ alg: 'ES384' }, EXAMPLE_JSON, KEYS.p256.privateKey), KEYS.p256, 'ES384 header over a P-256 signature'],
    [compactJws({ alg: 'ES256', jwk: KEYS.other.publicKey.export({ format: 'jwk' }) }, EXAMPLE_JSON, KEYS.other.privateKey), KEYS.p256, 'jwk header'],
  ];
  for (const [token, key, why] of tokens) {
    assert.equal(await joseAccepts(token, key.publicKey), false, `jose: ${why}`);
    assert.equal(await oursAccepts(token, key), false, `ours: ${why}`);
  }
});

test(`mutated tokens (${CASES} seeded cases): jose and readReferenceFile agree`, async () => {
  const r = prng(20261201);
  const tokens = [await signReference(EXAMPLE_JSON, KEYS.p256.privatePem), await signReference(EXAMPLE_JSON, KEYS.p384.privatePem)];
  let accepted = 0;
  for (let i = 0; i < CASES; i++) {
    const which = r.int(2);
    const token = r.next() < 0.5 ? mutateText(r, tokens[which]!) : flipDecoded(r, tokens[which]!);
    const key = r.next() < 0.1 ? KEYS.other : which === 0 ? KEYS.p256 : KEYS.p384;
    await agree(token, key, `case ${i}`);
    if (await joseAccepts(token, key.publicKey)) accepted++;
  }
  // Mutations of the signature's pad bits are the only ones that leave a valid signature: rare, never most.
  assert.ok(accepted < CASES / 10, `${accepted} mutated tokens still verified`);
});
