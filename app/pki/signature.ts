import type { CryptoProvider } from '../crypto/provider.js';
import { CURVE_FIELD_BYTES } from '../crypto/provider.js';
import type { PublicKeyInfo, SignatureAlgorithm } from './algorithms.js';

/**
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 2.2.3) to raw r || s, each
 * left-padded to `size` bytes. Strict DER: short-form lengths (enough up to P-384), minimal
 * positive integers, no trailing bytes. Returns undefined for anything else.
 */
export function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array | undefined {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2 || sig[1]! >= 0x80) return undefined;
  const out = new Uint8Array(2 * size);
  const afterR = copyInteger(sig, 2, out, 0, size);
  if (afterR < 0) return undefined;
  const afterS = copyInteger(sig, afterR, out, size, size);
  return afterS === sig.length ? out : undefined;
}

/** Copies the INTEGER at `at` into out[dest .. dest+size) right-aligned; returns its end or -1. */
function copyInteger(sig: Uint8Array, at: number, out: Uint8Array, dest: number, size: number): number {
  if (sig[at] !== 0x02) return -1;
  const len = sig[at + 1] ?? 0x80;
  const start = at + 2;
  const end = start + len;
  if (len === 0 || len >= 0x80 || end > sig.length) return -1;
  const first = sig[start]!;
  if (first >= 0x80) return -1; // negative
  if (first === 0 && (len === 1 || sig[start + 1]! < 0x80)) return -1; // zero or non-minimal
  const value = sig.subarray(first === 0 ? start + 1 : start, end);
  if (value.length > size) return -1;
  out.set(value, dest + size - value.length);
  return end;
}

/** Why a signature was not accepted: the plain reason, never a bare `false` (PeculiarVentures' lesson). */
export type SignatureFailure =
  'bad-signature' | 'malformed-signature' | 'unsupported-algorithm' | 'key-algorithm-mismatch' | 'provider-lacks-algorithm' | 'provider-error';

/** `detail` completes the reason: for 'unsupported-algorithm' it names what is unsupported, else it is a sentence. */
export type SignatureOutcome = { ok: true } | { ok: false; reason: SignatureFailure; detail: string };

export interface SignedData {
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
}

const OK: SignatureOutcome = { ok: true };

function failed(reason: SignatureFailure, detail: string): SignatureOutcome {
  return { ok: false, reason, detail };
}

/**
 * Verifies that `key` signed `signed.tbs`. Resolves, never throws: a signature that does not
 * verify, bytes that are not a signature, an algorithm we do not implement, a key that cannot make
 * the signature (RFC 5480 and RFC 4055 tie each key type to its algorithms), a provider without
 * the algorithm, and a provider that throws are each told apart.
 */
export async function verifySignedBy(crypto: CryptoProvider, signed: SignedData, key: PublicKeyInfo): Promise<SignatureOutcome> {
  const alg = signed.signatureAlgorithm;
  try {
    if (alg.kind === 'ecdsa') return await verifyEcdsa(crypto, signed, key);
    if (alg.kind === 'rsa-pss' || alg.kind === 'rsa-pkcs1') return await verifyRsa(crypto, signed, key);
    return failed('unsupported-algorithm', `the signature algorithm ${alg.name}`);
  } catch (e) {
    return failed('provider-error', `the crypto provider "${crypto.name}" failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** ECDSA (RFC 5758 3.2) with a named-curve key (RFC 5480 2.1.1) whose point is uncompressed. */
async function verifyEcdsa(crypto: CryptoProvider, signed: SignedData, key: PublicKeyInfo): Promise<SignatureOutcome> {
  const alg = signed.signatureAlgorithm;
  if (key.algorithm !== 'ec') return failed('key-algorithm-mismatch', `${alg.name} needs an EC key, not ${keyName(key)}`);
  if (!key.curve) return failed('unsupported-algorithm', 'EC keys on curves other than P-256 and P-384');
  if (!key.point) return failed('unsupported-algorithm', `${key.curve} keys that are not uncompressed points`);
  const raw = ecdsaDerToRaw(signed.signature, CURVE_FIELD_BYTES[key.curve]);
  if (!raw) return failed('malformed-signature', `the signature is not a DER Ecdsa-Sig-Value for ${key.curve} (RFC 3279 2.2.3)`);
  if (!alg.hash) return failed('unsupported-algorithm', `${alg.name} without a hash`);
  const ok = await crypto.verifyEcdsa({ curve: key.curve, hash: alg.hash, publicKey: key.point, signature: raw, message: signed.tbs });
  return ok === true ? OK : failed('bad-signature', `the ${alg.name} signature does not match the ${key.curve} key`);
}

/**
 * RSASSA-PSS and RSASSA-PKCS1-v1_5 (RFC 8017 8). An rsaEncryption key may make either; an
 * id-RSASSA-PSS key only PSS (RFC 4055 1.2).
 */
async function verifyRsa(crypto: CryptoProvider, signed: SignedData, key: PublicKeyInfo): Promise<SignatureOutcome> {
  const alg = signed.signatureAlgorithm;
  const fits = key.algorithm === 'rsa' || (key.algorithm === 'rsa-pss' && alg.kind === 'rsa-pss');
  if (!fits) return failed('key-algorithm-mismatch', `${alg.name} needs an RSA key, not ${keyName(key)}`);
  if (!alg.hash) return failed('unsupported-algorithm', `${alg.name} without a hash`);
  const input = { hash: alg.hash, spki: key.spki, signature: signed.signature, message: signed.tbs };
  let ok: boolean;
  if (alg.kind === 'rsa-pss') {
    if (!alg.pss) return failed('unsupported-algorithm', `${alg.name} without RSASSA-PSS parameters`);
    if (!crypto.verifyRsaPss) return failed('provider-lacks-algorithm', `the crypto provider "${crypto.name}" has no RSA-PSS`);
    ok = await crypto.verifyRsaPss({ ...input, saltLength: alg.pss.saltLength });
  } else {
    if (!crypto.verifyRsaPkcs1) return failed('provider-lacks-algorithm', `the crypto provider "${crypto.name}" has no RSA PKCS#1 v1.5`);
    ok = await crypto.verifyRsaPkcs1(input);
  }
  return ok === true ? OK : failed('bad-signature', `the ${alg.name} signature does not match the RSA key`);
}

function keyName(key: PublicKeyInfo): string {
  const names = {
    ec: `an EC${key.curve ? ` ${key.curve}` : ''} key`,
    rsa: 'an RSA key',
    'rsa-pss': 'an RSASSA-PSS key',
    other: 'a key of an unknown algorithm',
  };
  return names[key.algorithm];
}

/** The outcome in plain words for problem texts: "the signature is wrong", "the crypto provider has no RSA-PSS". */
export function explainSignature(outcome: SignatureOutcome): string {
  if (outcome.ok) return 'the signature verifies';
  switch (outcome.reason) {
    case 'bad-signature':
      return 'the signature is wrong (the signed data or the signature was altered, or another key signed it)';
    case 'malformed-signature':
      return `the signature is malformed: ${outcome.detail}`;
    case 'unsupported-algorithm':
      return `this verifier does not support ${outcome.detail}`;
    case 'key-algorithm-mismatch':
      return `the issuer's key cannot make this signature: ${outcome.detail}`;
    case 'provider-lacks-algorithm':
      return outcome.detail;
    case 'provider-error':
      return outcome.detail;
  }
}
