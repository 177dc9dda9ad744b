import type { ClaimDiff } from '../report/result.js';
import { actualValue, claimKinds } from './catalogue.js';
import { technologyInfo } from '../tee/registry.js';
import type { Technology } from './catalogue.js';
import { evaluateMinimum } from './minimum.js';
import type { ReferenceSet } from './reference.js';

/** What appraisal reads from a module result: claims are compared, never raw bytes. */
export interface AppraisalInput {
  technology: string;
  format?: string;
  claims: Record<string, unknown>;
  tcb: { status: string; advisories: string[] } | null;
}

/** One set held against the evidence: every diff and, in plain words, every reason it does not match. */
export interface SetOutcome {
  set: ReferenceSet;
  claimDiffs: ClaimDiff[];
  claimProblems: string[];
  minimumDiffs: ClaimDiff[];
  minimumProblems: string[];
  /** undefined: the set does not narrow the TCB status. */
  tcbOk?: boolean;
  /**
   * The TCB status this set establishes for evidence whose module left it NotEvaluated: UpToDate when every
   * component meets the set's minimum TCB, OutOfDate when one is below. Undefined: the set names no TCB minimum.
   */
  tcbStatus?: 'UpToDate' | 'OutOfDate';
  /** The evidence's debug flag; undefined when the evidence carries none. */
  debug?: boolean;
  /** False when the technology has no debug mode at all (a TPM): nothing to refuse. */
  debugApplies: boolean;
  debugOk: boolean;
  mismatches: number;
}

export function evaluateSet(set: ReferenceSet, input: AppraisalInput): SetOutcome {
  const claimDiffs: ClaimDiff[] = [];
  const claimProblems: string[] = [];
  for (const [claim, expected] of Object.entries(set.claims)) {
    const actual = actualValue(input.claims, claim, claimKinds(input.technology as Technology)[claim]);
    const match = actual !== null && expected.includes(actual);
    claimDiffs.push({ claim, expected: [...expected], actual: actual ?? '', match });
    if (!match) claimProblems.push(describeClaim(claim, expected, actual, input.format ?? input.technology));
  }
  const minimum = set.minimum.map((rule) => evaluateMinimum(rule, input.claims));
  const minimumProblems = minimum.flatMap((m) => (m.problem ? [m.problem] : []));
  const tcbStatus = establishedTcb(set, minimum, input);
  const status = tcbStatus ?? input.tcb?.status;
  const tcbOk = set.allowedTcbStatuses ? status !== undefined && set.allowedTcbStatuses.includes(status) : undefined;
  const debug = typeof input.claims.debug === 'boolean' ? input.claims.debug : undefined;
  // Fail closed: evidence without a debug flag cannot show it is in production mode, unless its technology has none.
  const debugApplies = technologyInfo(input.technology)?.schema.debugMode !== false;
  const debugOk = !debugApplies || debug === false || (debug === true && set.allowDebug);
  const mismatches = claimProblems.length + minimumProblems.length + (tcbOk === false ? 1 : 0) + (debugOk ? 0 : 1);
  return {
    set,
    claimDiffs,
    claimProblems,
    minimumDiffs: minimum.map((m) => m.diff),
    minimumProblems,
    ...(tcbOk === undefined ? {} : { tcbOk }),
    ...(tcbStatus ? { tcbStatus } : {}),
    ...(debug === undefined ? {} : { debug }),
    debugApplies,
    debugOk,
    mismatches,
  };
}

/** A minimum TCB decides currency where the module could not (status NotEvaluated): all components met or not. */
function establishedTcb(set: ReferenceSet, results: readonly { problem?: string }[], input: AppraisalInput): SetOutcome['tcbStatus'] {
  if (input.tcb?.status !== 'NotEvaluated') return undefined;
  const tcbResults = results.filter((_, i) => set.minimum[i]!.tcb);
  if (tcbResults.length === 0) return undefined;
  return tcbResults.every((r) => !r.problem) ? 'UpToDate' : 'OutOfDate';
}

function describeClaim(claim: string, expected: readonly string[], actual: string | null, format: string): string {
  if (actual === null) return `${claim} is not present in this evidence (${format}), so it cannot match`;
  const allowed = expected.length === 1 ? `only ${expected[0]}` : `one of ${expected.join(', ')}`;
  return `${claim} is ${actual}, but the set allows ${allowed}`;
}

/**
 * The set reported for this evidence: the first that matches completely, otherwise the one with the
 * fewest mismatches (the file's order breaks ties), so the diff shown is the most useful one.
 */
export function bestOutcome(outcomes: readonly SetOutcome[]): SetOutcome | undefined {
  let best: SetOutcome | undefined;
  for (const o of outcomes) if (!best || o.mismatches < best.mismatches) best = o;
  return best;
}
