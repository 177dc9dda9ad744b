import type { FleetRow, ApiErrorBody, FleetJobStatus, VerificationSummary } from '../../../main/api/types.js';
import { api, apiErrorBody } from '../api.js';
import { store } from '../store.js';
import { loadTargets } from '../connect/connect-store.js';

/** The Fleet slice: the current run (polled), the re-verification schedule and one target's history. */
export interface FleetSlice {
  fleetJob?: FleetJobStatus;
  fleetError?: string;
  /** Re-verify every `minutes` while the app is open; `nextRunAt` in ms since the epoch. */
  schedule: { enabled: boolean; minutes: number; nextRunAt?: number };
  historyOf?: { name: string; entries: VerificationSummary[] };
  /** One run opened from a fleet row or a history entry: what the API kept of it. */
  runDetail?: RunDetail;
}

export interface RunDetail {
  name: string;
  from: 'fleet run' | 'history';
  summary: Partial<VerificationSummary>;
  source?: string;
  /** The first failure in full, when the API kept it (fleet rows do; history keeps only its code). */
  error?: ApiErrorBody;
  /** Every failure of a fleet run's target, worst first. */
  errors?: FleetRow['errors'];
  /** The fleet run it belongs to: its full result (every check) can be fetched while the run is kept. */
  jobId?: string;
}

const POLL_MS = 250;
let poller: ReturnType<typeof setTimeout> | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

export async function startFleet(): Promise<void> {
  try {
    const job = await api.fleetStart({ offline: store.getState().offline });
    store.setState({ fleetJob: job, fleetError: undefined });
    poll(job.jobId);
  } catch (e) {
    const err = apiErrorBody(e);
    store.setState({ fleetError: `${err.code}: ${err.message}` });
  }
}

export async function cancelFleet(): Promise<void> {
  const job = store.getState().fleetJob;
  if (!job || job.state !== 'running') return;
  store.setState({ fleetJob: await api.fleetCancel({ jobId: job.jobId }) });
}

/** Rows update as targets finish; when the run ends the saved targets' latest verdicts are reloaded. */
function poll(jobId: string): void {
  clearTimeout(poller);
  poller = setTimeout(async () => {
    try {
      const job = await api.fleetStatus({ jobId });
      store.setState({ fleetJob: job });
      if (!job.finishedAt) return poll(jobId);
      await loadTargets();
      const shown = store.getState().historyOf;
      if (shown) await showHistory(shown.name);
    } catch (e) {
      store.setState({ fleetError: apiErrorBody(e).message });
    }
  }, POLL_MS);
}

/** The schedule lives in this window: closing the app stops it (nothing runs in the background). */
export function setSchedule(enabled: boolean, minutes: number): void {
  clearTimeout(timer);
  const m = Math.min(Math.max(1, Math.round(minutes) || 1), 24 * 60);
  if (!enabled) return store.setState({ schedule: { enabled: false, minutes: m } });
  const nextRunAt = Date.now() + m * 60_000;
  store.setState({ schedule: { enabled: true, minutes: m, nextRunAt } });
  timer = setTimeout(() => {
    void startFleet();
    setSchedule(true, m);
  }, nextRunAt - Date.now());
}

export async function showHistory(name: string): Promise<void> {
  try {
    const r = await api.history({ name, limit: 20 });
    store.setState({ historyOf: r });
  } catch (e) {
    store.setState({ fleetError: apiErrorBody(e).message });
  }
}

export function hideHistory(): void {
  store.setState({ historyOf: undefined });
}

export function openRun(detail: RunDetail): void {
  store.setState({ runDetail: detail });
}

export function closeRun(): void {
  store.setState({ runDetail: undefined });
}
