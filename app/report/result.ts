import type { Check, NotEstablished } from '../check.js';
import type { ErrorCode } from '../errors.js';
import type { TcbReport } from '../tee/module.js';

export const RESULT_SCHEMA = 'tee-inspect/result/v1';

export type Verdict = 'verified' | 'rejected';
export type AppraisalTier = 'affirming' | 'warning' | 'contraindicated' | 'none';

export interface ClaimDiff {
  claim: string;
  expected: string[];
  /** '' when the evidence does not carry this claim (always a mismatch). */
  actual: string;
  match: boolean;
  /** Where the actual value was measured, for claims read from an event log (boot.*): register and event. */
  source?: { register: string; event: number; detail?: string };
  /**
   * For a mismatch: the input that explains it, in words ("kernel image: expected sha384 ... (bzImage, sha256 ...),
   * found ..."), from the reference set's provenance and the event log; absent when nothing names one.
   */
  explainedBy?: string;
}

/** Which reference values were applied: the file's name and the set reported (null: none for this technology). */
export interface ReferenceSummary {
  name: string;
  set: string | null;
  matched: boolean;
  /** SHA-256 of the reference file as given (a signed file: of the JWS text). */
  sha256?: string;
  /** A signed reference file: the signature's algorithm and key, and whether it was verified with a key the user named. */
  signature?: ReferenceSignature;
}

export interface ReferenceSignature {
  alg: 'ES256' | 'ES384';
  /** SHA-256 of the DER SubjectPublicKeyInfo of the key it was verified with (verified) or that was named for it. */
  keySha256?: string;
  /** The public key as PEM, recorded so that recheck can re-verify the signature offline. */
  publicKeyPem?: string;
  /** true only when the signature verified with the key the user named (--reference-key); false: not checked. */
  verified: boolean;
}

/** The versioned result: what the CLI prints with --format json and what reports embed. */
export interface VerificationResult {
  schema: typeof RESULT_SCHEMA;
  evidence: { sha256: string; bytes: number; encoding?: string };
  technology: string;
  format: string;
  verdict: Verdict;
  cryptoValid: boolean;
  at: string;
  tcb: TcbReport | null;
  appraisal: { tier: AppraisalTier; diffs: ClaimDiff[]; reference?: ReferenceSummary };
  claims: Record<string, unknown>;
  checks: Check[];
  errors: { code: ErrorCode; message: string; check?: string }[];
  fields: Record<string, unknown>;
  collateral: { name: string; kinds: string[] }[];
  /** Every input with the part it played (DESIGN.md "Additions to the result"). */
  inputs: ResultInput[];
  /** What this verdict does not show. */
  notEstablished: NotEstablished[];
}

export type InputRole = 'evidence' | 'collateral' | 'reference' | 'eventlog' | 'tpm-quote' | 'td-quote' | 'ignored' | 'unused';

export interface ResultInput {
  name: string;
  role: InputRole;
  sha256: string;
  bytes: number;
  note?: string;
}

export { judge } from './judge.js';
