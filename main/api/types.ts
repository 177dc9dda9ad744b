import type { ReportV2 } from '../../app/report/report.js';
import type { ResultInput } from '../../app/report/result.js';
import type { VerificationResult, AppraisalTier, Verdict } from '../../app/report/result.js';
import type { TimelineItem } from '../../app/collateral/timeline.js';
import type { TargetInput } from './validate-acquire.js';
import type { RecheckOutcome } from '../../app/report/recheck.js';
import type { OpenedToken } from '../report/open.js';

export type { EarClaimsView, OpenedToken, SignatureState, TokenSignature } from '../report/open.js';

/** What the API returns: plain JSON, the same over IPC and HTTP. No file paths the user did not type, no secrets. */
/** Every input with its role (result.inputs): evidence, collateral, reference, ignored or unused with a note. */
export type InputDigest = ResultInput;

/** Where the collateral came from and how long each item holds. */
export interface CollateralReport {
  offline: boolean;
  /** What the cache and the network could not give (URLs, fetch failures), in plain words. */
  notes: string[];
  /** Collateral kinds the verification lacked (e.g. "TCB info", "AMD CRL"). */
  missing: string[];
  timeline: TimelineItem[];
}

/** How evidence was obtained from a live target. */
export interface AcquisitionInfo {
  target: string;
  source: string;
  provider?: string;
  elapsedMs: number;
  /** A fresh 64-byte nonce was sent and required in REPORT_DATA. */
  nonce: boolean;
  /** Collateral that travelled with the evidence (an SNP certificate table). */
  collateralFromTarget: string[];
  /** What the user should know about the target's answer (e.g. collateral it sent that was ignored). */
  notes: string[];
}

export interface VerifyResponse {
  result: VerificationResult;
  inputs: InputDigest[];
  appVersion: string;
  collateral: CollateralReport;
  acquisition?: AcquisitionInfo;
  /** The versioned report (tee-inspect/report/v2) the app exports: every input with its bytes, for `tee-inspect recheck`. */
  report: ReportV2;
}

/**
 * A report or an EAR token the user opened: the report as recorded, the offline recheck of its evidence
 * (tee-inspect/recheck/v1; for a token also its ear.status and eat_nonce against the recheck), the recomputed
 * result as a normal VerifyResponse (so every view renders it), and for a token its claims and signature state.
 * A token without a tee-inspect report (trustee, Veraison) has only `token`.
 */
export interface OpenReportResponse {
  kind: 'report' | 'token';
  /** The file's name, as given. */
  name: string;
  /**
   * The whole of it stands: the recheck agrees and, for a token, its signature verified with the key given, which
   * is not a published example key. The only state the app shows in green.
   */
  trusted: boolean;
  recorded?: ReportV2;
  recheck?: RecheckOutcome;
  response?: VerifyResponse;
  token?: OpenedToken;
}

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
  /** true: secrets are kept encrypted by the OS keychain; false: for this session only. */
  secretsPersist: boolean;
}

/** A verification as the fleet view and the history show it ('error': nothing could be appraised). */
export interface VerificationSummary {
  /** When the target's verification began. */
  time: string;
  verdict: Verdict | 'error';
  tier: AppraisalTier | string;
  tcbStatus: string | null;
  technology?: string;
  errorCode?: string;
  /** Every failure of that run, worst first (history records since this version keep them). */
  failures?: { code: string; message: string; check?: string }[];
  elapsedMs: number;
}

export interface TargetView extends TargetInput {
  kind: 'ssh' | 'https';
  /** Which secrets are set (never their values). */
  secrets: { passphrase: boolean; token: boolean };
  /** Settings kept from the targets file that the app does not edit (reference, collateral, product). */
  fileOnly: string[];
  latest?: VerificationSummary;
}

export interface TargetsResponse {
  targets: TargetView[];
  secretsPersist: boolean;
}

export type FleetRowState = 'pending' | 'running' | 'done';

export interface FleetRow extends Partial<VerificationSummary> {
  name: string;
  state: FleetRowState;
  source?: string;
  /** The first error in full (a host-key error carries the fingerprint to confirm). */
  error?: ApiErrorBody;
  /** Every failure of the run, worst first (result.errors), with the check each comes from. */
  errors?: VerificationResult['errors'];
  cancelled?: boolean;
}

export interface FleetJobStatus {
  jobId: string;
  state: 'running' | 'done' | 'cancelled';
  total: number;
  done: number;
  startedAt: string;
  finishedAt?: string;
  /** Why the run itself stopped (per-target failures are in their rows). */
  error?: string;
  rows: FleetRow[];
}

/** The error envelope both front doors send; `detail` only for host-key errors (host, port, fingerprint). */
export interface ApiErrorBody {
  code: string;
  message: string;
  detail?: { host: string; port: number; fingerprint: string };
}
