import { ParseError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** Identifier bytes (X.690 8.1.2) used by X.509; a tag here is always the single identifier byte. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** Context-specific constructed [0]..[3] (EXPLICIT tags in X.509). */
  CTX_0: 0xa0,
  CTX_1: 0xa1,
  CTX_2: 0xa2,
  CTX_3: 0xa3,
  /** Context-specific primitive [1], [2] (IMPLICIT issuer/subjectUniqueID). */
  CTX_PRIM_1: 0x81,
  CTX_PRIM_2: 0x82,
} as const;

const CONSTRUCTED = 0x20;

/** One DER TLV: `buf[start]` is the tag, content is `buf[start + headerLength .. end)`. */
export interface DerNode {
  tag: number;
  start: number;
  headerLength: number;
  length: number;
  end: number;
  buf: Uint8Array;
}

export function derFail(message: string, offset: number, code: ErrorCode, field: string): never {
  throw new ParseError(message, { field, offset }, code);
}

/** Reads the TLV at `offset`, which must end at or before `limit` (the parent's end). */
export function readNode(buf: Uint8Array, offset: number, limit: number, code: ErrorCode = 'MALFORMED_EVIDENCE', field = 'der'): DerNode {
  return readNodeInto(buf, offset, limit, code, field, { tag: 0, start: 0, headerLength: 0, length: 0, end: 0, buf });
}

/**
 * As readNode, but fills `out` instead of allocating: the CRL parser walks thousands of entries
 * with a few reused nodes. DER (X.690 10.1) demands definite, minimal lengths.
 */
export function readNodeInto(buf: Uint8Array, offset: number, limit: number, code: ErrorCode, field: string, out: DerNode): DerNode {
  const max = Math.min(limit, buf.length);
  if (!(offset >= 0 && offset + 2 <= max)) derFail('truncated DER header', offset, code, field);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) derFail('multi-byte DER tags are not supported', offset, code, field);
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) derFail('indefinite length is not DER', offset, code, field);
    if (n > 4) derFail('DER length of more than 4 bytes', offset, code, field);
    if (offset + 2 + n > max) derFail('truncated DER length', offset, code, field);
    if (buf[offset + 2] === 0) derFail('non-minimal DER length', offset, code, field);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
    if (length < 0x80) derFail('non-minimal DER length', offset, code, field);
    header = 2 + n;
  }
  if (length > max - offset - header) derFail(`DER value of ${length} bytes runs past its container`, offset, code, field);
  out.tag = tag;
  out.start = offset;
  out.headerLength = header;
  out.length = length;
  out.end = offset + header + length;
  out.buf = buf;
  return out;
}

/** The TLVs inside a constructed node; together they must cover its content exactly. */
export function children(node: DerNode, code: ErrorCode = 'MALFORMED_EVIDENCE', field = 'der'): DerNode[] {
  if (!(node.tag & CONSTRUCTED)) derFail('expected a constructed DER value', node.start, code, field);
  const out: DerNode[] = [];
  for (let at = node.start + node.headerLength; at < node.end;) {
    const child = readNode(node.buf, at, node.end, code, field);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The content octets, as a view (no copy). */
export function contentOf(node: DerNode): Uint8Array {
  return node.buf.subarray(node.start + node.headerLength, node.end);
}

/** The whole encoding, tag to end, as a view (no copy). */
export function rawOf(node: DerNode): Uint8Array {
  return node.buf.subarray(node.start, node.end);
}

export function expectTag(node: DerNode, tag: number, code: ErrorCode, field: string): void {
  if (node.tag !== tag) derFail(`expected DER tag 0x${hex2(tag)} but found 0x${hex2(node.tag)}`, node.start, code, field);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Walks the fields of a SEQUENCE in order, with OPTIONAL fields recognised by their tag. */
export class DerFields {
  private index = 0;
  private readonly nodes: DerNode[];

  constructor(
    readonly parent: DerNode,
    readonly code: ErrorCode,
    readonly field: string,
  ) {
    this.nodes = children(parent, code, field);
  }

  /** The next field, which must be present and carry `tag`. */
  take(tag: number, field: string): DerNode {
    const node = this.nodes[this.index];
    if (!node) derFail(`missing ${field}`, this.parent.end, this.code, field);
    expectTag(node, tag, this.code, field);
    this.index++;
    return node;
  }

  /** The next field if it carries `tag` (an OPTIONAL or DEFAULT field that is present). */
  maybe(tag: number): DerNode | undefined {
    const node = this.nodes[this.index];
    if (!node || node.tag !== tag) return undefined;
    this.index++;
    return node;
  }

  /** The next field whatever its tag (ANY), or undefined at the end. */
  any(): DerNode | undefined {
    const node = this.nodes[this.index];
    if (node) this.index++;
    return node;
  }

  /** Rejects anything left over: unknown trailing fields are not DER for these types. */
  done(): void {
    const node = this.nodes[this.index];
    if (node) derFail(`unexpected extra field in ${this.field}`, node.start, this.code, this.field);
  }
}
