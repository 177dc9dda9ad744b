import { dirname } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import type { VerificationResult } from '../../app/report/result.js';
import type { Verifier } from '../../app/verifier.js';
import { FleetHistory, recordOutcome } from '../fleet/history.js';
import type { HistoryRecord } from '../fleet/history.js';
import type { FleetOutcome } from '../fleet/run.js';
import type { ApiOptions } from './options.js';
import { targetsPath } from './options.js';
import { HostKeyGate } from './host-keys.js';
import type { PinnedHost } from '../ssh/known-hosts.js';
import { TargetStore, secretId, sourceOf } from './targets.js';
import type { Target } from './targets.js';
import { verifySavedTarget } from './verify-target.js';
import { FleetJobs } from './fleet-jobs.js';
import { runAppFleet } from './fleet-run.js';
import type {
  FleetStartRequest,
  ImportKnownHostsRequest,
  SecretRequest,
  TargetSaveRequest,
  TrustHostKeyRequest,
  VerifyTargetRequest,
} from './validate-acquire.js';
import { checkIdentityFile } from './identity-file.js';
import type { FleetJobStatus, TargetView, TargetsResponse, VerificationSummary, VerifyResponse } from './types.js';

export interface AcquisitionApi {
  targetsList(): Promise<TargetsResponse>;
  targetSave(req: TargetSaveRequest): Promise<TargetView>;
  targetRemove(req: { name: string }): Promise<{ removed: string }>;
  verifyTarget(req: VerifyTargetRequest): Promise<VerifyResponse>;
  trustHostKey(req: TrustHostKeyRequest): Promise<{ host: string; port: number; fingerprint: string }>;
  importKnownHosts(req: ImportKnownHostsRequest): Promise<{ imported: number; hosts: string[]; skipped: string[] }>;
  hostKeysList(): Promise<{ hosts: PinnedHost[] }>;
  /** Removes a host's pins: the explicit act before a re-keyed host's new key can be confirmed. */
  unpinHostKey(req: { host: string; port: number }): Promise<{ host: string; port: number; removed: string[] }>;
  fleetStart(req: FleetStartRequest): Promise<FleetJobStatus>;
  fleetStatus(req: { jobId: string }): Promise<FleetJobStatus>;
  fleetCancel(req: { jobId: string }): Promise<FleetJobStatus>;
  /** Every check of one target of a recent fleet run. */
  fleetResult(req: { jobId: string; name: string }): Promise<{ name: string; result: VerificationResult }>;
  history(req: { name: string; limit?: number }): Promise<{ name: string; entries: VerificationSummary[] }>;
  setSecret(req: SecretRequest): Promise<{ name: string; kind: string; persistent: boolean }>;
  clearSecret(req: SecretRequest): Promise<{ name: string; kind: string }>;
}

export interface AcquisitionContext {
  verifier: Verifier;
  options: ApiOptions;
  appVersion: string;
  now: () => Date;
}

