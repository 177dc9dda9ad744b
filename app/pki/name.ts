import type { ErrorCode } from '../errors.js';
import { equalBytes, toHex } from '../bytes/hex.js';
import { TAG, children, derFail, expectTag, rawOf, readOid, readString, isStringTag } from './der.js';
import type { DerNode } from './der.js';

/** An X.501 Name (RFC 5280 4.1.2.4), with its exact DER for comparison and a readable form for reports. */
export interface Name {
  der: Uint8Array;
  attributes: { oid: string; type: string; value: string }[];
  cn?: string;
  /** "CN=..., O=..., C=US" in encoding order; multi-valued RDNs joined with " + ". */
  text: string;
}

/** Short names (RFC 4514 3, plus common PKIX ones); other types print as their dotted OID. */
const SHORT = new Map<string, string>([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'SERIALNUMBER'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'T'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'E'],
]);

/** Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type OID, value ANY }. */
export function parseName(node: DerNode, code: ErrorCode, field = 'name'): Name {
  expectTag(node, TAG.SEQUENCE, code, field);
  const attributes: Name['attributes'] = [];
  const rdns: string[] = [];
  for (const rdn of children(node, code, field)) {
    expectTag(rdn, TAG.SET, code, field);
    const atvs = children(rdn, code, field);
    if (atvs.length === 0) derFail('empty relative distinguished name', rdn.start, code, field);
    const parts: string[] = [];
    for (const atv of atvs) {
      const attribute = parseAttribute(atv, code, field);
      attributes.push(attribute);
      parts.push(`${attribute.type}=${attribute.value}`);
    }
    rdns.push(parts.join(' + '));
  }
  const cn = attributes.find((a) => a.type === 'CN')?.value;
  return { der: rawOf(node), attributes, ...(cn !== undefined ? { cn } : {}), text: rdns.join(', ') };
}

function parseAttribute(atv: DerNode, code: ErrorCode, field: string): Name['attributes'][number] {
  expectTag(atv, TAG.SEQUENCE, code, field);
  const [typeNode, valueNode, extra] = children(atv, code, field);
  if (!typeNode || !valueNode || extra) derFail('attribute must be { type, value }', atv.start, code, field);
  const oid = readOid(typeNode, code, field);
  // Non-string values print as '#' + hex of their DER, as RFC 4514 2.4 does.
  const value = isStringTag(valueNode.tag) ? readString(valueNode, code, field) : `#${toHex(rawOf(valueNode))}`;
  return { oid, type: SHORT.get(oid) ?? oid, value };
}

/**
 * Byte equality of the encoded names. RFC 5280 7.1 allows looser matching, but the issuers we
 * check (Intel, AMD, NVIDIA) encode issuer and subject identically, and exact bytes cannot be fooled.
 */
export function sameName(a: Name, b: Name): boolean {
  return equalBytes(a.der, b.der);
}
