import type { Check } from '../../check.js';
import { fail, pass } from '../../check.js';
import { equalBytes } from '../../bytes/hex.js';
import { isTeeError } from '../../errors.js';
import { parseQuote } from '../dcap/quote.js';
import { AZURE_CHECKS } from './checks.js';

/** TDREPORT_STRUCT offsets (TDX Module ABI, TDREPORT_STRUCT: REPORTMACSTRUCT 256, TEE_TCB_INFO 239, reserved 17, TDINFO 512). */
const TD_REPORT_TYPE = 0;
const TD_REPORT_DATA = 128;
const TDINFO = 512;
/** Fields of TDINFO_STRUCT the quote body repeats (attributes, xfam, mrtd, config and owner ids, RTMRs). */
const TDINFO_FIELDS: readonly [string, number, number][] = [
  ['TDATTRIBUTES', 0, 8],
  ['XFAM', 8, 8],
  ['MRTD', 16, 48],
  ['MRCONFIGID', 64, 48],
  ['MROWNER', 112, 48],
  ['MROWNERCONFIG', 160, 48],
  ['RTMR0', 208, 48],
  ['RTMR1', 256, 48],
  ['RTMR2', 304, 48],
  ['RTMR3', 352, 48],
];

/**
 * The HCL's TDREPORT against the TD quote: the quoting enclave turns exactly this TDREPORT into the quote,
 * so REPORTDATA and the TDINFO fields must be the quote body's. The TDREPORT's MAC is keyed to the CPU and
 * can only be checked inside a TD on that CPU: the TDREPORT itself proves nothing, the signed quote does.
 */
export function compareTdReport(tdReport: Uint8Array, quoteBytes: Uint8Array): { check: Check; reportData?: Uint8Array } {
  const spec = AZURE_CHECKS.tdReport;
  let body;
  try {
    const q = parseQuote(quoteBytes);
    if (q.body.kind === 'sgx') return { check: fail(spec, 'The TD quote part is an SGX quote, not a TD quote.', 'MALFORMED_EVIDENCE') };
    body = q.body.report;
  } catch (e) {
    if (isTeeError(e)) return { check: fail(spec, `The TD quote cannot be read: ${e.message}.`, 'MALFORMED_EVIDENCE') };
    throw e;
  }
  if (tdReport[TD_REPORT_TYPE] !== 0x81)
    return {
      check: fail(spec, `The HCL's hardware report type is 0x${tdReport[0]!.toString(16)}, not a TDREPORT (0x81).`, 'MALFORMED_EVIDENCE'),
      reportData: body.reportData,
    };
  const quoted: Record<string, Uint8Array> = {
    TDATTRIBUTES: body.tdAttributes,
    XFAM: body.xfam,
    MRTD: body.mrTd,
    MRCONFIGID: body.mrConfigId,
    MROWNER: body.mrOwner,
    MROWNERCONFIG: body.mrOwnerConfig,
    RTMR0: body.rtmr[0],
    RTMR1: body.rtmr[1],
    RTMR2: body.rtmr[2],
    RTMR3: body.rtmr[3],
  };
  const differs = TDINFO_FIELDS.filter(([name, at, size]) => !equalBytes(tdReport.subarray(TDINFO + at, TDINFO + at + size), quoted[name]!)).map(([n]) => n);
  if (!equalBytes(tdReport.subarray(TD_REPORT_DATA, TD_REPORT_DATA + 64), body.reportData)) differs.unshift('REPORTDATA');
  const mac = "The TDREPORT's MAC cannot be checked outside the TD that made it; the signed TD quote is what proves these values.";
  if (differs.length)
    return {
      check: fail(
        spec,
        `The HCL's TDREPORT and the TD quote differ in ${differs.join(', ')}: the quote was not made from this HCL report. ${mac}`,
        'BINDING_MISMATCH',
      ),
      reportData: body.reportData,
    };
  return {
    check: pass(spec, `The HCL's TDREPORT has the TD quote's REPORTDATA, TDATTRIBUTES, XFAM, MRTD, owner and config ids and RTMR0-3. ${mac}`),
    reportData: body.reportData,
  };
}
