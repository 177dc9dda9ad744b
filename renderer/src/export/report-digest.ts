import { sha256Hex } from '../../../app/report/report.js';
import type { ReportV2 } from '../../../app/report/report.js';

/** The JSON export: the pipeline's report as it is, so `tee-inspect recheck` can re-verify it. */
export function reportJsonText(report: ReportV2): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** SHA-256 of the JSON export: printed on every page of the PDF, so a printout can be matched to its JSON file. */
export function reportDigest(report: ReportV2): string {
  return sha256Hex(new TextEncoder().encode(reportJsonText(report)));
}

/** The CSS string literal the print footer's margin box shows (a hex digest needs no escaping, but be safe). */
export function cssString(s: string): string {
  return `"${s.replace(/["\\\n]/g, (c) => (c === '\n' ? ' ' : `\\${c}`))}"`;
}
