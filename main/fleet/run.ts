import { setMaxListeners } from 'node:events';
import { toTeeError } from '../../app/errors.js';
import type { ErrorCode } from '../../app/errors.js';
import { createVerifier } from '../../app/verifier.js';
import type { Verifier } from '../../app/verifier.js';
import type { AppraisalTier, VerificationResult } from '../../app/report/result.js';
import { sourceLabel } from '../../app/acquire/target.js';
import { targetSource } from '../../app/acquire/targets-file.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import { acquireEvidence } from '../acquire/evidence.js';
import type { KnownHosts } from '../ssh/known-hosts.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { CollateralMemo } from './collateral-memo.js';
import { TargetInputs } from './inputs.js';
import { pipelineReport, runPipeline } from '../pipeline/pipeline.js';
import type { PipelineRequest } from '../pipeline/pipeline.js';
import type { ReportV2 } from '../../app/report/report.js';

export type FleetVerdict = 'verified' | 'rejected' | 'error';

export interface FleetError {
  code: ErrorCode;
  message: string;
  /** Machine-readable context: for HOST_KEY_UNKNOWN / HOST_KEY_CHANGED, host, port and fingerprint. */
  detail?: Record<string, unknown>;
}

/**
 * One target's result. `verified`/`rejected` are the verifier's verdict on evidence it could appraise;
 * `error` means nothing was appraised: the evidence could not be fetched or read, or an input file failed.
 */
export interface FleetOutcome {
  index: number;
  name: string;
  /** The source as a label (ssh://user@host:port, https://…), or the URL as written if it did not parse. */
  source: string;
  verdict: FleetVerdict;
  tier: AppraisalTier;
  tcbStatus: string | null;
  /** The first error: why a target was rejected or failed. */
  error?: FleetError;
  result?: VerificationResult;
  /** The target's tee-inspect/report/v2 (inputs embedded, rechecks offline), when FleetOptions.reports asks for it. */
  report?: ReportV2;
  /** Where the CLI wrote that report (`fleet verify --report-dir`). */
  reportFile?: string;
  /** Wall-clock ISO time when the target's run began. */
  startedAt: string;
  elapsedMs: number;
  /** What the user should know about the target's answer (e.g. collateral it sent that was ignored). */
  notes?: string[];
  /** Set when the run was aborted before this target finished (then verdict is 'error'). */
  cancelled?: true;
}

export type FleetProgress =
  | { type: 'started'; index: number; name: string; done: number; total: number }
  | { type: 'finished'; index: number; name: string; outcome: FleetOutcome; done: number; total: number };

export interface FleetOptions {
  /** Pinned SSH host keys. Unknown keys are never trusted here: such targets fail with HOST_KEY_UNKNOWN. */
  knownHosts: KnownHosts;
  /** Verification time; default: the wall clock when the run starts. */
  at?: Date;
  /** Directory that relative identity, reference and collateral paths start from; default the working directory. */
  baseDir?: string;
  /** Targets in flight at once (1-256); default 8. */
  concurrency?: number;
  offline?: boolean;
  /** A revocation check that could not run fails the target (`fleet verify --strict`), as for `verify --strict`. */
  strict?: boolean;
  pcsBase?: string;
  tcbUpdate?: 'standard' | 'early';
  kdsBase?: string;
  /** Extra trust anchors (PEM) for HTTPS targets and PCS/KDS. */
  ca?: string;
  cacheDir?: string;
  /** Per-target evidence fetch limit; default that of acquireEvidence (30 s). */
  timeoutMs?: number;
  /** Default: one node:crypto verifier for the whole run, so shared collateral is parsed and checked once. */
  verifier?: Verifier;
  /** An SSH key passphrase or HTTPS bearer token for a target (e.g. from the secret store); never logged. */
  secrets?: (t: TargetSpec) => { passphrase?: string; token?: string } | undefined | Promise<{ passphrase?: string; token?: string } | undefined>;
  /** Environment for SSH collectors (the tests' configfs-tsm stand-in). */
  env?: (t: TargetSpec) => Record<string, string> | undefined;
  onProgress?: (e: FleetProgress) => void;
  /** Build each verified or rejected target's report (as `verify --report` does), dated by this clock. */
  reports?: { createdAt: () => Date };
  /** Aborting stops starting targets; the unfinished ones return at once as cancelled. */
  signal?: AbortSignal;
}

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 256;

/**
 * Verifies every target with bounded parallelism: fetch evidence (fresh nonce unless the target says
 * nonce:false), complete collateral (supplied files, what came with the evidence, cache, PCS/KDS), verify.
 * A failing target is an outcome with a typed error and never stops the others. Outcomes are in target order.
 */
