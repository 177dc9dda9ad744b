import { createHash } from 'node:crypto';
import { appendFile, open, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { privateDir } from '../private-dir.js';
import { defaultHostKeyStore } from '../cli/ssh-evidence.js';
import type { FleetOutcome, FleetVerdict } from './run.js';
import { moduleFor } from '../../app/tee/registry.js';

/**
 * Per-target verification history, kept locally: one JSONL file per target in one directory, named by a
 * hash of the target's name and URL (so any name is a safe file name, and a target moved to another URL
 * starts a new history). Each line is one compact record; the newest `limit` records are kept.
 */
export interface HistoryRecord {
  /** When the run of this target began (ISO). */
  time: string;
  name: string;
  url: string;
  verdict: FleetVerdict;
  tier: string;
  tcbStatus: string | null;
  /** The first error's code, if any. */
  error?: string;
  /** Every failure, worst first (at most MAX_FAILURES, messages shortened): what a history entry shows. */
  failures?: HistoryFailure[];
  technology?: string;
  /** sha256 of the evidence as received. */
  sha256?: string;
  /** What was noticed against the target's previous record (a TPM counter going back). */
  notes?: string[];
  /** The measurement-like claims: what changes when the workload, firmware or platform does. */
  claims?: Record<string, string | number | boolean>;
  elapsedMs: number;
}

export interface HistoryFailure {
  code: string;
  message: string;
  check?: string;
}

const MAX_FAILURES = 16;
const MAX_MESSAGE = 400;

export interface HistoryTarget {
  name: string;
  url: string;
}

export const HISTORY_LIMIT = 500;
const KEY_CLAIMS = [
  'mrEnclave',
  'mrSigner',
  'isvProdId',
  'isvSvn',
  'mrTd',
  'mrConfigId',
  'rtmr0',
  'rtmr1',
  'rtmr2',
  'rtmr3',
  'measurement',
  'hostData',
  'idKeyDigest',
  'chipId',
  'debug',
  'tpmResetCount',
  'tpmRestartCount',
];
const VERDICTS: readonly string[] = ['verified', 'rejected', 'error'];
/** A history file is read from its tail: a damaged or foreign huge file costs at most this much. */
const MAX_READ = 4 * 1024 * 1024;

/** Beside the pinned host keys: $XDG_CONFIG_HOME/tee-inspector/history (or ~/.config/…). */
export function defaultHistoryDir(): string {
  return join(dirname(defaultHostKeyStore()), 'history');
}

/** The compact record of a fleet outcome. */
export function historyRecord(o: FleetOutcome, url: string): HistoryRecord {
  const claims = Object.fromEntries(
    KEY_CLAIMS.flatMap((k) => {
      const v = o.result?.claims[k];
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[k, v]] : [];
    }),
  );
  return {
    time: o.startedAt,
    name: o.name,
    url,
    verdict: o.verdict,
    tier: o.tier,
    tcbStatus: o.tcbStatus,
    ...(o.error ? { error: o.error.code } : {}),
    ...(failuresOf(o).length ? { failures: failuresOf(o) } : {}),
    ...(o.result && o.result.technology !== 'unknown' ? { technology: o.result.technology } : {}),
    ...(o.result ? { sha256: o.result.evidence.sha256 } : {}),
    ...(Object.keys(claims).length ? { claims } : {}),
    elapsedMs: Math.round(o.elapsedMs),
  };
}

/**
 * Notes on this outcome against the target's previous record, as the technology's module sees them
 * (TeeModule.historyNotes): added to the outcome, so the run's output shows them, and kept in the record.
 */
export async function notesAgainstHistory(history: FleetHistory, t: HistoryTarget, o: FleetOutcome): Promise<string[]> {
  const module = o.result ? moduleFor(o.result.technology) : undefined;
  if (!module?.historyNotes || !o.result) return [];
  const previous = (await history.latest(t, 1))[0];
  if (!previous?.claims || previous.technology !== o.result.technology) return [];
  const notes = module.historyNotes(previous.claims, o.result.claims, previous.time);
  if (notes.length) o.notes = [...(o.notes ?? []), ...notes];
  return notes;
}

