import { randomBytes } from 'node:crypto';
import { TeeError, toTeeError } from '../../app/errors.js';
import type { FleetJobStatus, FleetRow } from './types.js';
import type { VerificationResult } from '../../app/report/result.js';

/** What a fleet run reports as targets start and finish. */
export interface FleetReporter {
  started(name: string): void;
  finished(name: string, row: Omit<FleetRow, 'name' | 'state'>, result?: VerificationResult): void;
}

export type FleetRunner = (names: string[], report: FleetReporter, signal: AbortSignal) => Promise<void>;

interface Job {
  status: FleetJobStatus;
  abort: AbortController;
  /** Each appraised target's full result, so a row can open every check of that run (kept with the job). */
  results: Map<string, VerificationResult>;
}

const KEEP_FINISHED = 8;

/**
 * Fleet runs as jobs the renderer polls: start returns an id at once, status gives done/total and a row per
 * target as each finishes, cancel aborts what has not finished. One run at a time: starting while one runs
 * returns the running job (a scheduled re-verification never piles up behind a slow one).
 */
export class FleetJobs {
  private jobs = new Map<string, Job>();

  constructor(private readonly now: () => Date) {}

  start(names: string[], run: FleetRunner): FleetJobStatus {
    const running = [...this.jobs.values()].find((j) => j.status.state === 'running');
    if (running) return snapshot(running);
    const jobId = randomBytes(16).toString('hex');
    const rows: FleetRow[] = names.map((name) => ({ name, state: 'pending' }));
    const job: Job = {
      status: { jobId, state: 'running', total: names.length, done: 0, startedAt: this.iso(), rows },
      abort: new AbortController(),
      results: new Map(),
    };
    this.jobs.set(jobId, job);
    this.prune();
    const row = (name: string) => rows.find((r) => r.name === name);
    const report: FleetReporter = {
      started: (name) => {
        const r = row(name);
        if (r && r.state === 'pending') r.state = 'running';
      },
      finished: (name, summary, result) => {
        const r = row(name);
        if (!r || r.state === 'done') return;
        Object.assign(r, summary, { state: 'done' });
        if (result) job.results.set(name, result);
        job.status.done++;
      },
    };
    void run(names, report, job.abort.signal)
      .catch((e: unknown) => (job.status.error = toTeeError(e, 'USAGE_ERROR').message)) // per-target failures are rows; this is the run's own
      .finally(() => {
        if (job.status.state === 'running') job.status.state = 'done';
        job.status.finishedAt = this.iso();
      });
    return snapshot(job);
  }

  status(jobId: string): FleetJobStatus {
    return snapshot(this.get(jobId));
  }

  /** The full result of one target of a run (every check), while the run is among the last ones kept. */
  result(jobId: string, name: string): VerificationResult {
    const result = this.get(jobId).results.get(name);
    if (!result)
      throw new TeeError(
        'USAGE_ERROR',
        `fleet run ${jobId} has no verification result for "${name}" (it failed before its evidence was appraised, or has not finished)`,
      );
    return structuredClone(result);
  }

  cancel(jobId: string): FleetJobStatus {
    const job = this.get(jobId);
    if (job.status.state === 'running') {
      job.status.state = 'cancelled';
      job.abort.abort(new TeeError('USAGE_ERROR', 'fleet run cancelled'));
    }
    return snapshot(job);
  }

  cancelAll(): void {
    for (const id of this.jobs.keys()) this.cancel(id);
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new TeeError('USAGE_ERROR', `no fleet run ${jobId}`);
    return job;
  }

  private prune(): void {
    const finished = [...this.jobs.entries()].filter(([, j]) => j.status.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(id);
  }

  private iso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
}

/** A copy, so a caller never holds rows that change under it. */
function snapshot(job: Job): FleetJobStatus {
  return structuredClone(job.status);
}