export async function runFleet(targets: readonly TargetSpec[], o: FleetOptions): Promise<FleetOutcome[]> {
  const at = o.at ?? new Date();
  const width = Math.min(Math.max(1, Math.floor(o.concurrency ?? DEFAULT_CONCURRENCY)), MAX_CONCURRENCY);
  const verifier = o.verifier ?? createVerifier({ crypto: nodeCryptoProvider() });
  const inputs = new TargetInputs(o.baseDir ?? process.cwd());
  const memo = new CollateralMemo(verifier, { offline: o.offline ?? false, at, ...pick(o, ['pcsBase', 'tcbUpdate', 'kdsBase', 'ca', 'cacheDir']) });
  const outcomes: FleetOutcome[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const emit = (e: FleetProgress) => {
    try {
      o.onProgress?.(e);
    } catch {
      // a failing progress display must not stop or lose the verification of the fleet
    }
  };
  const finish = (outcome: FleetOutcome) => {
    outcomes[outcome.index] = outcome;
    done++;
    emit({ type: 'finished', index: outcome.index, name: outcome.name, outcome, done, total: targets.length });
  };
  const worker = async () => {
    while (next < targets.length && !o.signal?.aborted) {
      const index = next++;
      const t = targets[index]!;
      emit({ type: 'started', index, name: t.name, done, total: targets.length });
      finish(await cancellable(runOne(t, index, { o, at, verifier, inputs, memo }), index, t, watch.aborted));
    }
  };
  // Each in-flight fetch listens to the signal too (to close its connection at once).
  if (o.signal) setMaxListeners(width + 8, o.signal);
  const watch = abortWatch(o.signal);
  await Promise.all(Array.from({ length: Math.min(width, targets.length) }, worker)).finally(watch.stop);
  for (let i = next; i < targets.length; i++) finish(cancelled(i, targets[i]!, new Date(), 0));
  return outcomes;
}

interface RunContext {
  o: FleetOptions;
  at: Date;
  verifier: Verifier;
  inputs: TargetInputs;
  memo: CollateralMemo;
}

async function runOne(t: TargetSpec, index: number, c: RunContext): Promise<FleetOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const base = { index, name: t.name, source: t.url, startedAt: startedAt.toISOString() };
  try {
    const source = targetSource(t, (p) => c.inputs.path(p));
    base.source = sourceLabel(source);
    // Input files first: a broken reference must not cost a connection to the target.
    const [reference, supplied, secrets] = await Promise.all([c.inputs.referenceFile(t), c.inputs.collateral(t), c.o.secrets?.(t)]);
    const env = c.o.env?.(t);
    const got = await acquireEvidence(source, {
      knownHosts: c.o.knownHosts,
      nonce: t.nonce !== false,
      ...pick(c.o, ['ca', 'timeoutMs', 'signal']),
      ...(secrets ?? {}),
      ...(env ? { env } : {}),
    });
    const request: PipelineRequest = {
      evidence: { name: got.source, bytes: got.evidence },
      collateral: [...supplied, ...got.collateral],
      ...(got.attachments.length ? { attachments: got.attachments } : {}),
      ...(reference ? { reference } : {}),
      ...(got.nonce ? { nonce: got.nonce } : {}),
      ...(t.product ? { product: t.product } : {}),
      at: c.at,
      offline: c.o.offline ?? false,
      ...(c.o.strict ? { requireRevocation: true } : {}),
    };
    const out = await runPipeline(c.verifier, (e, files) => c.memo.complete(e, files), request);
    const report = c.o.reports ? pipelineReport(out, request, c.o.reports.createdAt()) : undefined;
    const { result } = out;
    return {
      ...base,
      ...judged(result),
      result,
      ...(report ? { report } : {}),
      ...(got.notes.length ? { notes: got.notes } : {}),
      elapsedMs: performance.now() - t0,
    };
  } catch (e) {
    const err = toTeeError(e, 'FETCH_FAILED');
    if (err.code === 'CANCELLED') return cancelled(index, t, startedAt, performance.now() - t0);
    return {
      ...base,
      verdict: 'error',
      tier: 'none',
      tcbStatus: null,
      error: fleetError(err.code, err.message, err.detail),
      elapsedMs: performance.now() - t0,
    };
  }
}

/** tier 'none' comes only from evidence or collateral that could not be read: nothing was appraised. */
function judged(r: VerificationResult): Pick<FleetOutcome, 'verdict' | 'tier' | 'tcbStatus' | 'error'> {
  const first = r.errors[0];
  const verdict: FleetVerdict = r.appraisal.tier === 'none' ? 'error' : r.verdict;
  // A TCB status means nothing for evidence whose signatures did not verify: not determined, never "UpToDate".
  const tcbStatus = r.cryptoValid ? (r.tcb?.status ?? null) : null;
  return { verdict, tier: r.appraisal.tier, tcbStatus, ...(first ? { error: fleetError(first.code, first.message) } : {}) };
}

function fleetError(code: ErrorCode, message: string, detail?: Readonly<Record<string, unknown>>): FleetError {
  return { code, message, ...(detail && Object.keys(detail).length ? { detail: { ...detail } } : {}) };
}

/**
 * One abort listener for the whole run (one per target would trip Node's listener-leak warning at a
 * concurrency above 10); each in-flight target races against it.
 */
function abortWatch(signal?: AbortSignal): { aborted: Promise<void> | undefined; stop: () => void } {
  if (!signal) return { aborted: undefined, stop: () => undefined };
  let onAbort = () => undefined as void;
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { aborted, stop: () => signal.removeEventListener('abort', onAbort) };
}

/** The target's outcome, or a cancelled outcome as soon as the run is aborted. */
function cancellable(run: Promise<FleetOutcome>, index: number, t: TargetSpec, aborted?: Promise<void>): Promise<FleetOutcome> {
  if (!aborted) return run;
  const startedAt = new Date();
  const t0 = performance.now();
  return Promise.race([run, aborted.then(() => cancelled(index, t, startedAt, performance.now() - t0))]);
}

function cancelled(index: number, t: TargetSpec, startedAt: Date, elapsedMs: number): FleetOutcome {
  return {
    index,
    name: t.name,
    source: label(t),
    verdict: 'error',
    tier: 'none',
    tcbStatus: null,
    error: { code: 'CANCELLED', message: 'cancelled before this target was verified', detail: { cancelled: true } },
    startedAt: startedAt.toISOString(),
    elapsedMs,
    cancelled: true,
  };
}

function label(t: TargetSpec): string {
  try {
    return sourceLabel(targetSource(t));
  } catch {
    return t.url;
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
