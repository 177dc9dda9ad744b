import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { TeeError } from '../../app/errors.js';
import { readEar } from '../../app/report/ear-read.js';
import type { DecodedToken, EarView } from '../../app/report/ear-read.js';
import type { EarClaims } from '../../app/report/ear.js';

/**
 * JWS for EAR tokens, with jose. Signing is ES256 with the user's P-256 key (PKCS#8 PEM); verifying accepts
 * ES256 and ES384 and only ever with the key the user named: a `jwk` or `x5c` in the token's own header
 * would let whoever made the token choose the key that "verifies" it, so it is never looked at.
 */
const CURVE: Readonly<Record<'ES256' | 'ES384', string>> = { ES256: 'prime256v1', ES384: 'secp384r1' };

export async function signEar(claims: EarClaims, privateKeyPem: string): Promise<string> {
  const key = privateKey(privateKeyPem);
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  return new CompactSign(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
}

/** The payload as signed, re-read from the verified bytes (not from the unverified decoding). */
export async function verifyEar(token: DecodedToken, publicKeyPem: string): Promise<EarView> {
  return readEar(await verifyJws(token, publicKeyPem));
}

/**
 * The JSON payload of a JWS compact token whose signature verifies with the key given (any token's, not only
 * one carrying a tee-inspect report). EAR_UNVERIFIED when it does not; USAGE_ERROR when the key is not a PEM.
 */
export async function verifyJws(token: { text: string; alg: 'ES256' | 'ES384' }, publicKeyPem: string): Promise<unknown> {
  const key = publicKey(publicKeyPem, token.alg);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token.text, key, { algorithms: [token.alg] }));
  } catch (e) {
    throw new TeeError(
      'EAR_UNVERIFIED',
      `the EAR token's signature does not verify with the key given (${(e as Error).message}): it was not signed with its private key, or it was altered`,
    );
  }
  return JSON.parse(new TextDecoder().decode(payload));
}

/** The JWK (crv, x, y) of a PEM public key, to compare it with published example keys; undefined if unreadable. */
export function publicJwk(pem: string): { crv?: string; x?: string; y?: string } | undefined {
  try {
    return createPublicKey({ key: pem, format: 'pem' }).export({ format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** The user's unencrypted PKCS#8 private key (`--sign-key`), any algorithm: callers check it is the one they sign with. */
export function readPkcs8Key(pem: string): KeyObject {
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem))
    throw new TeeError(
      'USAGE_ERROR',
      '--sign-key must be an unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"); convert an EC key with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8.pem',
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', `--sign-key cannot be read as a PKCS#8 private key: ${(e as Error).message}`);
  }
  return key;
}

function privateKey(pem: string): KeyObject {
  const key = readPkcs8Key(pem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== CURVE.ES256) {
    throw new TeeError(
      'USAGE_ERROR',
      `--sign-key must be a P-256 (prime256v1) EC key for ES256, not ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim(),
    );
  }
  return key;
}

function publicKey(pem: string, alg: 'ES256' | 'ES384'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', `the public key (--key) cannot be read as a PEM public key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== CURVE[alg]) {
    throw new TeeError(
      'EAR_UNVERIFIED',
      `the token is signed with ${alg}, which needs a ${CURVE[alg]} EC key; the public key given (--key) is ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim(),
    );
  }
  return key;
}