/** Appends the outcome's record after comparing it with the previous one (notesAgainstHistory). */
export async function recordOutcome(history: FleetHistory, t: HistoryTarget, o: FleetOutcome): Promise<void> {
  const notes = await notesAgainstHistory(history, t, o);
  await history.append(t, { ...historyRecord(o, t.url), ...(notes.length ? { notes } : {}) });
}

/** The result's failures, worst first; without a result (nothing appraised), the one error that stopped the run. */
function failuresOf(o: FleetOutcome): HistoryFailure[] {
  const all = o.result?.errors.length ? o.result.errors : o.error ? [o.error] : [];
  return all.slice(0, MAX_FAILURES).map((e) => ({
    code: e.code,
    message: e.message.length > MAX_MESSAGE ? `${e.message.slice(0, MAX_MESSAGE - 1)}…` : e.message,
    ...('check' in e && typeof e.check === 'string' ? { check: e.check } : {}),
  }));
}

export class FleetHistory {
  /** Writes to one file are queued, so concurrent appends never interleave with a trim. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string = defaultHistoryDir(),
    readonly limit: number = HISTORY_LIMIT,
  ) {}

  fileFor(t: HistoryTarget): string {
    return join(this.dir, `${createHash('sha256').update(`${t.name}\n${t.url}`).digest('hex').slice(0, 32)}.jsonl`);
  }

  /** Appends one record; when the file then holds more than `limit` lines, rewrites it with the newest `limit`. */
  append(t: HistoryTarget, record: HistoryRecord): Promise<void> {
    const file = this.fileFor(t);
    const run = (this.queues.get(file) ?? Promise.resolve()).then(() => this.write(file, record));
    const settled = run.catch(() => undefined);
    this.queues.set(file, settled);
    void settled.then(() => this.queues.get(file) === settled && this.queues.delete(file));
    return run;
  }

  /** The newest `n` readable records, oldest first; damaged lines are skipped. An absent history is empty. */
  async latest(t: HistoryTarget, n: number = this.limit): Promise<HistoryRecord[]> {
    const records = (await readTail(this.fileFor(t))).lines.map(parseRecord).filter((r): r is HistoryRecord => r !== undefined);
    return n > 0 ? records.slice(-n) : [];
  }

  private async write(file: string, record: HistoryRecord): Promise<void> {
    await privateDir(this.dir);
    const line = JSON.stringify(record) + '\n';
    const { lines, cut } = await readTail(file);
    // A line left unterminated by a crash is closed first, so it cannot swallow this record.
    if (lines.length < this.limit) return appendFile(file, (cut ? '\n' : '') + line, { mode: 0o600 });
    // Trim: keep the newest limit-1 readable lines plus this one; temporary file and rename, never half-written.
    const kept = lines.filter((l) => parseRecord(l) !== undefined).slice(-(this.limit - 1));
    await writeFile(`${file}.tmp`, kept.map((l) => l + '\n').join('') + line, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}

/** The file's lines (of its last MAX_READ bytes); `cut`: it does not end with a newline. */
async function readTail(file: string): Promise<{ lines: string[]; cut: boolean }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return { lines: [], cut: false };
  }
  try {
    const size = (await fh.stat()).size;
    const length = Math.min(size, MAX_READ);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    const text = buf.toString('utf8');
    const lines = text.split('\n').filter((l) => l.length > 0);
    // The first line of a tail may be partial.
    return { lines: size > length ? lines.slice(1) : lines, cut: text.length > 0 && !text.endsWith('\n') };
  } finally {
    await fh.close();
  }
}

function parseRecord(line: string): HistoryRecord | undefined {
  try {
    const r = JSON.parse(line) as Partial<HistoryRecord> | null;
    if (!r || typeof r !== 'object' || typeof r.time !== 'string' || !VERDICTS.includes(r.verdict as string) || typeof r.elapsedMs !== 'number')
      return undefined;
    return r as HistoryRecord;
  } catch {
    return undefined;
  }
}
