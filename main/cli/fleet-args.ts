import { accessSync, constants, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TeeError } from '../../app/errors.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../fleet/run.js';
import { parseAt, parseTcbUpdate } from './args.js';

export interface FleetArgs {
  targetsFile: string;
  concurrency: number;
  format: 'text' | 'json';
  at: Date;
  offline: boolean;
  cacheDir?: string;
  pcsUrl?: string;
  tcbUpdate?: 'standard' | 'early';
  kdsUrl?: string;
  /** Per-target evidence fetch limit, ms. */
  timeoutMs?: number;
  caFile?: string;
  hostKeyStore?: string;
  knownHosts?: string;
  /** undefined: the default directory; null: --no-history. */
  historyDir?: string | null;
  /** `--report-dir DIR`: one tee-inspect/report/v2 file per appraised target. */
  reportDir?: string;
  strict: boolean;
}

export const FLEET_USAGE =
  'usage: tee-inspect fleet verify TARGETS.json [--concurrency N] [--format text|json] [--at ISO-8601] [--offline] [--timeout SECONDS] [--cache-dir DIR] [--pcs-url URL] [--tcb-update standard|early] [--kds-url URL] [--ca-file PEM] [--host-key-store FILE] [--known-hosts FILE] [--history-dir DIR | --no-history] [--report-dir DIR] [--strict]';

/** `fleet verify` arguments; every mistake is a USAGE_ERROR (exit 2) saying what to write instead. */
export function parseFleetArgs(argv: string[], now: () => Date): FleetArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        concurrency: { type: 'string' },
        format: { type: 'string', default: 'text' },
        at: { type: 'string' },
        offline: { type: 'boolean', default: false },
        'cache-dir': { type: 'string' },
        'pcs-url': { type: 'string' },
        'tcb-update': { type: 'string' },
        timeout: { type: 'string' },
        'kds-url': { type: 'string' },
        'ca-file': { type: 'string' },
        'host-key-store': { type: 'string' },
        'known-hosts': { type: 'string' },
        'history-dir': { type: 'string' },
        'no-history': { type: 'boolean', default: false },
        'report-dir': { type: 'string' },
        strict: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (positionals[0] !== 'verify')
    throw new TeeError(
      'USAGE_ERROR',
      positionals.length
        ? `unknown fleet command "${positionals[0]}"; expected: fleet verify TARGETS.json`
        : 'fleet needs a command: fleet verify TARGETS.json',
    );
  if (positionals.length !== 2)
    throw new TeeError(
      'USAGE_ERROR',
      positionals.length < 2 ? 'fleet verify needs one TARGETS.json file' : `fleet verify takes one TARGETS.json file, got ${positionals.length - 1}`,
    );
  if (v.format !== 'text' && v.format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${v.format}"`);
  if (v['history-dir'] !== undefined && v['no-history']) throw new TeeError('USAGE_ERROR', '--history-dir and --no-history exclude each other');
  const args: FleetArgs = {
    targetsFile: positionals[1]!,
    concurrency: concurrency(v.concurrency),
    format: v.format,
    at: parseAt(v.at, now),
    offline: v.offline ?? false,
    strict: v.strict ?? false,
  };
  for (const [flag, key] of [
    ['pcs-url', 'pcsUrl'],
    ['kds-url', 'kdsUrl'],
  ] as const) {
    const url = v[flag];
    if (url === undefined) continue;
    if (!/^https:\/\/\S+$/.test(url)) throw new TeeError('USAGE_ERROR', `--${flag} must be an https:// URL, not "${url}"`);
    args[key] = url;
  }
  if (v['tcb-update'] !== undefined) args.tcbUpdate = parseTcbUpdate(v['tcb-update']);
  if (v.timeout !== undefined) {
    const seconds = /^\d{1,4}(\.\d+)?$/.test(v.timeout) ? Number(v.timeout) : NaN;
    if (!(seconds >= 0.1 && seconds <= 3600)) throw new TeeError('USAGE_ERROR', `--timeout takes seconds from 0.1 to 3600, not "${v.timeout}"`);
    args.timeoutMs = Math.round(seconds * 1000);
  }
  if (v['cache-dir'] !== undefined) args.cacheDir = v['cache-dir'];
  if (v['ca-file'] !== undefined) args.caFile = v['ca-file'];
  if (v['host-key-store'] !== undefined) args.hostKeyStore = v['host-key-store'];
  if (v['known-hosts'] !== undefined) args.knownHosts = v['known-hosts'];
  if (v['history-dir'] !== undefined) args.historyDir = v['history-dir'];
  if (v['no-history']) args.historyDir = null;
  if (v['report-dir'] !== undefined) args.reportDir = reportDir(v['report-dir']);
  return args;
}

/** Checked before the run, so that a typo does not cost a fleet's one-time evidence. */
function reportDir(dir: string): string {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
    if (isDir) accessSync(dir, constants.W_OK);
  } catch {
    throw new TeeError('USAGE_ERROR', `--report-dir ${dir} ${isDir ? 'is not writable' : 'is not an existing folder'}`);
  }
  if (!isDir) throw new TeeError('USAGE_ERROR', `--report-dir ${dir} is not a folder`);
  return dir;
}

function concurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) throw new TeeError('USAGE_ERROR', `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not "${text}"`);
  return n;
}
