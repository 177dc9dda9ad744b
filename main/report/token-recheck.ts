import { base64url } from '../../app/report/ear.js';
import type { EarView } from '../../app/report/ear-read.js';
import type { RecheckError, RecheckOutcome } from '../../app/report/recheck.js';

/**
 * What a tee-inspect EAR token states beside its report must match the recheck: its ear.status with the
 * recomputed appraisal, its eat_nonce with the nonce the report was checked against. Shared by the CLI's
 * `recheck TOKEN` and the app's openReport.
 */
export function tokenDifferences(outcome: RecheckOutcome, ear: EarView): RecheckError[] {
  const errors: RecheckError[] = [];
  const tech = ear.report.result.technology;
  const stated = ear.submods[tech]?.status;
  if (outcome.recomputed && stated !== outcome.recomputed.tier)
    errors.push({
      code: 'REPORT_MISMATCH',
      message: `the token's ear.status for ${tech} is ${stated ?? 'absent'}, the recomputed appraisal is ${outcome.recomputed.tier}`,
    });
  const nonce = ear.report.nonce;
  const expected = nonce !== undefined ? base64url(new Uint8Array(Buffer.from(nonce, 'hex'))) : undefined;
  if (ear.nonce !== undefined && ear.nonce !== expected)
    errors.push({
      code: 'REPORT_MISMATCH',
      message: `the token's eat_nonce ${ear.nonce} is not the nonce the embedded report was checked against (${expected ?? 'none'})`,
    });
  return errors;
}

/** The outcome with further differences: it agrees only if none was found. */
export function withErrors(outcome: RecheckOutcome, before: RecheckError[], after: RecheckError[]): RecheckOutcome {
  const errors = [...before, ...outcome.errors, ...after];
  return { ...outcome, agrees: errors.length === 0, errors };
}
