import type { Check } from '../check.js';
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
}

/** Which reference values were applied: the file's name and the set reported (null: none for this technology). */
export interface ReferenceSummary {
  name: string;
  set: string | null;
  matched: boolean;
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
}

const CRYPTO_FAILURE_CODES: readonly ErrorCode[] = ['COLLATERAL_SIGNATURE_INVALID', 'CERT_CHAIN_INVALID'];

/** Verdict, cryptoValid and tier from the checks: the one place these rules live. */
export function judge(checks: readonly Check[], cryptoChecks: readonly string[], tcbStatus?: string): Pick<VerificationResult, 'verdict' | 'cryptoValid' | 'errors' | 'appraisal'> {
  const failed = checks.filter((c) => c.status === 'fail');
  const verdict: Verdict = failed.length === 0 ? 'verified' : 'rejected';
  const cryptoValid =
    cryptoChecks.every((id) => checks.some((c) => c.id === id) && checks.filter((c) => c.id === id).every((c) => c.status === 'pass')) &&
    !failed.some((c) => c.code && CRYPTO_FAILURE_CODES.includes(c.code));
  const errors = failed.map((c) => ({ code: c.code ?? 'MALFORMED_EVIDENCE', message: `${c.title}: ${c.explain}`, check: c.id }));
  let tier: AppraisalTier = 'contraindicated';
  if (verdict === 'verified') tier = tcbStatus === 'UpToDate' && !checks.some((c) => c.status === 'warn') ? 'affirming' : 'warning';
  return { verdict, cryptoValid, errors, appraisal: { tier, diffs: [] } };
}
