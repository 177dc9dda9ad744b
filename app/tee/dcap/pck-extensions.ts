import type { ErrorCode } from '../../errors.js';
import { TAG, DerFields, derFail, expectTag, readBoolean, readOctetString, readOid, readUnsigned } from '../../pki/der.js';
import type { DerNode } from '../../pki/der.js';
import { extensionNode, findExtension } from '../../pki/extensions.js';
import type { Certificate } from '../../pki/x509.js';

/** The Intel SGX PCK certificate extensions (Intel "SGX PCK Certificate and CRL Profile", 1.3.5). */
export interface PckExtensions {
  ppid: Uint8Array;
  /** SGX TCB component SVNs 1..16. */
  tcbComponents: number[];
  pceSvn: number;
  cpuSvn: Uint8Array;
  pceId: Uint8Array;
  fmspc: Uint8Array;
  /** 0 Standard, 1 Scalable, 2 Scalable with integrity. */
  sgxType: number;
  platformInstanceId?: Uint8Array;
  configuration?: { dynamicPlatform?: boolean; cachedKeys?: boolean; smtEnabled?: boolean };
}

const SGX = '1.2.840.113741.1.13.1';
const TCB = `${SGX}.2`;
const CONFIGURATION = `${SGX}.7`;
const CODE: ErrorCode = 'CERT_CHAIN_INVALID';
const FIELD = 'sgxExtensions';

/**
 * SGX Extensions ::= SEQUENCE OF SEQUENCE { id OID, value ANY }. Every id at most once; ids not
 * known here are skipped, so later additions to Intel's profile do not break parsing.
 */
export function parsePckExtensions(cert: Certificate): PckExtensions {
  const ext = findExtension(cert.extensions, SGX);
  if (!ext) derFail('the certificate has no Intel SGX extensions', 0, CODE, FIELD);
  const root = extensionNode(ext, CODE, FIELD);
  const items = entries(root, SGX);
  const need = (arc: number): DerNode => items.get(arc) ?? derFail(`missing SGX extension ${SGX}.${arc}`, root.start, CODE, FIELD);
  const tcb = parseTcb(need(2));
  const instance = items.get(6);
  const config = items.get(7);
  return {
    ppid: readOctetString(need(1), CODE, 'ppid', 16),
    ...tcb,
    pceId: readOctetString(need(3), CODE, 'pceId', 2),
    fmspc: readOctetString(need(4), CODE, 'fmspc', 6),
    sgxType: readUnsigned(need(5), CODE, 'sgxType', 255, TAG.ENUMERATED),
    ...(instance ? { platformInstanceId: readOctetString(instance, CODE, 'platformInstanceId', 16) } : {}),
    ...(config ? { configuration: parseConfiguration(config) } : {}),
  };
}

/** The { OID, value } pairs of a SEQUENCE, keyed by the last arc under `prefix`. */
function entries(node: DerNode, prefix: string): Map<number, DerNode> {
  expectTag(node, TAG.SEQUENCE, CODE, FIELD);
  const out = new Map<number, DerNode>();
  const list = new DerFields(node, CODE, FIELD);
  const head = HEADS.get(prefix) ?? oidContent(prefix);
  for (let item = list.any(); item; item = list.any()) {
    expectTag(item, TAG.SEQUENCE, CODE, FIELD);
    const f = new DerFields(item, CODE, FIELD);
    const oidNode = f.take(TAG.OID, FIELD);
    const value = f.any() ?? derFail(`SGX extension ${readOid(oidNode, CODE, FIELD)} has no value`, item.end, CODE, FIELD);
    f.done();
    const arc = arcUnder(oidNode, head) ?? slowArc(oidNode, prefix, item);
    if (arc === undefined) continue; // a deeper arc: not one of ours
    if (out.has(arc)) derFail(`duplicate SGX extension ${prefix}.${arc}`, item.start, CODE, FIELD);
    out.set(arc, value);
  }
  return out;
}

/**
 * The arc of an OID that is `head` plus one minimally encoded arc, read from its bytes (the PCK leaf of
 * every quote holds some 25 of them); undefined for anything else, which slowArc then decodes and judges.
 */
function arcUnder(oid: DerNode, head: Uint8Array): number | undefined {
  const start = oid.start + oid.headerLength;
  const { buf, end } = oid;
  if (end - start <= head.length || end - start > head.length + 4) return undefined;
  for (let i = 0; i < head.length; i++) if (buf[start + i] !== head[i]) return undefined;
  if (buf[start + head.length] === 0x80) return undefined;
  let arc = 0;
  for (let i = start + head.length; i < end; i++) {
    const b = buf[i]!;
    arc = arc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return i === end - 1 ? arc : undefined;
  }
  return undefined;
}

/** The general case: the OID decoded (malformed ones fail there), outside `prefix` an error, deeper arcs skipped. */
function slowArc(oidNode: DerNode, prefix: string, item: DerNode): number | undefined {
  const oid = readOid(oidNode, CODE, FIELD);
  if (!oid.startsWith(`${prefix}.`)) derFail(`unexpected id ${oid} in SGX extensions`, item.start, CODE, FIELD);
  const arc = Number(oid.slice(prefix.length + 1));
  return Number.isSafeInteger(arc) ? arc : undefined;
}

const HEADS = new Map([SGX, TCB, CONFIGURATION].map((oid) => [oid, oidContent(oid)]));

/** The DER content octets of a dotted OID (X.690 8.19): the first two arcs in one, base 128 after. */
function oidContent(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [40 * arcs[0]! + arcs[1]!, ...arcs.slice(2)]) {
    const septets = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) septets.unshift((v & 0x7f) | 0x80);
    out.push(...septets);
  }
  return Uint8Array.from(out);
}

/** TCB (.2): components .2.1-.2.16 (0..255), PCESVN .2.17 (0..65535), CPUSVN .2.18 (16 bytes). */
function parseTcb(node: DerNode): { tcbComponents: number[]; pceSvn: number; cpuSvn: Uint8Array } {
  const prefix = TCB;
  const items = entries(node, TCB);
  const need = (arc: number): DerNode => items.get(arc) ?? derFail(`missing SGX TCB field ${prefix}.${arc}`, node.start, CODE, 'tcb');
  const tcbComponents: number[] = [];
  for (let i = 1; i <= 16; i++) tcbComponents.push(readUnsigned(need(i), CODE, `tcb.comp${i}`, 255));
  return { tcbComponents, pceSvn: readUnsigned(need(17), CODE, 'pceSvn', 0xffff), cpuSvn: readOctetString(need(18), CODE, 'cpuSvn', 16) };
}

/** Configuration (.7): dynamicPlatform .7.1, cachedKeys .7.2, smtEnabled .7.3, each BOOLEAN. */
function parseConfiguration(node: DerNode): NonNullable<PckExtensions['configuration']> {
  const items = entries(node, CONFIGURATION);
  const flag = (arc: number, field: string): boolean | undefined => {
    const n = items.get(arc);
    return n ? readBoolean(n, CODE, field) : undefined;
  };
  const out: NonNullable<PckExtensions['configuration']> = {};
  const dynamicPlatform = flag(1, 'dynamicPlatform');
  const cachedKeys = flag(2, 'cachedKeys');
  const smtEnabled = flag(3, 'smtEnabled');
  if (dynamicPlatform !== undefined) out.dynamicPlatform = dynamicPlatform;
  if (cachedKeys !== undefined) out.cachedKeys = cachedKeys;
  if (smtEnabled !== undefined) out.smtEnabled = smtEnabled;
  return out;
}
