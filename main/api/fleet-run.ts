import type { Verifier } from '../../app/verifier.js';
import { runFleet } from '../fleet/run.js';
import type { FleetOutcome } from '../fleet/run.js';
import type { ApiOptions } from './options.js';
import type { HostKeyGate } from './host-keys.js';
import type { FleetReporter } from './fleet-jobs.js';
import { secretId } from './targets.js';
import type { Target } from './targets.js';
import { errorBody } from './errors.js';
import type { FleetRow } from './types.js';
import { TeeError } from '../../app/errors.js';

export interface AppFleetOptions {
  verifier: Verifier;
  options: ApiOptions;
  hostKeys: HostKeyGate;
  report: FleetReporter;
  signal: AbortSignal;
  at: Date;
  offline: boolean;
  baseDir: string;
  concurrency?: number;
  /** Appends an outcome to the target's history. */
  record(t: Target, o: FleetOutcome): Promise<unknown>;
}

/**
 * The fleet runner (main/fleet/run.ts) with the app's stores: pinned host keys, secrets from the SecretStore,
 * the app's cache; each finished target becomes a job row and a history line, and an unknown host key is
 * remembered so that the user can confirm it from the fleet view.
 */
export async function runAppFleet(targets: Target[], o: AppFleetOptions): Promise<void> {
  const s = o.options;
  const writes: Promise<unknown>[] = [];
  await runFleet(targets, {
    knownHosts: await o.hostKeys.load(),
    at: o.at,
    baseDir: o.baseDir,
    offline: o.offline,
    verifier: o.verifier,
    cacheDir: s.cacheDir,
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    ...(s.pcsBase ? { pcsBase: s.pcsBase } : {}),
    ...(s.kdsBase ? { kdsBase: s.kdsBase } : {}),
    ...(s.ca ? { ca: s.ca } : {}),
    ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
    secrets: async (t) => {
      const passphrase = await s.secrets.get(secretId(t.name, 'passphrase'));
      const token = await s.secrets.get(secretId(t.name, 'token'));
      return { ...(passphrase ? { passphrase } : {}), ...(token ? { token } : {}) };
    },
    ...(s.collectorEnv ? { env: () => s.collectorEnv } : {}),
    signal: o.signal,
    onProgress: (e) => {
      if (e.type === 'started') return o.report.started(e.name);
      o.report.finished(e.name, row(e.outcome), e.outcome.result);
      if (e.outcome.error) o.hostKeys.observe(new TeeError(e.outcome.error.code, e.outcome.error.message, e.outcome.error.detail ?? {}));
      if (!e.outcome.cancelled) writes.push(o.record(targets[e.index]!, e.outcome));
    },
  });
  await Promise.allSettled(writes);
}

function row(o: FleetOutcome): Omit<FleetRow, 'name' | 'state'> {
  return {
    time: o.startedAt,
    source: o.source,
    verdict: o.verdict,
    tier: o.tier,
    tcbStatus: o.tcbStatus,
    ...(o.result && o.result.technology !== 'unknown' ? { technology: o.result.technology } : {}),
    ...(o.error ? { errorCode: o.error.code, error: errorBody(new TeeError(o.error.code, o.error.message, o.error.detail ?? {})) } : {}),
    ...(o.result?.errors.length ? { errors: o.result.errors } : {}),
    elapsedMs: Math.round(o.elapsedMs),
    ...(o.cancelled ? { cancelled: true } : {}),
  };
}
