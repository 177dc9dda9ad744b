import { TeeError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { fromBase64Compact, toBase64 } from '../bytes/base64.js';
import { toHex } from '../bytes/hex.js';
import type { CryptoProvider, EcCurve, HashName } from '../crypto/provider.js';
import { pemBlocks } from '../pki/pem.js';
import { readNode } from '../pki/der.js';
import { parsePublicKeyInfo } from '../pki/algorithms.js';
import type { PublicKeyInfo } from '../pki/algorithms.js';
import { parseReferenceBytes } from './reference.js';
import type { ReferenceValues } from './reference.js';
import type { ReferenceSignature } from '../report/result.js';

/**
 * Reference files as given: tee-inspect/reference/v1 JSON, a known-good event log, or either signed as a JWS
 * compact serialization (RFC 7515 7.1) with ES256 or ES384 (docs/signed-references.md). The signature is checked
 * only with the key the user names: a key the file carries (`jwk`, `x5c`, `jku`) would let whoever wrote the
 * file choose the key that "verifies" it, so such headers are refused, never used.
 */
export const SIGNED_REFERENCE_TYPE = 'tee-inspect-reference+jws';
/** Larger files are refused before anything is decoded (as the API's file limit). */
export const MAX_REFERENCE_BYTES = 16 * 1024 * 1024;
const MAX_HEADER_CHARS = 4096;
const MAX_KEY_PEM = 16 * 1024;
const MALFORMED: ErrorCode = 'MALFORMED_REFERENCE';

type Alg = ReferenceSignature['alg'];
const ALGS: Readonly<Record<Alg, { curve: EcCurve; hash: HashName; size: number }>> = {
  ES256: { curve: 'P-256', hash: 'SHA-256', size: 32 },
  ES384: { curve: 'P-384', hash: 'SHA-384', size: 48 },
};
const HEADER_MEMBERS = ['alg', 'typ', 'kid'];
/** Header members that name a key: refused, since only the user's key may verify (RFC 8725 3.10). */
const KEY_CHOOSERS = ['jwk', 'jku', 'x5c', 'x5u', 'x5t', 'x5t#S256'];

export interface ReadReferenceOptions {
  /** SPKI PEM of the key the set must be signed with; given, an unsigned or altered file is refused. */
  publicKeyPem?: string;
  crypto: CryptoProvider;
}

/** An EC public key the user named, read strictly. */
export interface ReferenceKey {
  /** The key re-encoded as one canonical PEM block. */
  pem: string;
  spki: Uint8Array;
  curve: EcCurve;
  point: Uint8Array;
}

interface CompactJws {
  alg: Alg;
  /** ASCII(BASE64URL(header) '.' BASE64URL(payload)), the bytes the signature covers. */
  signingInput: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * The reference values in `bytes`, with the file's SHA-256 and, for a signed file, its signature: verified
 * with `publicKeyPem` when given (REFERENCE_UNSIGNED / REFERENCE_SIGNATURE_INVALID otherwise), recorded as not
 * checked when not. Every failure is a TeeError with a stable code.
 */
export async function readReferenceFile(bytes: Uint8Array, opts: ReadReferenceOptions): Promise<ReferenceValues> {
  if (bytes.length > MAX_REFERENCE_BYTES)
    throw new TeeError(MALFORMED, `the reference file is ${bytes.length} bytes; at most ${MAX_REFERENCE_BYTES} bytes (16 MiB) are read`, { field: '$' });
  const key = opts.publicKeyPem === undefined ? undefined : readReferenceKey(opts.publicKeyPem);
  const sha256 = toHex(await opts.crypto.digest('SHA-256', bytes));
  if (!looksLikeCompactJws(bytes)) {
    if (key) throw unsigned();
    return { ...parseReferenceBytes(bytes), sha256 };
  }
  const jws = decodeCompactJws(bytes);
  if (!key) return { ...payloadValues(jws), sha256, signature: { alg: jws.alg, verified: false } };
  const keySha256 = toHex(await opts.crypto.digest('SHA-256', key.spki));
  await verifySignature(jws, key, keySha256, opts.crypto);
  return { ...payloadValues(jws), sha256, signature: { alg: jws.alg, keySha256, publicKeyPem: key.pem, verified: true } };
}

/** A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) on P-256 or P-384; anything else is the user's mistake (USAGE_ERROR). */
export function readReferenceKey(pem: string): ReferenceKey {
  if (pem.length > MAX_KEY_PEM) throw keyError(`it is ${pem.length} characters long; a public key PEM is far shorter`);
  let blocks;
  try {
    blocks = pemBlocks(pem, 'USAGE_ERROR');
  } catch (e) {
    throw keyError((e as Error).message);
  }
  if (blocks.length !== 1 || blocks[0]!.label !== 'PUBLIC KEY') {
    const found = blocks.length === 0 ? 'no PEM block' : blocks.map((b) => `"${b.label}"`).join(', ');
    throw keyError(`it must hold exactly one "PUBLIC KEY" block (found ${found}); export it with: openssl ec -in key.pem -pubout -out pub.pem`);
  }
  const der = blocks[0]!.der;
  const info = publicKeyInfo(der);
  if (info.algorithm !== 'ec' || !info.curve || !info.point)
    throw keyError(
      `it must be an EC key on P-256 or P-384 with an uncompressed point, not ${info.algorithm}${info.algorithm === 'ec' ? ' on another curve' : ''}`,
    );
  return { pem: toPem(der), spki: der, curve: info.curve, point: info.point };
}

function publicKeyInfo(der: Uint8Array): PublicKeyInfo {
  try {
    const node = readNode(der, 0, der.length, 'USAGE_ERROR', 'referenceKey');
    if (node.end !== der.length) throw keyError('the PEM body has bytes after its SubjectPublicKeyInfo');
    return parsePublicKeyInfo(node, 'USAGE_ERROR', 'referenceKey');
  } catch (e) {
    if (e instanceof TeeError && e.code === 'USAGE_ERROR' && !e.message.startsWith('the reference key'))
      throw keyError(`its SubjectPublicKeyInfo is not DER: ${e.message}`);
    throw e;
  }
}

function keyError(why: string): TeeError {
  return new TeeError('USAGE_ERROR', `the reference key (--reference-key) is not a usable public key: ${why}`);
}

function unsigned(): TeeError {
  return new TeeError(
    'REFERENCE_UNSIGNED',
    'the reference file is not signed, but a reference key was given (--reference-key), which asks for a signed one: sign the set (tee-inspect reference create --sign-key KEY.pem), or give no key',
  );
}

function toPem(der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${body.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

const DOT = 0x2e;

function isBase64UrlByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f;
}

/**
 * A compact JWS begins with a base64url header and a dot; JSON begins with "{" or blanks and an event log with
 * binary, so neither is taken for one. What then is not a well-formed JWS is refused by decodeCompactJws.
 */
function looksLikeCompactJws(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isBase64UrlByte(bytes[i]!)) i++;
  return i >= 4 && bytes[i] === DOT;
}

/** Trailing blanks (an editor's final newline) are allowed; nothing else outside the three parts. */
function trimmedLength(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[end - 1]!)) end--;
  return end;
}

