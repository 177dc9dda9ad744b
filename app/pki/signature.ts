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

/**
 * Verifies that `key` signed `signed.tbs`. Resolves false, never throws, for a bad signature, an
 * algorithm the key cannot make (an RSA key with ECDSA, an unknown curve), or one the provider
 * lacks (RSA PKCS#1 v1.5 is not needed by the vendors we check).
 */
export async function verifySignedBy(
  crypto: CryptoProvider,
  signed: { tbs: Uint8Array; signature: Uint8Array; signatureAlgorithm: SignatureAlgorithm },
  key: PublicKeyInfo,
): Promise<boolean> {
  const alg = signed.signatureAlgorithm;
  try {
    if (alg.kind === 'ecdsa' && alg.hash && key.algorithm === 'ec' && key.curve && key.point) {
      const raw = ecdsaDerToRaw(signed.signature, CURVE_FIELD_BYTES[key.curve]);
      if (!raw) return false;
      return (await crypto.verifyEcdsa({ curve: key.curve, hash: alg.hash, publicKey: key.point, signature: raw, message: signed.tbs })) === true;
    }
    if (alg.kind === 'rsa-pss' && alg.pss && (key.algorithm === 'rsa' || key.algorithm === 'rsa-pss') && crypto.verifyRsaPss) {
      const { hash, saltLength } = alg.pss;
      return (await crypto.verifyRsaPss({ hash, saltLength, spki: key.spki, signature: signed.signature, message: signed.tbs })) === true;
    }
    return false;
  } catch {
    return false; // a provider that throws is treated as a failed verification
  }
}
