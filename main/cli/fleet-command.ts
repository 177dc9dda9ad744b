import { dirname, resolve } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import { parseTargetsBytes } from '../../app/acquire/targets-file.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import { KnownHosts } from '../ssh/known-hosts.js';
import { runFleet } from '../fleet/run.js';
import type { FleetOutcome, FleetProgress } from '../fleet/run.js';
import { FleetHistory, recordOutcome } from '../fleet/history.js';
import { defaultHostKeyStore, readKnownHostsFile } from './ssh-evidence.js';
import { envSecrets } from './remote-evidence.js';
import { parseFleetArgs, FLEET_USAGE } from './fleet-args.js';
import { requestedFormat } from './args.js';
import { readInput } from '../read-input.js';
import type { FleetArgs } from './fleet-args.js';
import { FLEET_SCHEMA, fleetJson, outcomeLine, progressLine, summarize, summaryLine } from './fleet-format.js';
import type { CliIo } from './verify-command.js';
import { reportFileNames, writeFleetReport } from './fleet-reports.js';

export interface FleetCommandOptions {
  /** Draw the progress bar on stderr; default: when stderr is a terminal. */
  progress?: boolean;
  /** Cancels the run (the CLI aborts on the first Ctrl-C; unfinished targets are reported as cancelled). */
  signal?: AbortSignal;
}

/**
 * `tee-inspect fleet verify TARGETS.json`: one line per target in target order, then a summary line (or one
 * JSON object). Exit 0 if every target verified (with --strict: affirming), 1 otherwise, 2 for usage errors
 * and an unreadable or invalid targets file.
 */
export async function fleetCommand(argv: string[], io: CliIo, opts: FleetCommandOptions = {}): Promise<number> {
  let format = requestedFormat(argv);
  let args: FleetArgs;
  let targets: TargetSpec[];
  let knownHosts: KnownHosts;
  let ca: string | undefined;
  try {
    args = parseFleetArgs(argv, io.now);
    format = args.format;
    targets = parseTargetsBytes(await readInput(args.targetsFile, 'targets file')).targets;
    if (targets.length === 0) throw new TeeError('USAGE_ERROR', `${args.targetsFile} lists no targets`);
    ca = args.caFile === undefined ? undefined : new TextDecoder().decode(await readInput(args.caFile, '--ca-file'));
    knownHosts = await hostKeys(args);
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify({ schema: FLEET_SCHEMA, targets: [], errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: ${err.message}\n${err.code === 'USAGE_ERROR' ? `${FLEET_USAGE}\n` : ''}`);
    return 2;
  }
  const history = args.historyDir === null ? undefined : new FleetHistory(args.historyDir ?? undefined);
  const writes: Promise<void>[] = [];
  const reportFiles = args.reportDir === undefined ? undefined : reportFileNames(targets);
  const reportWrites = new Map<number, Promise<string | undefined>>();
  const progress = new Progress(io, opts.progress ?? process.stderr.isTTY === true);
  const { signal, release } = cancellation(opts.signal);
  const started = performance.now();
  const outcomes = await runFleet(targets, {
    knownHosts,
    at: args.at,
    baseDir: dirname(resolve(args.targetsFile)),
    concurrency: args.concurrency,
    offline: args.offline,
    strict: args.strict,
    ...(args.pcsUrl ? { pcsBase: args.pcsUrl } : {}),
    ...(args.kdsUrl ? { kdsBase: args.kdsUrl } : {}),
    ...(args.tcbUpdate ? { tcbUpdate: args.tcbUpdate } : {}),
    ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
    ...(args.cacheDir ? { cacheDir: args.cacheDir } : {}),
    ...(ca ? { ca } : {}),
    secrets: envSecrets,
    signal,
    ...(reportFiles ? { reports: { createdAt: io.now } } : {}),
    onProgress: (e) => {
      progress.update(e);
      if (e.type === 'finished' && reportFiles && args.reportDir !== undefined)
        reportWrites.set(e.index, writeFleetReport(args.reportDir, reportFiles[e.index]!, e.outcome));
      if (e.type === 'finished' && history && !e.outcome.cancelled) writes.push(recordOutcome(history, targets[e.index]!, e.outcome));
    },
  }).finally(release);
  const elapsed = performance.now() - started;
  progress.clear();
  const failed = (await Promise.allSettled(writes)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) io.stderr(`tee-inspect: warning: history not saved in ${history?.dir}: ${(failed.reason as Error).message}\n`);
  const reportsWritten = await attachReportFiles(outcomes, reportWrites, io);
  const summary = summarize(outcomes, elapsed);
  if (args.format === 'json') io.stdout(JSON.stringify(fleetJson(outcomes, summary, args.at), null, 2) + '\n');
  else
    io.stdout(
      textReport(outcomes, summaryLine(summary, args.strict), io.color) +
        (args.reportDir === undefined ? '' : `reports: ${reportsWritten} written to ${args.reportDir}\n`),
    );
  return outcomes.every((o) => o.verdict === 'verified' && (!args.strict || o.tier === 'affirming')) ? 0 : 1;
}

/** Each written report's path goes into its outcome in place of the report itself; a failed write is a warning. */
async function attachReportFiles(outcomes: FleetOutcome[], writes: Map<number, Promise<string | undefined>>, io: CliIo): Promise<number> {
  let written = 0;
  for (const o of outcomes) {
    const write = writes.get(o.index);
    delete o.report;
    if (!write) continue;
    try {
      const path = await write;
      if (path === undefined) continue;
      o.reportFile = path;
      written++;
    } catch (e) {
      io.stderr(`tee-inspect: warning: ${toTeeError(e).message}\n`);
    }
  }
  return written;
}

function textReport(outcomes: FleetOutcome[], summary: string, color: boolean): string {
  const width = Math.min(40, Math.max(...outcomes.map((o) => o.name.length)));
  return outcomes.map((o) => outcomeLine(o, width, color) + '\n').join('') + summary + '\n';
}

/**
 * The pinned host keys; a --known-hosts file is trusted for this run only (as OpenSSH's UserKnownHostsFile)
 * and never copied into the store. Nothing else is trusted: unknown keys fail their targets.
 */
async function hostKeys(args: FleetArgs): Promise<KnownHosts> {
  const store = await KnownHosts.load(args.hostKeyStore ?? defaultHostKeyStore());
  if (args.knownHosts !== undefined) store.useRunFile(await readKnownHostsFile(args.knownHosts));
  return store;
}

/** The caller's signal, or the first Ctrl-C: report what finished instead of dying mid-run (a second Ctrl-C kills). */
function cancellation(given?: AbortSignal): { signal: AbortSignal; release: () => void } {
  if (given) return { signal: given, release: () => undefined };
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', onInt) };
}

/** The stderr progress bar: which targets run, how many are done. */
class Progress {
  private readonly running = new Map<number, string>();
  private ok = 0;
  private bad = 0;

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  update(e: FleetProgress): void {
    if (e.type === 'started') this.running.set(e.index, e.name);
    else {
      this.running.delete(e.index);
      if (e.outcome.verdict === 'verified') this.ok++;
      else this.bad++;
    }
    if (this.enabled) this.io.stderr(progressLine(e.done, e.total, [...this.running.values()], { ok: this.ok, bad: this.bad }));
  }

  clear(): void {
    if (this.enabled) this.io.stderr('\r\x1b[K');
  }
}
