import type { ErrorCode } from '../errors.js';
import { equalBytes } from '../bytes/hex.js';
import { TAG, DerFields, derFail, rawOf, readInteger, readTime, readUnsigned, unsignedHex } from './der.js';
import type { DerNode } from './der.js';
import { parseName } from './name.js';
import type { Name } from './name.js';
import { parsePublicKeyInfo, parseSignatureAlgorithm } from './algorithms.js';
import type { PublicKeyInfo, SignatureAlgorithm } from './algorithms.js';
import { basicConstraintsOf, keyUsageOf, parseExtensions } from './extensions.js';
import type { Extension } from './extensions.js';
import { readSignedEnvelope } from './envelope.js';

export type { PublicKeyInfo, SignatureAlgorithm } from './algorithms.js';
export type { Extension } from './extensions.js';

export interface Certificate {
  /** A private copy of the input; every byte field below is a view into it. */
  der: Uint8Array;
  /** The exact tbsCertificate encoding (tag and length included): the signed bytes. */
  tbs: Uint8Array;
  /** X.509 version number: 1, 2 or 3. */
  version: number;
  /** The serialNumber INTEGER content octets as encoded (a leading 0x00 sign octet kept). */
  serial: Uint8Array;
  /** Lower-case hex, leading zero bytes stripped, '00' for zero. */
  serialHex: string;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Uint8Array;
  issuer: Name;
  subject: Name;
  /** Epoch milliseconds. */
  notBefore: number;
  notAfter: number;
  publicKey: PublicKeyInfo;
  extensions: Extension[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: { digitalSignature: boolean; keyCertSign: boolean; cRLSign: boolean };
}

/** Parses one DER certificate (RFC 5280 4.1) that fills `der` exactly. */
export function parseCertificate(input: Uint8Array, code: ErrorCode = 'CERT_CHAIN_INVALID'): Certificate {
  const { der, tbsNode, outerAlg, signature } = readSignedEnvelope(input, code, 'certificate', 'tbsCertificate');
  const tbs = parseTbs(tbsNode, code);
  // 4.1.1.2: the outer signatureAlgorithm MUST equal the signed tbsCertificate.signature.
  if (!equalBytes(rawOf(outerAlg), rawOf(tbs.innerAlg)))
    derFail('signatureAlgorithm differs from tbsCertificate.signature', outerAlg.start, code, 'signatureAlgorithm');
  const basicConstraints = basicConstraintsOf(tbs.extensions, code);
  const keyUsage = keyUsageOf(tbs.extensions, code);
  return {
    der,
    tbs: rawOf(tbsNode),
    version: tbs.version,
    serial: tbs.serial,
    serialHex: tbs.serialHex,
    signatureAlgorithm: parseSignatureAlgorithm(outerAlg, code),
    signature,
    issuer: tbs.issuer,
    subject: tbs.subject,
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
    publicKey: tbs.publicKey,
    extensions: tbs.extensions,
    ...(basicConstraints ? { basicConstraints } : {}),
    ...(keyUsage ? { keyUsage } : {}),
  };
}

interface Tbs {
  version: number;
  serial: Uint8Array;
  serialHex: string;
  innerAlg: DerNode;
  issuer: Name;
  subject: Name;
  notBefore: number;
  notAfter: number;
  publicKey: PublicKeyInfo;
  extensions: Extension[];
}

/** TBSCertificate (4.1.2), fields in order; version DEFAULT v1 must be omitted when v1 (DER). */
function parseTbs(node: DerNode, code: ErrorCode): Tbs {
  const f = new DerFields(node, code, 'tbsCertificate');
  const versionTag = f.maybe(TAG.CTX_0);
  const version = versionTag ? explicitVersion(versionTag, code) : 1;
  const serialNode = f.take(TAG.INTEGER, 'serialNumber');
  const serialHex = unsignedHex(serialNode, code, 'serialNumber');
  // 4.1.2.2: at most 20 octets (21 with the sign octet for a high first bit).
  if (serialNode.length > 21) derFail('serial number longer than 20 octets', serialNode.start, code, 'serialNumber');
  const innerAlg = f.take(TAG.SEQUENCE, 'signature');
  const issuer = parseName(f.take(TAG.SEQUENCE, 'issuer'), code, 'issuer');
  const validity = new DerFields(f.take(TAG.SEQUENCE, 'validity'), code, 'validity');
  const notBefore = readTime(validity.any() ?? derFail('missing notBefore', node.end, code, 'validity'), code, 'notBefore');
  const notAfter = readTime(validity.any() ?? derFail('missing notAfter', node.end, code, 'validity'), code, 'notAfter');
  validity.done();
  const subject = parseName(f.take(TAG.SEQUENCE, 'subject'), code, 'subject');
  const publicKey = parsePublicKeyInfo(f.take(TAG.SEQUENCE, 'subjectPublicKeyInfo'), code);
  // 4.1.2.8: unique identifiers only in v2 and v3.
  const uniqueIds = [f.maybe(TAG.CTX_PRIM_1), f.maybe(TAG.CTX_PRIM_2)].filter((n) => n !== undefined);
  if (uniqueIds.length > 0 && version < 2) derFail('unique identifier in a v1 certificate', uniqueIds[0]!.start, code, 'tbsCertificate');
  for (const id of uniqueIds) readBitStringLoose(id, code);
  const extTag = f.maybe(TAG.CTX_3);
  f.done();
  // 4.1.2.9: extensions only in v3.
  if (extTag && version !== 3) derFail('extensions in a certificate older than v3', extTag.start, code, 'extensions');
  const extensions = extTag ? parseExtensions(single(extTag, code, 'extensions'), code) : [];
  return {
    version,
    serial: readInteger(serialNode, code, 'serialNumber').bytes,
    serialHex,
    innerAlg,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    extensions,
  };
}

/** [0] EXPLICIT Version: 1 (v2) or 2 (v3); an explicit 0 would be the DEFAULT and is not DER. */
function explicitVersion(node: DerNode, code: ErrorCode): number {
  const v = readUnsigned(single(node, code, 'version'), code, 'version', 2);
  if (v === 0) derFail('explicit v1 version is not DER', node.start, code, 'version');
  return v + 1;
}

/** The one value inside an EXPLICIT context tag. */
function single(node: DerNode, code: ErrorCode, field: string): DerNode {
  const f = new DerFields(node, code, field);
  const inner = f.any() ?? derFail(`empty ${field}`, node.start, code, field);
  f.done();
  return inner;
}

/** UniqueIdentifier is an IMPLICIT BIT STRING: only its unused-bits octet needs checking. */
function readBitStringLoose(node: DerNode, code: ErrorCode): void {
  const unused = node.buf[node.start + node.headerLength];
  if (node.length === 0 || unused === undefined || unused > 7) derFail('bad unique identifier', node.start, code, 'uniqueIdentifier');
}
