import { ByteReader } from '../../bytes/reader.js';
import { TeeError } from '../../errors.js';

/**
 * Azure's HCL report (vTPM NV index 0x01400001), as the paravisor (HCL) writes it at boot and
 * azure-cvm-tooling's hcl module reads it: an ATTESTATION_HEADER, a hardware report area sized for the
 * larger of an SEV-SNP report and a TDREPORT, then the IGVM_REQUEST_DATA header and its variable data
 * (the runtime-data JSON), whose SHA-256 the hardware report's REPORT_DATA carries. All little-endian.
 */
export const HCL_SIGNATURE = 'HCLA';
export const HCL_HEADER_SIZE = 0x20;
export const SNP_REPORT_BYTES = 1184;
export const TD_REPORT_BYTES = 1024;
/** The hardware report area is the larger of the two, whatever the report type. */
const HW_AREA = Math.max(SNP_REPORT_BYTES, TD_REPORT_BYTES);
export const IGVM_DATA_OFFSET = HCL_HEADER_SIZE + HW_AREA;
const IGVM_HEADER_SIZE = 20;
export const VAR_DATA_OFFSET = IGVM_DATA_OFFSET + IGVM_HEADER_SIZE;
/** Runtime data is a small JSON document (two RSA JWKs and a few settings); real ones are about 1 KiB. */
const VAR_DATA_MAX = 64 * 1024;

/** IGVM_REPORT_TYPE: which hardware report the area holds. */
export const REPORT_TYPES = { 2: 'snp', 4: 'tdx' } as const;
export type HclReportKind = (typeof REPORT_TYPES)[keyof typeof REPORT_TYPES];
/** IGVM_HASH_TYPE of the runtime data digest in REPORT_DATA. */
const HASH_TYPES: Readonly<Record<number, string>> = { 0: 'invalid', 1: 'SHA-256', 2: 'SHA-384', 3: 'SHA-512' };

export interface HclReport {
  version: number;
  /** The header's report size: every byte the HCL wrote, up to the end of the variable data. */
  reportSize: number;
  requestType: number;
  status: number;
  kind: HclReportKind;
  reportType: number;
  /** The SNP report (1184 bytes) or TDREPORT (1024 bytes): a view into the input. */
  hwReport: Uint8Array;
  dataSize: number;
  dataVersion: number;
  hashType: number;
  /** The runtime data (JSON) exactly as hashed into REPORT_DATA: a view into the input. */
  varData: Uint8Array;
  /** Bytes after the declared end (real NV reads are padded to the index size): never read. */
  trailing: number;
}

export function looksLikeHclReport(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x48 && b[1] === 0x43 && b[2] === 0x4c && b[3] === 0x41;
}

/**
 * Parses by the declared sizes: ParseError (MALFORMED_EVIDENCE) naming field and offset for anything short
 * or inconsistent; UNSUPPORTED_EVIDENCE for a report type or hash type other than SNP/TDX and SHA-256.
 */
export function parseHclReport(bytes: Uint8Array): HclReport {
  const r = new ByteReader(bytes);
  const signature = r.take(4, 'hcl.signature');
  if (!looksLikeHclReport(signature)) r.fail('the HCL report does not start with "HCLA"', 'hcl.signature', 0);
  const header = { version: r.u32('hcl.version'), reportSize: r.u32('hcl.reportSize'), requestType: r.u32('hcl.requestType'), status: r.u32('hcl.status') };
  r.take(12, 'hcl.reserved');
  const area = r.take(HW_AREA, 'hcl.hwReport');
  const data = readIgvmHeader(r);
  if (data.varDataSize > VAR_DATA_MAX)
    r.fail(`variable data size ${data.varDataSize} is more than ${VAR_DATA_MAX}`, 'hcl.variableDataSize', IGVM_DATA_OFFSET + 16);
  if (data.dataSize !== IGVM_HEADER_SIZE + data.varDataSize)
    r.fail(`IGVM request data size ${data.dataSize} is not the header (20) plus the variable data (${data.varDataSize})`, 'hcl.dataSize', IGVM_DATA_OFFSET);
  const varData = r.take(data.varDataSize, 'hcl.variableData');
  if (header.reportSize !== r.offset) r.fail(`the header's report size ${header.reportSize} is not the ${r.offset} bytes it declares`, 'hcl.reportSize', 8);
  const kind = reportKind(data.reportType);
  requireSha256(data.hashType);
  const hwReport = area.subarray(0, kind === 'snp' ? SNP_REPORT_BYTES : TD_REPORT_BYTES);
  return {
    ...header,
    kind,
    reportType: data.reportType,
    hwReport,
    dataSize: data.dataSize,
    dataVersion: data.version,
    hashType: data.hashType,
    varData,
    trailing: r.remaining,
  };
}

function readIgvmHeader(r: ByteReader) {
  return {
    dataSize: r.u32('hcl.dataSize'),
    version: r.u32('hcl.dataVersion'),
    reportType: r.u32('hcl.reportType'),
    hashType: r.u32('hcl.reportDataHashType'),
    varDataSize: r.u32('hcl.variableDataSize'),
  };
}

function reportKind(type: number): HclReportKind {
  const kind = REPORT_TYPES[type as keyof typeof REPORT_TYPES];
  if (!kind)
    throw new TeeError('UNSUPPORTED_EVIDENCE', `the HCL report holds hardware report type ${type}; only SEV-SNP (2) and TDX (4) are verified`, {
      field: 'hcl.reportType',
      offset: IGVM_DATA_OFFSET + 8,
      format: 'azure-hcl-report',
    });
  return kind;
}

function requireSha256(hashType: number): void {
  if (hashType === 1) return;
  throw new TeeError(
    'UNSUPPORTED_EVIDENCE',
    `the HCL report binds its runtime data with hash type ${hashType} (${HASH_TYPES[hashType] ?? 'unknown'}); only SHA-256 (1) is verified`,
    { field: 'hcl.reportDataHashType', offset: IGVM_DATA_OFFSET + 12, format: 'azure-hcl-report' },
  );
}