/** Targets, live verification, host keys, fleet runs, history and secrets: the app side of acquisition. */
export function acquisitionApi(c: AcquisitionContext): { api: AcquisitionApi; close(): void } {
  const { options } = c;
  const targets = new TargetStore(targetsPath(options), options.secrets);
  const hostKeys = new HostKeyGate(options.hostKeyStore);
  const history = new FleetHistory(options.historyDir);
  const jobs = new FleetJobs(c.now);
  // History is a convenience: a full disk must not fail a verification.
  const record = (t: Target, o: FleetOutcome) => recordOutcome(history, t, o).catch(() => undefined);

  const view = async (t: Target): Promise<TargetView> => {
    const kind = t.url.startsWith('ssh:') ? 'ssh' : 'https';
    const has = async (k: 'passphrase' | 'token') => (await options.secrets.get(secretId(t.name, k))) !== undefined;
    const latest = (await history.latest(t, 1))[0];
    const { name, url, adapter, identity, collector, nonce } = t;
    return {
      name,
      url,
      ...(adapter ? { adapter } : {}),
      ...(identity ? { identity } : {}),
      ...(collector ? { collector } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
      kind,
      secrets: { passphrase: await has('passphrase'), token: await has('token') },
      fileOnly: (['reference', 'referenceKey', 'collateral', 'product'] as const).filter((k) => t[k] !== undefined),
      ...(latest ? { latest: summary(latest) } : {}),
    };
  };

  const api: AcquisitionApi = {
    async targetsList() {
      return { targets: await Promise.all((await targets.list()).map(view)), secretsPersist: options.secrets.persistent };
    },
    async targetSave(req) {
      const s = sourceOf(req.target as Target, targetsPath(options));
      if (s.kind === 'ssh' && s.identityFile) await checkIdentityFile(s.identityFile);
      return view(await targets.save(req.target, req.previous));
    },
    async targetRemove({ name }) {
      await targets.remove(name);
      return { removed: name };
    },
    async verifyTarget(req) {
      const t = await targets.get(req.name);
      const started = { at: new Date().toISOString(), t0: performance.now() }; // wall clock, as fleet runs record it
      try {
        const response = await verifySavedTarget({ verifier: c.verifier, options, hostKeys, appVersion: c.appVersion }, t, {
          offline: req.offline === true,
          at: req.at ? new Date(req.at) : c.now(),
        });
        const done = outcome(t, started, response);
        await record(t, done);
        // What the history comparison noticed (a TPM counter going back) is said with the answer.
        if (done.notes?.length && response.acquisition) response.acquisition.notes.push(...done.notes);
        return response;
      } catch (e) {
        const err = toTeeError(e, 'FETCH_FAILED');
        await record(t, outcome(t, started, err));
        throw err;
      }
    },
    async trustHostKey(req) {
      return hostKeys.trust(req.host, req.port, req.fingerprint, req.confirmed);
    },
    async importKnownHosts({ text }) {
      const hosts = (await targets.list()).flatMap((t) => {
        const s = sourceOf(t, targetsPath(options));
        return s.kind === 'ssh' ? [{ host: s.host, port: s.port }] : [];
      });
      if (hosts.length === 0) throw new TeeError('USAGE_ERROR', 'no saved ssh:// target to import host keys for: save the targets first');
      return hostKeys.importOpenSsh(text, hosts);
    },
    async hostKeysList() {
      return { hosts: await hostKeys.list() };
    },
    async unpinHostKey(req) {
      return hostKeys.unpin(req.host, req.port);
    },
    async fleetStart(req) {
      const all = await targets.list();
      const chosen = req.names ? req.names.map((n) => all.find((t) => t.name === n) ?? missing(n)) : all;
      if (chosen.length === 0) throw new TeeError('USAGE_ERROR', 'no saved targets to verify: add one in Connect first');
      return jobs.start(
        chosen.map((t) => t.name),
        (_names, report, signal) =>
          runAppFleet(chosen, {
            verifier: c.verifier,
            options,
            hostKeys,
            report,
            signal,
            at: c.now(),
            offline: req.offline === true,
            baseDir: dirname(targetsPath(options)),
            ...(req.concurrency ? { concurrency: req.concurrency } : {}),
            record,
          }),
      );
    },
    async fleetStatus({ jobId }) {
      return jobs.status(jobId);
    },
    async fleetCancel({ jobId }) {
      return jobs.cancel(jobId);
    },
    async fleetResult({ jobId, name }) {
      return { name, result: jobs.result(jobId, name) };
    },
    async history({ name, limit }) {
      const t = await targets.get(name);
      return { name, entries: (await history.latest(t, limit ?? 50)).map(summary).reverse() };
    },
    async setSecret({ name, kind, value }) {
      await targets.get(name);
      await options.secrets.set(secretId(name, kind), value!);
      return { name, kind, persistent: options.secrets.persistent };
    },
    async clearSecret({ name, kind }) {
      await options.secrets.delete(secretId(name, kind));
      return { name, kind };
    },
  };
  return { api, close: () => jobs.cancelAll() };
}

/** History lines are read back from disk: a damaged failure entry is left out, never shown raw. */
function isFailure(f: unknown): f is { code: string; message: string; check?: string } {
  const x = f as { code?: unknown; message?: unknown; check?: unknown } | null;
  return !!x && typeof x.code === 'string' && typeof x.message === 'string' && (x.check === undefined || typeof x.check === 'string');
}

function summary(r: HistoryRecord): VerificationSummary {
  return {
    time: r.time,
    verdict: r.verdict,
    tier: r.tier,
    tcbStatus: r.tcbStatus,
    ...(r.technology ? { technology: r.technology } : {}),
    ...(r.error ? { errorCode: r.error } : {}),
    ...(Array.isArray(r.failures) ? { failures: r.failures.filter(isFailure) } : {}),
    elapsedMs: r.elapsedMs,
  };
}

/** A single verification in the fleet's outcome shape, so it lands in the same history. */
function outcome(t: Target, started: { at: string; t0: number }, got: VerifyResponse | TeeError): FleetOutcome {
  const base = { index: 0, name: t.name, startedAt: started.at, elapsedMs: performance.now() - started.t0 };
  if (got instanceof TeeError)
    return { ...base, source: t.url, verdict: 'error', tier: 'none', tcbStatus: null, error: { code: got.code, message: got.message } };
  const r = got.result;
  const first = r.errors[0];
  return {
    ...base,
    source: got.acquisition?.source ?? t.url,
    verdict: r.appraisal.tier === 'none' ? 'error' : r.verdict,
    tier: r.appraisal.tier,
    tcbStatus: r.tcb?.status ?? null,
    ...(first ? { error: { code: first.code, message: first.message } } : {}),
    result: r,
  };
}

function missing(name: string): never {
  throw new TeeError('USAGE_ERROR', `no saved target named "${name}"`);
}
