import { ByteReader } from '../../bytes/reader.js';
import { parseSgxReportBody, SGX_REPORT_BODY_SIZE } from '../sgx/report-body.js';
import type { SgxReportBody } from '../sgx/report-body.js';
import { parseTdReportBody, TD10_BODY_SIZE, TD15_BODY_SIZE } from '../tdx/td-report.js';
import type { TdReportBody } from '../tdx/td-report.js';
import { parseAuthData } from './auth-data.js';
import type { QeCertification } from './auth-data.js';

/**
 * Intel DCAP ECDSA quote, versions 3, 4 and 5 (Intel SGX ECDSA Quote Library API and
 * Intel TDX DCAP Quote Generation Library: "Quote Format").
 */
export const QUOTE_HEADER_SIZE = 48;
export const TEE_TYPE_SGX = 0x00;
export const TEE_TYPE_TDX = 0x81;
export const ATT_KEY_ECDSA_P256 = 2;

export interface QuoteHeader {
  version: number;
  attestationKeyType: number;
  teeType: number;
  qeSvn: number;
  pceSvn: number;
  qeVendorId: Uint8Array;
  userData: Uint8Array;
}

export type QuoteBody = { kind: 'sgx'; report: SgxReportBody } | { kind: 'td10' | 'td15'; report: TdReportBody };
export type QuoteFormat = 'sgx-quote-v3' | 'sgx-quote-v4' | 'sgx-quote-v5' | 'tdx-quote-v4' | 'tdx-quote-v5';

export interface Quote {
  format: QuoteFormat;
  technology: 'sgx' | 'tdx';
  header: QuoteHeader;
  bodyDescriptor?: { type: number; size: number };
  body: QuoteBody;
  /** Header (+ v5 body descriptor) + body: the bytes the attestation key signs. */
  signed: Uint8Array;
  signature: Uint8Array;
  attestationKey: Uint8Array;
  qe: QeCertification;
  /** Bytes after the declared signature data (padding in real quotes); reported, not verified. */
  trailingBytes: number;
}

const BODY_TYPES: Record<number, { kind: QuoteBody['kind']; size: number }> = {
  1: { kind: 'sgx', size: SGX_REPORT_BODY_SIZE },
  2: { kind: 'td10', size: TD10_BODY_SIZE },
  3: { kind: 'td15', size: TD15_BODY_SIZE },
};

export function parseQuote(bytes: Uint8Array): Quote {
  const r = new ByteReader(bytes);
  const header = parseHeader(r);
  const { body, descriptor } = parseBody(r, header);
  const signed = bytes.subarray(0, r.offset);
  const sigLength = r.u32('signatureDataLength');
  const sigData = r.sub(sigLength, 'signatureData');
  const auth = parseAuthData(sigData, header.version);
  const technology = body.kind === 'sgx' ? 'sgx' : 'tdx';
  const format = `${technology}-quote-v${header.version}` as QuoteFormat;
  const quote: Quote = { format, technology, header, body, signed, ...auth, trailingBytes: r.remaining + sigData.remaining };
  if (descriptor) quote.bodyDescriptor = descriptor;
  return quote;
}

function parseHeader(r: ByteReader): QuoteHeader {
  const version = r.u16('header.version');
  if (version < 3 || version > 5) r.fail(`unsupported quote version ${version} (expected 3, 4 or 5)`, 'header.version', 0);
  const attestationKeyType = r.u16('header.attestationKeyType');
  if (attestationKeyType !== ATT_KEY_ECDSA_P256) {
    r.fail(`unsupported attestation key type ${attestationKeyType} (only 2, ECDSA-256-with-P-256, is defined for DCAP)`, 'header.attestationKeyType', 2);
  }
  const teeType = r.u32('header.teeType');
  if (teeType !== TEE_TYPE_SGX && teeType !== TEE_TYPE_TDX) r.fail(`unknown TEE type 0x${teeType.toString(16)}`, 'header.teeType', 4);
  if (version === 3 && teeType !== TEE_TYPE_SGX) r.fail('quote version 3 is SGX only', 'header.teeType', 4);
  const qeSvn = r.u16('header.qeSvn');
  const pceSvn = r.u16('header.pceSvn');
  const qeVendorId = r.take(16, 'header.qeVendorId');
  const userData = r.take(20, 'header.userData');
  return { version, attestationKeyType, teeType, qeSvn, pceSvn, qeVendorId, userData };
}

function parseBody(r: ByteReader, header: QuoteHeader): { body: QuoteBody; descriptor?: { type: number; size: number } } {
  if (header.version < 5) {
    if (header.teeType === TEE_TYPE_SGX) return { body: { kind: 'sgx', report: parseSgxReportBody(r) } };
    return { body: { kind: 'td10', report: parseTdReportBody(r, false) } };
  }
  const at = r.offset;
  const type = r.u16('bodyDescriptor.type');
  const size = r.u32('bodyDescriptor.size');
  const expected = BODY_TYPES[type];
  if (!expected) r.fail(`unknown v5 body type ${type} (1 SGX, 2 TD 1.0, 3 TD 1.5)`, 'bodyDescriptor.type', at);
  if (size !== expected.size) r.fail(`body type ${type} must be ${expected.size} bytes, not ${size}`, 'bodyDescriptor.size', at + 2);
  if ((expected.kind === 'sgx') !== (header.teeType === TEE_TYPE_SGX)) r.fail(`body type ${type} does not match TEE type`, 'bodyDescriptor.type', at);
  const body: QuoteBody =
    expected.kind === 'sgx' ? { kind: 'sgx', report: parseSgxReportBody(r) } : { kind: expected.kind, report: parseTdReportBody(r, expected.kind === 'td15') };
  return { body, descriptor: { type, size } };
}
