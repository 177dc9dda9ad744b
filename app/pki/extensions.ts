import type { ErrorCode } from '../errors.js';
import {
  TAG,
  DerFields,
  bitAt,
  children,
  derFail,
  expectTag,
  readBoolean,
  readNamedBits,
  readNode,
  readNodeInto,
  readOctetString,
  readOid,
  readUnsigned,
} from './der.js';
import type { DerNode } from './der.js';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING content (the extension's own DER), as a view. */
  value: Uint8Array;
}

export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_KEY_USAGE = '2.5.29.15';

/**
 * The certificate extensions path validation processes (RFC 5280 6.1.4 (k)-(n)). Any other
 * extension marked critical makes the certificate unusable: 4.2 says a system MUST reject a
 * certificate with a critical extension it does not recognise or cannot process.
 */
const PROCESSED = new Set([OID_BASIC_CONSTRAINTS, OID_KEY_USAGE]);

/** Names for the critical extensions a CA might plausibly set, to make the rejection readable. */
const NAMES: Record<string, string> = {
  '2.5.29.17': 'subjectAltName',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.33': 'policyMappings',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.37': 'extKeyUsage',
  '2.5.29.54': 'inhibitAnyPolicy',
};

/** The first critical extension that path validation does not process, if any. */
export function unprocessedCritical(extensions: readonly Extension[]): Extension | undefined {
  return extensions.find((e) => e.critical && !PROCESSED.has(e.oid));
}

/** "2.5.29.30 (nameConstraints)", or the bare OID when it has no name here. */
export function extensionName(oid: string): string {
  const name = NAMES[oid];
  return name ? `${oid} (${name})` : oid;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, each extnID at most once (RFC 5280 4.2). */
export function parseExtensions(node: DerNode, code: ErrorCode, field = 'extensions'): Extension[] {
  expectTag(node, TAG.SEQUENCE, code, field);
  const list = children(node, code, field);
  if (list.length === 0) derFail('empty extensions', node.start, code, field);
  const out: Extension[] = [];
  const seen = new Set<string>(); // a Set, not a scan: hostile input may carry many thousands
  for (const item of list) {
    const ext = parseExtension(item, code, field);
    if (seen.has(ext.oid)) derFail(`duplicate extension ${ext.oid}`, item.start, code, field);
    seen.add(ext.oid);
    out.push(ext);
  }
  return out;
}

/** Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function parseExtension(node: DerNode, code: ErrorCode, field: string): Extension {
  const f = new DerFields(node, code, field);
  const oid = readOid(f.take(TAG.OID, field), code, field);
  const flag = f.maybe(TAG.BOOLEAN);
  const critical = flag ? readBoolean(flag, code, field) : false;
  // DER omits a value equal to its DEFAULT (X.690 11.5), so an explicit FALSE is not DER.
  if (flag && !critical) derFail('explicit critical FALSE is not DER', flag.start, code, field);
  const value = readOctetString(f.take(TAG.OCTET_STRING, field), code, field);
  f.done();
  return { oid, critical, value };
}

export function findExtension(extensions: readonly Extension[], oid: string): Extension | undefined {
  return extensions.find((e) => e.oid === oid);
}

/** The extension value as one DER node that fills it exactly. */
export function extensionNode(ext: Extension, code: ErrorCode, field: string): DerNode {
  const node = readNode(ext.value, 0, ext.value.length, code, field);
  if (node.end !== ext.value.length) derFail('trailing bytes in extension value', node.end, code, field);
  return node;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } (4.2.1.9). */
export function basicConstraintsOf(extensions: readonly Extension[], code: ErrorCode): { ca: boolean; pathLen?: number } | undefined {
  const ext = findExtension(extensions, OID_BASIC_CONSTRAINTS);
  if (!ext) return undefined;
  const field = 'basicConstraints';
  const node = extensionNode(ext, code, field);
  expectTag(node, TAG.SEQUENCE, code, field);
  const f = new DerFields(node, code, field);
  const flag = f.maybe(TAG.BOOLEAN);
  const ca = flag ? readBoolean(flag, code, field) : false;
  if (flag && !ca) derFail('explicit cA FALSE is not DER', flag.start, code, field);
  const len = f.maybe(TAG.INTEGER);
  f.done();
  return len ? { ca, pathLen: readUnsigned(len, code, field, 0xffff) } : { ca };
}

/** KeyUsage ::= BIT STRING (4.2.1.3); bit 0 digitalSignature, 5 keyCertSign, 6 cRLSign. */
export function keyUsageOf(
  extensions: readonly Extension[],
  code: ErrorCode,
): { digitalSignature: boolean; keyCertSign: boolean; cRLSign: boolean } | undefined {
  const ext = findExtension(extensions, OID_KEY_USAGE);
  if (!ext) return undefined;
  const bits = readNamedBits(extensionNode(ext, code, 'keyUsage'), code, 'keyUsage');
  return { digitalSignature: bitAt(bits, 0), keyCertSign: bitAt(bits, 5), cRLSign: bitAt(bits, 6) };
}

/**
 * Validates CRL entry extensions without allocating (a CRL can list thousands of entries). A
 * critical entry extension is refused: RFC 5280 5.3 forbids using a CRL whose critical entry
 * extensions the application cannot process, and we process none.
 */
export function checkEntryExtensions(node: DerNode, code: ErrorCode, scratch: DerNode[]): void {
  const [ext, part] = scratch as [DerNode, DerNode];
  const field = 'crlEntryExtensions';
  expectTag(node, TAG.SEQUENCE, code, field);
  const { buf } = node;
  if (node.length === 0) derFail('empty extensions', node.start, code, field);
  for (let at = node.start + node.headerLength; at < node.end; at = ext.end) {
    readNodeAt(buf, at, node.end, code, field, ext, TAG.SEQUENCE);
    readNodeAt(buf, ext.start + ext.headerLength, ext.end, code, field, part, TAG.OID);
    checkOid(part, code, field);
    readNodeAt(buf, part.end, ext.end, code, field, part, -1);
    if (part.tag === TAG.BOOLEAN) derFail('critical CRL entry extension', part.start, code, field);
    expectTag(part, TAG.OCTET_STRING, code, field);
    if (part.end !== ext.end) derFail('extra field in extension', part.end, code, field);
  }
}

function readNodeAt(buf: Uint8Array, at: number, limit: number, code: ErrorCode, field: string, out: DerNode, tag: number): void {
  readNodeInto(buf, at, limit, code, field, out);
  if (tag >= 0) expectTag(out, tag, code, field);
}

/** OID well-formedness (non-empty, minimal arcs, complete last arc) without building the string. */
function checkOid(node: DerNode, code: ErrorCode, field: string): void {
  if (node.length === 0 || node.length > 64) derFail('bad OID length', node.start, code, field);
  let arcStart = true;
  for (let i = node.start + node.headerLength; i < node.end; i++) {
    const b = node.buf[i]!;
    if (arcStart && b === 0x80) derFail('non-minimal OID arc', i, code, field);
    arcStart = (b & 0x80) === 0;
  }
  if (!arcStart) derFail('truncated OID arc', node.end, code, field);
}
