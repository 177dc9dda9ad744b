/**
 * A small, strict DER reader (X.690 distinguished encoding): single-byte tags, definite minimal
 * lengths of at most 4 octets, every value bounded by its parent. Malformed input always throws
 * ParseError with the caller's error code. Split over three files only to keep each one short.
 */
export { TAG, DerFields, readNode, readNodeInto, children, contentOf, rawOf, expectTag, derFail } from './der-node.js';
export type { DerNode } from './der-node.js';
export { readInteger, readUnsigned, unsignedHex, readOid, readBitString, readNamedBits, bitAt, readBoolean, readNull, readOctetString } from './der-values.js';
export type { DerInteger } from './der-values.js';
export { readTime, readString, isStringTag } from './der-text.js';