function decodeCompactJws(bytes: Uint8Array): CompactJws {
  const end = trimmedLength(bytes);
  const dots: number[] = [];
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === DOT) dots.push(i);
    else if (!isBase64UrlByte(b))
      malformed(`holds the byte 0x${b.toString(16).padStart(2, '0')} at offset ${i}; a compact JWS is base64url text and dots only`, i);
    if (dots.length > 2) malformed('has more than three parts; a compact JWS is header.payload.signature (a JWE or JSON serialization is not read)', i);
  }
  if (dots.length !== 2) malformed('has two parts; a compact JWS is header.payload.signature', end);
  const [first, second] = dots as [number, number];
  if (first > MAX_HEADER_CHARS) malformed(`has a protected header of ${first} characters; at most ${MAX_HEADER_CHARS} are read`, 0);
  const alg = parseHeader(base64Url(bytes.subarray(0, first), 'protected header', 0));
  const payload = base64Url(bytes.subarray(first + 1, second), 'payload', first + 1);
  const signature = base64Url(bytes.subarray(second + 1, end), 'signature', second + 1);
  const size = 2 * ALGS[alg].size;
  if (signature.length !== size) malformed(`has a ${signature.length}-byte signature; ${alg} signatures are ${size} bytes (r || s, RFC 7518 3.4)`, second + 1);
  return { alg, signingInput: bytes.subarray(0, second), payload, signature };
}

