import type { ErrorCode } from '../errors.js';
import { TAG, DerFields, derFail, expectTag, readBitString, readNode } from './der.js';
import type { DerNode } from './der.js';

export interface SignedEnvelope {
  der: Uint8Array;
  tbsNode: DerNode;
  outerAlg: DerNode;
  signature: Uint8Array;
}

/**
 * The SEQUENCE { tbs, signatureAlgorithm, signatureValue } shared by certificates (RFC 5280 4.1)
 * and CRLs (5.1). Works on a private copy: every field is a view into it, so a caller reusing or
 * mutating its buffer (or a large quote it came from) can neither change nor pin a cached object.
 */
export function readSignedEnvelope(input: Uint8Array, code: ErrorCode, what: string, tbsField: string): SignedEnvelope {
  const der = input.slice();
  const top = readNode(der, 0, der.length, code, what);
  if (top.end !== der.length) derFail(`trailing bytes after the ${what}`, top.end, code, what);
  expectTag(top, TAG.SEQUENCE, code, what);
  const f = new DerFields(top, code, what);
  const tbsNode = f.take(TAG.SEQUENCE, tbsField);
  const outerAlg = f.take(TAG.SEQUENCE, 'signatureAlgorithm');
  const signature = readBitString(f.take(TAG.BIT_STRING, 'signatureValue'), code, 'signatureValue');
  f.done();
  return { der, tbsNode, outerAlg, signature };
}
