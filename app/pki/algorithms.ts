import type { ErrorCode } from '../errors.js';
import type { EcCurve, HashName } from '../crypto/provider.js';
import { CURVE_FIELD_BYTES } from '../crypto/provider.js';
import { TAG, DerFields, derFail, rawOf, readBitString, readNull, readOid, readUnsigned } from './der.js';
import type { DerNode } from './der.js';

export interface SignatureAlgorithm {
  oid: string;
  name: string;
  kind: 'ecdsa' | 'rsa-pss' | 'rsa-pkcs1' | 'other';
  hash?: HashName;
  pss?: { hash: HashName; saltLength: number };
}

export interface PublicKeyInfo {
  /** The whole DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  algorithm: 'ec' | 'rsa' | 'rsa-pss' | 'other';
  curve?: EcCurve;
  /** Uncompressed 0x04 || X || Y, present when the curve is known and the point has that form. */
  point?: Uint8Array;
}

const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

/** ECDSA (RFC 5758 3.2: parameters absent) and PKCS#1 v1.5 (RFC 4055 5: parameters NULL). */
const SIMPLE = new Map<string, { name: string; kind: 'ecdsa' | 'rsa-pkcs1'; hash: HashName }>([
  ['1.2.840.10045.4.3.2', { name: 'ecdsa-with-SHA256', kind: 'ecdsa', hash: 'SHA-256' }],
  ['1.2.840.10045.4.3.3', { name: 'ecdsa-with-SHA384', kind: 'ecdsa', hash: 'SHA-384' }],
  ['1.2.840.10045.4.3.4', { name: 'ecdsa-with-SHA512', kind: 'ecdsa', hash: 'SHA-512' }],
  ['1.2.840.113549.1.1.11', { name: 'sha256WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'SHA-256' }],
  ['1.2.840.113549.1.1.12', { name: 'sha384WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'SHA-384' }],
  ['1.2.840.113549.1.1.13', { name: 'sha512WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'SHA-512' }],
]);

const HASHES = new Map<string, HashName>([
  ['2.16.840.1.101.3.4.2.1', 'SHA-256'],
  ['2.16.840.1.101.3.4.2.2', 'SHA-384'],
  ['2.16.840.1.101.3.4.2.3', 'SHA-512'],
]);

const CURVES = new Map<string, EcCurve>([
  ['1.2.840.10045.3.1.7', 'P-256'],
  ['1.3.132.0.34', 'P-384'],
]);

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280 4.1.1.2). */
function algorithmId(node: DerNode, code: ErrorCode, field: string): { oid: string; params?: DerNode } {
  const f = new DerFields(node, code, field);
  const oid = readOid(f.take(TAG.OID, field), code, field);
  const params = f.any();
  f.done();
  return params ? { oid, params } : { oid };
}

export function parseSignatureAlgorithm(node: DerNode, code: ErrorCode, field = 'signatureAlgorithm'): SignatureAlgorithm {
  const { oid, params } = algorithmId(node, code, field);
  const simple = SIMPLE.get(oid);
  if (simple) {
    if (simple.kind === 'ecdsa' && params) derFail('ECDSA parameters must be absent', params.start, code, field);
    if (simple.kind === 'rsa-pkcs1') {
      if (!params) derFail('RSA parameters must be NULL', node.start, code, field);
      readNull(params, code, field);
    }
    return { oid, ...simple };
  }
  if (oid === RSA_PSS) {
    if (!params) derFail('RSASSA-PSS parameters are required', node.start, code, field);
    const pss = pssParams(params, code, field);
    if (pss) return { oid, name: `RSASSA-PSS-${pss.hash}`, kind: 'rsa-pss', hash: pss.hash, pss };
    return { oid, name: 'RSASSA-PSS (unsupported parameters)', kind: 'other' };
  }
  return { oid, name: oid, kind: 'other' };
}

/**
 * RSASSA-PSS-params (RFC 4055 3.1). Only SHA-2 with MGF1 over the same hash and trailer 1 is
 * supported (what WebCrypto can verify); anything else parses but yields undefined.
 */
function pssParams(node: DerNode, code: ErrorCode, field: string): { hash: HashName; saltLength: number } | undefined {
  const f = new DerFields(node, code, field);
  const hashNode = f.maybe(TAG.CTX_0);
  const mgfNode = f.maybe(TAG.CTX_1);
  const saltNode = f.maybe(TAG.CTX_2);
  const trailerNode = f.maybe(TAG.CTX_3);
  f.done();
  const hash = hashNode ? hashAlgorithm(explicit(hashNode, code, field), code, field) : undefined;
  let mgfHash: HashName | undefined;
  if (mgfNode) {
    const mgf = algorithmId(explicit(mgfNode, code, field), code, field);
    if (mgf.oid === MGF1 && mgf.params) mgfHash = hashAlgorithm(mgf.params, code, field);
  }
  const saltLength = saltNode ? readUnsigned(explicit(saltNode, code, field), code, field, 0xffff) : 20;
  const trailer = trailerNode ? readUnsigned(explicit(trailerNode, code, field), code, field, 0xffff) : 1;
  return hash && mgfHash === hash && trailer === 1 ? { hash, saltLength } : undefined;
}

/** The single value inside an EXPLICIT [n] tag. */
function explicit(node: DerNode, code: ErrorCode, field: string): DerNode {
  const f = new DerFields(node, code, field);
  const inner = f.any();
  if (!inner) derFail('empty explicit tag', node.start, code, field);
  f.done();
  return inner;
}

/** A hash AlgorithmIdentifier: parameters NULL or absent (RFC 4055 2.1 allows both). */
function hashAlgorithm(node: DerNode, code: ErrorCode, field: string): HashName | undefined {
  const { oid, params } = algorithmId(node, code, field);
  if (params) readNull(params, code, field);
  return HASHES.get(oid);
}

/** SubjectPublicKeyInfo (RFC 5280 4.1.2.7; EC keys per RFC 5480 2). */
export function parsePublicKeyInfo(node: DerNode, code: ErrorCode, field = 'subjectPublicKeyInfo'): PublicKeyInfo {
  const f = new DerFields(node, code, field);
  const { oid, params } = algorithmId(f.take(TAG.SEQUENCE, field), code, field);
  const key = readBitString(f.take(TAG.BIT_STRING, field), code, field);
  f.done();
  const spki = rawOf(node);
  if (oid === '1.2.840.10045.2.1') {
    if (!params || params.tag !== TAG.OID) derFail('EC key needs a named curve', node.start, code, field);
    const curve = CURVES.get(readOid(params, code, field));
    if (!curve) return { spki, algorithm: 'ec' };
    const uncompressed = key.length === 1 + 2 * CURVE_FIELD_BYTES[curve] && key[0] === 0x04;
    return uncompressed ? { spki, algorithm: 'ec', curve, point: key } : { spki, algorithm: 'ec', curve };
  }
  if (oid === '1.2.840.113549.1.1.1') {
    if (!params) derFail('RSA key parameters must be NULL', node.start, code, field);
    readNull(params, code, field);
    return { spki, algorithm: 'rsa' };
  }
  if (oid === RSA_PSS) return { spki, algorithm: 'rsa-pss' };
  return { spki, algorithm: 'other' };
}
