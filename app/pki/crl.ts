import type { ErrorCode } from '../errors.js';
import { equalBytes } from '../bytes/hex.js';
import { TAG, DerFields, derFail, expectTag, rawOf, readNodeInto, readTime, readUnsigned, unsignedHex } from './der.js';
import type { DerNode } from './der.js';
import { parseName } from './name.js';
import type { Name } from './name.js';
import { parseSignatureAlgorithm } from './algorithms.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { checkEntryExtensions, parseExtensions } from './extensions.js';
import type { Extension } from './extensions.js';
import { readSignedEnvelope } from './envelope.js';

export interface Crl {
  der: Uint8Array;
  /** The exact tbsCertList encoding: the signed bytes. */
  tbs: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Uint8Array;
  issuer: Name;
  /** Epoch milliseconds. */
  thisUpdate: number;
  nextUpdate?: number;
  /** Revoked serial numbers, formatted as Certificate.serialHex. */
  revokedSerials: Set<string>;
  extensions: Extension[];
}

/** Parses one DER CRL (RFC 5280 5.1) that fills `der` exactly. */
export function parseCrl(input: Uint8Array, code: ErrorCode = 'MALFORMED_COLLATERAL'): Crl {
  const { der, tbsNode, outerAlg, signature } = readSignedEnvelope(input, code, 'crl', 'tbsCertList');
  const t = new DerFields(tbsNode, code, 'tbsCertList');
  const versionNode = t.maybe(TAG.INTEGER);
  // 5.1.2.1: version, when present, MUST be v2 (1).
  if (versionNode && readUnsigned(versionNode, code, 'version', 1) !== 1) derFail('CRL version must be v2', versionNode.start, code, 'version');
  const innerAlg = t.take(TAG.SEQUENCE, 'signature');
  // 5.1.1.2: the outer signatureAlgorithm MUST equal the signed tbsCertList.signature.
  if (!equalBytes(rawOf(outerAlg), rawOf(innerAlg)))
    derFail('signatureAlgorithm differs from tbsCertList.signature', outerAlg.start, code, 'signatureAlgorithm');
  const issuer = parseName(t.take(TAG.SEQUENCE, 'issuer'), code, 'issuer');
  const thisUpdate = readTime(t.any() ?? derFail('missing thisUpdate', tbsNode.end, code, 'thisUpdate'), code, 'thisUpdate');
  const nextNode = t.maybe(TAG.UTC_TIME) ?? t.maybe(TAG.GENERALIZED_TIME);
  const nextUpdate = nextNode ? readTime(nextNode, code, 'nextUpdate') : undefined;
  const revokedSerials = new Set<string>();
  const list = t.maybe(TAG.SEQUENCE);
  if (list) collectRevoked(list, code, revokedSerials);
  const extTag = t.maybe(TAG.CTX_0);
  t.done();
  if (extTag && !versionNode) derFail('CRL extensions require v2', extTag.start, code, 'crlExtensions');
  const extensions = extTag ? parseExtensions(explicitInner(extTag, code), code, 'crlExtensions') : [];
  return {
    der,
    tbs: rawOf(tbsNode),
    signatureAlgorithm: parseSignatureAlgorithm(outerAlg, code),
    signature,
    issuer,
    thisUpdate,
    ...(nextUpdate !== undefined ? { nextUpdate } : {}),
    revokedSerials,
    extensions,
  };
}

function explicitInner(node: DerNode, code: ErrorCode): DerNode {
  const f = new DerFields(node, code, 'crlExtensions');
  const inner = f.take(TAG.SEQUENCE, 'crlExtensions');
  f.done();
  return inner;
}

/**
 * revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time,
 * crlEntryExtensions Extensions OPTIONAL } (5.1.2.6). Walked with a few reused nodes: the only
 * per-entry allocation is the serial's hex string.
 */
function collectRevoked(list: DerNode, code: ErrorCode, out: Set<string>): void {
  const { buf } = list;
  const entry = scratch(buf);
  const part = scratch(buf);
  const extScratch = [scratch(buf), scratch(buf)];
  for (let at = list.start + list.headerLength; at < list.end; at = entry.end) {
    readNodeInto(buf, at, list.end, code, 'revokedCertificates', entry);
    expectTag(entry, TAG.SEQUENCE, code, 'revokedCertificates');
    readNodeInto(buf, entry.start + entry.headerLength, entry.end, code, 'userCertificate', part);
    const serial = unsignedHex(part, code, 'userCertificate');
    readNodeInto(buf, part.end, entry.end, code, 'revocationDate', part);
    readTime(part, code, 'revocationDate');
    if (part.end < entry.end) {
      readNodeInto(buf, part.end, entry.end, code, 'crlEntryExtensions', part);
      if (part.end !== entry.end) derFail('extra field in CRL entry', part.end, code, 'revokedCertificates');
      checkEntryExtensions(part, code, extScratch);
    }
    out.add(serial);
  }
}

function scratch(buf: Uint8Array): DerNode {
  return { tag: 0, start: 0, headerLength: 0, length: 0, end: 0, buf };
}
