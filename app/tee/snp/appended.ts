import { isAllZero } from '../../bytes/hex.js';
import { isTeeError } from '../../errors.js';
import { looksLikeCertTable, parseCertTable } from './cert-table.js';
import { looksLikeSnpReport, SNP_REPORT_SIZE } from './report.js';

/**
 * ATTESTATION_REPORT is 0x4A0 bytes in every version the ABI defines so far (SEV-SNP Firmware ABI
 * spec, "ATTESTATION_REPORT Structure": versions 2, 3 and 5 differ only in fields carved out of
 * reserved ranges), so the report size for a version is that size.
 */
function reportSize(version: number): number | undefined {
  return version >= 2 && version <= 5 ? SNP_REPORT_SIZE : undefined;
}

/**
 * A file holding an SEV-SNP report followed by what SNP_GET_EXT_REPORT returns beside it (the
 * certificate table: GHCB spec, "SNP Extended Guest Request"; SEV-SNP ABI, "Certificate table"),
 * as `snpguest report --extended`-style tools and go-sev-guest's ReportCertsToProto lay it out:
 * report bytes, then the table. Returns the report and the table when the trailing bytes parse as
 * a table naming at least one AMD certificate, the report alone when they are all zero (page
 * padding), and undefined when the input is no report or the trailing bytes are anything else (the
 * module then says how many bytes follow the report, as for any other input).
 */
export function splitAppendedCertTable(bytes: Uint8Array): { report: Uint8Array; certTable?: Uint8Array } | undefined {
  if (!looksLikeSnpReport(bytes)) return undefined;
  const size = reportSize(bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24));
  if (size === undefined || bytes.length <= size) return undefined;
  const report = bytes.subarray(0, size);
  const trailing = bytes.subarray(size);
  if (isAllZero(trailing)) return { report };
  return isCertTable(trailing) ? { report, certTable: trailing } : undefined;
}

/** A table that parses (entries inside it, terminator within bounds) and names a VCEK, VLEK, ASK or ARK. */
function isCertTable(bytes: Uint8Array): boolean {
  if (!looksLikeCertTable(bytes)) return false;
  try {
    return parseCertTable(bytes).length > 0;
  } catch (e) {
    if (isTeeError(e)) return false;
    throw e;
  }
}
