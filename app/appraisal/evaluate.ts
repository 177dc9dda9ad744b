import type { ClaimDiff } from '../report/result.js';
import { actualValue, claimKinds } from './catalogue.js';
import { technologyInfo } from '../tee/registry.js';
import type { Technology } from './catalogue.js';
import { evaluateMinimum } from './minimum.js';
import type { ReferenceSet, ValueProvenance } from './reference.js';
import { EVENTLOG_CLAIMS } from '../tee/eventlog/claims.js';

/** What appraisal reads from a module result: claims are compared, never raw bytes. */
export interface AppraisalInput {
  technology: string;
  format?: string;
  claims: Record<string, unknown>;
  tcb: { status: string; advisories: string[] } | null;
  /** Where event-log claims were measured (claim name as in the set, e.g. 'boot.kernelDigest'): register and event. */
  claimSources?: Record<string, { register: string; event: number; detail?: string }>;
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
    const source = Object.hasOwn(input.claimSources ?? {}, claim) ? input.claimSources![claim] : undefined;
    const diff: ClaimDiff = { claim, expected: [...expected], actual: actual ?? '', match, ...(source ? { source } : {}) };
    const provenance = !match && actual !== null ? provenanceOf(set, claim, expected) : undefined;
    if (!match && source && actual !== null) {
      diff.explainedBy = explainBootMismatch(set, claim, expected, actual);
      claimProblems.push(`${where(source)}: ${diff.explainedBy}`);
    } else if (provenance) {
      diff.explainedBy = explainFromProvenance(provenance, claim, expected, actual!);
      claimProblems.push(`${claim}: ${diff.explainedBy}`);
    } else if (!match) claimProblems.push(describeClaim(claim, expected, actual, input.format ?? input.technology));
    claimDiffs.push(diff);
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

/** "RTMR1, event 23 (EV_EFI_BOOT_SERVICES_APPLICATION, path …)": registers upper-case, as the specs write them. */
function where(source: NonNullable<ClaimDiff['source']>): string {
  return `${source.register.toUpperCase()}, event ${source.event}${source.detail ? ` (${source.detail})` : ''}`;
}

/** Which input a boot claim measures, as `measure` records it in provenance inputs. */
const INPUT_ROLE: Readonly<Record<string, string>> = {
  'boot.kernelDigest': 'kernel',
  'boot.initrdDigest': 'initrd',
  'boot.kernelCmdlineDigest': 'cmdline',
  'boot.kernelCmdline': 'cmdline',
};

/**
 * "kernel image: expected sha384 <exp> (from bzImage, sha256 <…>, Authenticode …), found <actual>": the input
 * named by the set's provenance when it has some for this value, else by the claim's meaning.
 */
function explainBootMismatch(set: ReferenceSet, claim: string, expected: readonly string[], actual: string): string {
  const p = provenanceOf(set, claim, expected);
  const meaning = EVENTLOG_CLAIMS.find((c) => `boot.${c.name}` === claim)?.meaning;
  const label = p?.describes?.[claim] ?? meaning ?? claim;
  const input = p?.inputs?.find((i) => i.role === INPUT_ROLE[claim]);
  const from = [input ? `from ${input.name}, sha256 ${input.sha256}` : undefined, p?.method].filter(Boolean).join(', ');
  const digest = /^[0-9a-f]+$/.test(actual) && (actual.length === 64 || actual.length === 96);
  const alg = digest ? `sha${actual.length * 4} ` : '';
  // Text claims (a command line) are quoted, so their ends and spaces show.
  const show = (v: string) => (digest ? v : JSON.stringify(v));
  const exp = expected.length === 1 ? show(expected[0]!) : `one of ${expected.map(show).join(', ')}`;
  return `${label}: expected ${alg}${exp}${from ? ` (${from})` : ''}, found ${show(actual)}`;
}

/** The provenance entry that accounts for one of the allowed values of this claim, if the set records one. */
function provenanceOf(set: ReferenceSet, claim: string, expected: readonly string[]): ValueProvenance | undefined {
  return set.provenance?.find((v) => Object.hasOwn(v.claims, claim) && expected.includes(v.claims[claim]!));
}

/**
 * A launch measurement predicted from artefacts (or taken from a report) that the evidence does not carry: what it
 * measures, the inputs and parameters it was computed from, so the reader knows which build or setting to check.
 * "TD firmware image: expected 4c72… (from OVMF.fd, sha256 7b45…; pageAddOrder single; measure tdx …), found 91eb…".
 */
function explainFromProvenance(p: ValueProvenance, claim: string, expected: readonly string[], actual: string): string {
  const label = p.describes?.[claim] ?? claim;
  const inputs = (p.inputs ?? []).map((i) => `${i.role} ${i.name}, sha256 ${i.sha256}`);
  const params = Object.entries(p.parameters ?? {}).map(([k, v]) => `${k} ${String(v)}`);
  const from =
    p.source === 'evidence' && p.evidence
      ? `measured in evidence sha256 ${p.evidence.sha256} (${p.evidence.format}) as of ${p.evidence.at}`
      : [inputs.length ? `from ${inputs.join('; ')}` : '', params.join(', '), p.method ?? ''].filter(Boolean).join('; ');
  const exp = expected.length === 1 ? expected[0]! : `one of ${expected.join(', ')}`;
  const why =
    p.source === 'artefacts'
      ? 'this guest was not launched from these inputs with these parameters (compare each one with the build that was deployed)'
      : 'this is not the workload whose evidence the value was taken from';
  return `${label}: expected ${exp} (${from}), found ${actual}: ${why}`;
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
