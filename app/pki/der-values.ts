import type { ErrorCode } from '../errors.js';
import { TAG, derFail, expectTag } from './der-node.js';
import type { DerNode } from './der-node.js';

const DEFAULT: ErrorCode = 'MALFORMED_EVIDENCE';

export interface DerInteger {
  /** Two's-complement content octets, as a view. */
  bytes: Uint8Array;
  negative: boolean;
  /** The value when it is non-negative and at most 2^53 - 1. */
  value?: number;
}

/** INTEGER (or ENUMERATED via `tag`): at least one octet, minimal two's complement (X.690 8.3.2). */
export function readInteger(node: DerNode, code: ErrorCode = DEFAULT, field = 'integer', tag: number = TAG.INTEGER): DerInteger {
  checkInteger(node, code, field, tag);
  const { buf } = node;
  const s = node.start + node.headerLength;
  const bytes = buf.subarray(s, node.end);
  const negative = buf[s]! >= 0x80;
  if (negative || node.length > 8) return { bytes, negative };
  let value = 0;
  for (let i = s; i < node.end; i++) value = value * 256 + buf[i]!;
  return value <= Number.MAX_SAFE_INTEGER ? { bytes, negative, value } : { bytes, negative };
}

/** A non-negative INTEGER (or ENUMERATED) no larger than `max`, as a number. */
export function readUnsigned(node: DerNode, code: ErrorCode = DEFAULT, field = 'integer', max = Number.MAX_SAFE_INTEGER, tag: number = TAG.INTEGER): number {
  const { negative, value } = readInteger(node, code, field, tag);
  if (negative) derFail('negative integer', node.start, code, field);
  if (value === undefined || value > max) derFail(`integer larger than ${max}`, node.start, code, field);
  return value;
}

function checkInteger(node: DerNode, code: ErrorCode, field: string, tag: number): void {
  expectTag(node, tag, code, field);
  const { buf } = node;
  const s = node.start + node.headerLength;
  if (node.length === 0) derFail('empty integer', node.start, code, field);
  if (node.length > 1) {
    const a = buf[s]!;
    const b = buf[s + 1]!;
    if ((a === 0 && b < 0x80) || (a === 0xff && b >= 0x80)) derFail('non-minimal integer', node.start, code, field);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lower-case hex of a non-negative INTEGER without leading zero octets ('00' for zero), read straight
 * from the buffer: serial numbers in certificates and CRLs compare by this string.
 */
export function unsignedHex(node: DerNode, code: ErrorCode = DEFAULT, field = 'serialNumber'): string {
  checkInteger(node, code, field, TAG.INTEGER);
  const { buf } = node;
  let i = node.start + node.headerLength;
  if (buf[i]! >= 0x80) derFail('negative serial number', node.start, code, field);
  while (i < node.end - 1 && buf[i] === 0) i++;
  let out = '';
  for (; i < node.end; i++) out += HEX[buf[i]!];
  return out;
}

/**
 * OBJECT IDENTIFIER as dotted text (X.690 8.19): each arc base-128 and minimal, the last octet
 * complete, every arc a safe integer.
 */
export function readOid(node: DerNode, code: ErrorCode = DEFAULT, field = 'oid'): string {
  expectTag(node, TAG.OID, code, field);
  const { buf } = node;
  const s = node.start + node.headerLength;
  if (node.length === 0) derFail('empty OID', node.start, code, field);
  let out = '';
  let value = 0;
  let arcStart = true;
  for (let i = s; i < node.end; i++) {
    const b = buf[i]!;
    if (arcStart && b === 0x80) derFail('non-minimal OID arc', i, code, field);
    if (value > 0x3fffffffffff) derFail('OID arc too large', i, code, field);
    value = value * 128 + (b & 0x7f);
    arcStart = (b & 0x80) === 0;
    if (!arcStart) continue;
    if (out === '') out = value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`;
    else out += `.${value}`;
    value = 0;
  }
  if (!arcStart) derFail('truncated OID arc', node.end, code, field);
  return out;
}

/** BIT STRING holding whole octets (keys, signatures): unused-bits octet must be 0 (RFC 5280 4.1.1.3). */
export function readBitString(node: DerNode, code: ErrorCode = DEFAULT, field = 'bitString'): Uint8Array {
  expectTag(node, TAG.BIT_STRING, code, field);
  const s = node.start + node.headerLength;
  if (node.length === 0) derFail('empty bit string', node.start, code, field);
  if (node.buf[s] !== 0) derFail('bit string with unused bits', node.start, code, field);
  return node.buf.subarray(s + 1, node.end);
}

/** BIT STRING of named bits (KeyUsage): up to 7 unused bits, which must be zero (X.690 11.2.1). */
export function readNamedBits(node: DerNode, code: ErrorCode = DEFAULT, field = 'bitString'): Uint8Array {
  expectTag(node, TAG.BIT_STRING, code, field);
  const s = node.start + node.headerLength;
  if (node.length === 0) derFail('empty bit string', node.start, code, field);
  const unused = node.buf[s]!;
  if (unused > 7 || (node.length === 1 && unused !== 0)) derFail('bad unused-bits count', node.start, code, field);
  if (node.length > 1 && (node.buf[node.end - 1]! & ((1 << unused) - 1)) !== 0) derFail('non-zero padding bits', node.start, code, field);
  return node.buf.subarray(s + 1, node.end);
}

/** Bit `n` (0 = most significant bit of the first octet) of a named-bit string. */
export function bitAt(bits: Uint8Array, n: number): boolean {
  return ((bits[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
}

/** BOOLEAN: one octet, 0x00 or 0xFF (X.690 11.1). */
export function readBoolean(node: DerNode, code: ErrorCode = DEFAULT, field = 'boolean'): boolean {
  expectTag(node, TAG.BOOLEAN, code, field);
  const v = node.buf[node.start + node.headerLength];
  if (node.length !== 1 || (v !== 0 && v !== 0xff)) derFail('bad DER boolean', node.start, code, field);
  return v === 0xff;
}

export function readNull(node: DerNode, code: ErrorCode = DEFAULT, field = 'null'): void {
  expectTag(node, TAG.NULL, code, field);
  if (node.length !== 0) derFail('NULL with content', node.start, code, field);
}

/** OCTET STRING content as a view; `size` demands an exact length. */
export function readOctetString(node: DerNode, code: ErrorCode = DEFAULT, field = 'octetString', size?: number): Uint8Array {
  expectTag(node, TAG.OCTET_STRING, code, field);
  if (size !== undefined && node.length !== size) derFail(`expected ${size} bytes but found ${node.length}`, node.start, code, field);
  return node.buf.subarray(node.start + node.headerLength, node.end);
}
