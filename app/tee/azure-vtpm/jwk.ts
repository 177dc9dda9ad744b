import { concatBytes } from '../../bytes/hex.js';
import { fromBase64Compact } from '../../bytes/base64.js';
import { TeeError } from '../../errors.js';

/** rsaEncryption (RFC 8017 A.1) with its NULL parameters, as DER: the AlgorithmIdentifier of every RSA SPKI. */
const RSA_ALGORITHM = new Uint8Array([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);
const MODULUS_MAX = 512; // 4096-bit keys
const EXPONENT_MAX = 8;

/**
 * The DER SubjectPublicKeyInfo (RFC 5280 4.1, RFC 8017 A.1.1) of an RSA JWK (RFC 7518 6.3.1: n and e as
 * unpadded base64url), so the AK the HCL names can be handed to the TPM quote check like any other SPKI.
 * MALFORMED_EVIDENCE naming `field` for anything that is not an RSA public key of a sane size.
 */
export function rsaJwkToSpki(jwk: Record<string, unknown>, field: string): Uint8Array {
  if (jwk.kty !== 'RSA') bad(field, `kty is ${JSON.stringify(jwk.kty)}, not "RSA"`);
  const n = stripZeros(base64url(jwk.n, `${field}.n`, MODULUS_MAX));
  const e = stripZeros(base64url(jwk.e, `${field}.e`, EXPONENT_MAX));
  if (n.length < 128) bad(`${field}.n`, `is a ${8 * n.length}-bit modulus, shorter than 1024 bits`);
  if (e.length === 0 || (e[e.length - 1]! & 1) === 0) bad(`${field}.e`, 'is not an odd public exponent');
  const key = tlv(0x30, concatBytes(integer(n), integer(e)));
  return tlv(0x30, concatBytes(RSA_ALGORITHM, tlv(0x03, concatBytes(new Uint8Array([0]), key))));
}

function base64url(v: unknown, field: string, max: number): Uint8Array {
  const bytes = typeof v === 'string' && /^[A-Za-z0-9_-]*$/.test(v) && v.length <= Math.ceil((4 * max) / 3) + 4 ? fromBase64Compact(v) : undefined;
  if (!bytes || bytes.length > max) bad(field, `must be base64url of at most ${max} bytes`);
  return bytes;
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}

/** A positive DER INTEGER: a leading zero byte when the top bit is set (X.690 8.3). */
function integer(magnitude: Uint8Array): Uint8Array {
  return tlv(0x02, magnitude[0]! & 0x80 ? concatBytes(new Uint8Array([0]), magnitude) : magnitude);
}

/** Tag, definite length (short or long form, X.690 8.1.3), value. */
export function tlv(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concatBytes(new Uint8Array([tag, ...len]), value);
}

function bad(field: string, what: string): never {
  throw new TeeError('MALFORMED_EVIDENCE', `HCL runtime data: ${field} ${what}`, { field, offset: 0 });
}
