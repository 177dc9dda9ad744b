import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64 } from '../bytes/base64.js';
import { toHex } from '../bytes/hex.js';
import type { TimelineItem } from '../collateral/timeline.js';
import { trustBoundaryView } from './boundary.js';
import type { TrustBoundaryView } from './boundary.js';
import type { InputRole, ResultInput, VerificationResult } from './result.js';
import { threatsView } from './threats.js';
import type { ThreatView } from './threats.js';

export type { BoundaryItem, BoundaryLayer, BoundaryState, TrustBoundaryView } from './boundary.js';
export type { ThreatSource, ThreatStatus, ThreatView } from './threats.js';

/**
 * The versioned report (DESIGN.md "Reports anyone can recheck"): the result plus the bytes of every input,
 * so that anyone can re-run the verification offline and see whether it agrees (`tee-inspect recheck`).
 */
export const REPORT_SCHEMA = 'tee-inspect/report/v2';

export interface ReportInput extends ResultInput {
  /** Standard base64 of the bytes; `sha256` and `bytes` are of the decoded bytes. */
  data: string;
}

export interface ReportV2 {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  createdAt: string;
  result: VerificationResult;
  /** Hex of the nonce REPORT_DATA was checked against, when one was given: recheck needs it to redo that check. */
  nonce?: string;
  /** The AMD product named on the command line (--product), when one was. */
  product?: string;
  /** Set when revocation had to be checked (--strict): it turns a missing CRL into a failure. */
  requireRevocation?: boolean;
  inputs: ReportInput[];
  collateral: TimelineItem[];
  trustBoundary: TrustBoundaryView;
  threats: ThreatView[];
}

export interface BuildReportInput {
  result: VerificationResult;
  /** Every file the verifier was given (evidence, collateral incl. fetched, reference), with its bytes. */
  inputs: { name: string; role: string; bytes: Uint8Array }[];
  timeline: TimelineItem[];
  toolVersion: string;
  /** ISO-8601; the caller's clock, since the core never reads one. */
  createdAt: string;
  nonce?: Uint8Array;
  product?: string;
  requireRevocation?: boolean;
}

export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/** Pure: the same input gives the same report, byte for byte once serialised. */
export function buildReport(input: BuildReportInput): ReportV2 {
  const { result } = input;
  const report: ReportV2 = {
    schema: REPORT_SCHEMA,
    tool: { name: 'tee-inspect', version: input.toolVersion },
    createdAt: input.createdAt,
    result,
    inputs: reportInputs(result, input.inputs),
    collateral: input.timeline,
    trustBoundary: trustBoundaryView(result),
    threats: [],
  };
  report.threats = threatsView(result, report.trustBoundary);
  if (input.nonce) report.nonce = toHex(input.nonce);
  if (input.product) report.product = input.product;
  if (input.requireRevocation) report.requireRevocation = true;
  return report;
}

const ROLES: readonly InputRole[] = ['evidence', 'collateral', 'reference', 'eventlog', 'tpm-quote', 'td-quote', 'ignored', 'unused'];

/**
 * The caller's files with their digests. Name, role and note come from result.inputs (the verifier decided
 * what each file was), matched by digest, so an ignored or unused file keeps its role and note, and recheck
 * can hand every file back under the name the verifier saw.
 */
function reportInputs(result: VerificationResult, files: BuildReportInput['inputs']): ReportInput[] {
  const taken = new Set<ResultInput>();
  return files.map((f) => {
    const digest = sha256Hex(f.bytes);
    const candidates = result.inputs.filter((i) => i.sha256 === digest && !taken.has(i));
    const listed = candidates.find((i) => i.name === f.name) ?? candidates[0];
    if (listed) taken.add(listed);
    const role: InputRole = listed?.role ?? (ROLES.includes(f.role as InputRole) ? (f.role as InputRole) : 'ignored');
    const out: ReportInput = { name: listed?.name ?? f.name, role, sha256: digest, bytes: f.bytes.length, data: toBase64(f.bytes) };
    if (listed?.note) out.note = listed.note;
    else if (!listed) out.note = 'given to the verifier but not listed in the result';
    return out;
  });
}
