import type { Check } from '../check.js';
import type { ClaimDiff, ReferenceSummary } from '../report/result.js';
import { noSetChecks, referenceChecks } from './checks.js';
import { bestOutcome, evaluateSet } from './evaluate.js';
import type { AppraisalInput, SetOutcome } from './evaluate.js';
import type { ReferenceValues } from './reference.js';
import { requireRevocation } from '../report/judge.js';
import { technologyInfo } from '../tee/registry.js';

export type { AppraisalInput } from './evaluate.js';

export interface ReferenceAppraisal {
  /** The module's checks (a debug failure downgraded only where a matching set allows debug), then the reference checks. */
  checks: Check[];
  /** The reported set's claim and minimum diffs, in the set's order. */
  diffs: ClaimDiff[];
  reference: ReferenceSummary;
  /** The TCB status the reported set's minimum TCB established (the module said NotEvaluated). */
  tcbStatus?: 'UpToDate' | 'OutOfDate';
}

/**
 * Appraises a module result against reference values. The evidence matches when ANY set for its
 * technology matches completely; the reported set is that one, or else the closest (fewest mismatches).
 * Pure: the verdict and tier follow from the returned checks through judge().
 */
export function appraiseReference(input: AppraisalInput & { checks: readonly Check[] }, ref: ReferenceValues): ReferenceAppraisal {
  const outcomes = ref.sets.filter((s) => s.technology === input.technology).map((s) => evaluateSet(s, input));
  const best = bestOutcome(outcomes);
  if (!best) {
    return { checks: [...input.checks, ...noSetChecks(ref, input.technology)], diffs: [], reference: { ...summary(ref), set: null, matched: false } };
  }
  const matched = best.mismatches === 0;
  return {
    checks: [
      ...pinnedGaps(revocationPolicy(allowDebug(input.checks, best, ref), best, ref), best, ref, input.technology),
      ...referenceChecks(best, ref, input),
    ],
    diffs: [...best.claimDiffs, ...best.minimumDiffs],
    reference: { ...summary(ref), set: best.set.name, matched },
    ...(best.tcbStatus ? { tcbStatus: best.tcbStatus } : {}),
  };
}

/** Which file: its name, and the digest and signature whoever read its bytes recorded. */
function summary(ref: ReferenceValues): Pick<ReferenceSummary, 'name' | 'sha256' | 'signature'> {
  return { name: ref.name, ...(ref.sha256 ? { sha256: ref.sha256 } : {}), ...(ref.signature ? { signature: ref.signature } : {}) };
}

/**
 * A set that matches completely and names a pinning claim (a TPM's akSpkiSha256) establishes what the check
 * left open: the warning becomes a pass that says which set pinned it. A set that does not match pins nothing.
 */
function pinnedGaps(checks: Check[], best: SetOutcome, ref: ReferenceValues, technology: string): Check[] {
  const pins = technologyInfo(technology)?.schema.pins ?? {};
  const pinned = new Map(Object.entries(pins).flatMap(([claim, gap]) => (best.mismatches === 0 && claim in best.set.claims ? [[gap, claim]] : [])));
  if (pinned.size === 0) return checks;
  return checks.map((c) => {
    const claim = c.gap && c.status === 'warn' ? pinned.get(c.gap) : undefined;
    if (!claim) return c;
    const { gap: _gap, fix: _fix, ...rest } = c;
    const value = best.claimDiffs.find((d) => d.claim === claim)?.actual;
    const explain = `Pinned: reference set "${best.set.name}" of "${ref.name}" names this key (${claim} ${value}) and the evidence matches it, so it is the key whoever wrote that set checked out of band.`;
    return { ...rest, status: 'pass', explain };
  });
}

/** A set with "requireRevocation": true turns a revocation check that could not run into a failure. */
function revocationPolicy(checks: Check[], best: SetOutcome, ref: ReferenceValues): Check[] {
  return best.set.requireRevocation
    ? requireRevocation(checks, `reference set "${best.set.name}" of "${ref.name}" requires it ("requireRevocation": true)`)
    : checks;
}

/**
 * The default policy refuses debug evidence. Only a set that says "allowDebug": true, and that the
 * evidence otherwise matches completely, turns that refusal into a warning: debug is never allowed silently.
 */
function allowDebug(checks: readonly Check[], best: SetOutcome, ref: ReferenceValues): Check[] {
  if (!best.set.allowDebug || best.debug !== true || best.mismatches > 0) return [...checks];
  return checks.map((c) =>
    c.status === 'fail' && c.code === 'DEBUG_ENABLED'
      ? {
          ...c,
          status: 'warn',
          explain: `${c.explain} Allowed by reference set "${best.set.name}" of "${ref.name}" ("allowDebug": true), for development only.`,
          fix: c.fix ?? 'Never give a debug workload production secrets.',
        }
      : c,
  );
}