/** Unpadded, canonical base64url (RFC 7515 2): one encoding per value, so the signed text is the only spelling. */
function base64Url(part: Uint8Array, what: string, offset: number): Uint8Array {
  const text = new TextDecoder().decode(part);
  const out = text.length % 4 === 1 ? undefined : fromBase64Compact(text);
  if (!out || !zeroPadBits(text)) malformed(`has a ${what} that is not canonical unpadded base64url`, offset);
  return out;
}

function zeroPadBits(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(text[text.length - 1]!);
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

function parseHeader(bytes: Uint8Array): Alg {
  let text: string;
  let header: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    header = JSON.parse(text);
  } catch (e) {
    malformed(`has a protected header that is not UTF-8 JSON (${(e as Error).message})`, 0);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) malformed('has a protected header that is not a JSON object', 0);
  const h = header as Record<string, unknown>;
  for (const key of Object.keys(h)) headerMember(key, h[key]);
  if (memberCount(text) !== Object.keys(h).length) malformed('has a protected header that repeats a member', 0);
  if (h.typ !== undefined) checkType(h.typ as string);
  const alg = h.alg;
  if (alg === undefined) malformed('has a protected header without "alg"', 0);
  if (alg !== 'ES256' && alg !== 'ES384')
    malformed(`is signed with "${String(alg).slice(0, 20)}"; only ES256 and ES384 are accepted (never "none", never an HMAC such as HS256)`, 0);
  return alg;
}

function headerMember(key: string, value: unknown): void {
  if (key === 'crit') malformed('has a protected header with "crit" (critical extensions), which tee-inspect does not implement', 0);
  if (KEY_CHOOSERS.includes(key))
    malformed(
      `has a protected header with "${key}": a signed reference is verified only with the key you name (--reference-key), never one the file brings`,
      0,
    );
  if (!HEADER_MEMBERS.includes(key)) malformed(`has the protected header member "${key.slice(0, 40)}"; only ${HEADER_MEMBERS.join(', ')} are read`, 0);
  if (typeof value !== 'string' || value.length === 0 || value.length > 256)
    malformed(`has a protected header "${key}" that is not a string of 1 to 256 characters`, 0);
}

/** RFC 7515 4.1.9: "application/" may be left out, and media types compare case-insensitively. */
function checkType(typ: string): void {
  if (typ.toLowerCase().replace(/^application\//, '') !== SIGNED_REFERENCE_TYPE)
    malformed(`has typ "${typ.slice(0, 60)}", not "${SIGNED_REFERENCE_TYPE}": it is not a signed reference file (an EAR token is not one)`, 0);
}

/** JSON.parse keeps the last of repeated members; counted here (every value is a string by now) to refuse them. */
function memberCount(text: string): number {
  const member = /\s*"(?:[^"\\]|\\.)*"\s*:\s*"(?:[^"\\]|\\.)*"\s*/y;
  let at = text.indexOf('{') + 1;
  let n = 0;
  for (;;) {
    member.lastIndex = at;
    if (!member.exec(text)) return n;
    n++;
    at = member.lastIndex;
    if (text[at] !== ',') return n;
    at++;
  }
}

async function verifySignature(jws: CompactJws, key: ReferenceKey, keySha256: string, crypto: CryptoProvider): Promise<void> {
  const { curve, hash } = ALGS[jws.alg];
  const who = `the reference key (sha256:${keySha256.slice(0, 16)}…)`;
  if (key.curve !== curve)
    throw new TeeError(
      'REFERENCE_SIGNATURE_INVALID',
      `the reference file is signed with ${jws.alg}, which needs a ${curve} key, but ${who} is ${key.curve}: it was signed with another key`,
    );
  const ok = await crypto.verifyEcdsa({ curve, hash, publicKey: key.point, signature: jws.signature, message: jws.signingInput });
  if (!ok)
    throw new TeeError(
      'REFERENCE_SIGNATURE_INVALID',
      `the reference file's signature does not verify with ${who}: the file was altered or signed with another key`,
    );
}

/** The signed payload as a reference file; its errors say they are about the payload. */
function payloadValues(jws: CompactJws): ReferenceValues {
  try {
    return parseReferenceBytes(jws.payload);
  } catch (e) {
    if (!(e instanceof TeeError)) throw e;
    throw new TeeError(e.code, `the signed payload: ${e.message}`, { ...e.detail });
  }
}

function malformed(why: string, offset: number): never {
  throw new TeeError(MALFORMED, `the signed reference file (JWS) ${why}`, { field: 'jws', offset });
}
