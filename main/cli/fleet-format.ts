import type { FleetOutcome } from '../fleet/run.js';
import { escapeControls } from '../../app/text/sanitize.js';

export const FLEET_SCHEMA = 'tee-inspect/fleet/v1';

export interface FleetSummary {
  total: number;
  verified: number;
  rejected: number;
  errors: number;
  /** Of the errors: targets not finished because the run was cancelled. */
  cancelled: number;
  /** Of the verified: those whose appraisal tier is affirming (what --strict requires). */
  affirming: number;
  elapsedMs: number;
}

export function summarize(outcomes: readonly FleetOutcome[], elapsedMs: number): FleetSummary {
  const count = (f: (o: FleetOutcome) => boolean) => outcomes.filter(f).length;
  return {
    total: outcomes.length,
    verified: count((o) => o.verdict === 'verified'),
    rejected: count((o) => o.verdict === 'rejected'),
    errors: count((o) => o.verdict === 'error'),
    cancelled: count((o) => o.cancelled === true),
    affirming: count((o) => o.verdict === 'verified' && o.tier === 'affirming'),
    elapsedMs: Math.round(elapsedMs),
  };
}

/**
 * What the operator does about a host key problem. Fleet runs never trust a key themselves: the user checks
 * the fingerprint and pins it once (`hosts pin`, `verify --trust-host-key`), or gives the run a known_hosts file.
 */
export function hostKeyHint(o: FleetOutcome): string | undefined {
  const fp = o.error?.detail?.fingerprint;
  const host = hostPort(o.error?.detail);
  if (o.error?.code === 'HOST_KEY_UNKNOWN' && typeof fp === 'string')
    return `once confirmed, pin it: tee-inspect hosts pin ${host ?? 'HOST:PORT'} ${fp} (or give fleet verify --known-hosts FILE)`;
  if (o.error?.code === 'HOST_KEY_CHANGED')
    return `refused; if the host was re-keyed on purpose, run tee-inspect hosts unpin ${host ?? 'HOST:PORT'} first, then pin the new fingerprint`;
  return undefined;
}

function hostPort(d: Record<string, unknown> | undefined): string | undefined {
  return typeof d?.host === 'string' && typeof d.port === 'number' ? `${d.host}:${d.port}` : undefined;
}

/** One line per target: name, verdict/tier, TCB status, first error (code and message), elapsed time. */
export function outcomeLine(o: FleetOutcome, nameWidth: number, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const shade = o.verdict === 'verified' ? (o.tier === 'affirming' ? '32' : '33') : '31';
  const verdict = `${o.verdict}/${o.tier}`;
  const hint = hostKeyHint(o);
  const err = o.error ? `${paint('31', o.error.code)} ${oneLine(o.error.message, 240)}${hint ? ` — ${hint}` : ''}` : '-';
  const notes = o.notes?.length ? `  [${o.notes.map((n) => oneLine(n, 200)).join('; ')}]` : '';
  return `${oneLine(o.name, 128).padEnd(nameWidth)}  ${paint(shade, verdict.padEnd(25))}  ${(o.tcbStatus ?? '-').padEnd(34)}  ${err}${notes}  (${Math.round(o.elapsedMs)} ms)`;
}

export function summaryLine(s: FleetSummary, strict: boolean): string {
  const notAffirming = s.verified - s.affirming;
  const extra = [s.cancelled ? `${s.cancelled} cancelled` : '', strict && notAffirming ? `--strict: ${notAffirming} verified but not affirming` : ''].filter(
    Boolean,
  );
  return `summary: ${s.verified} verified, ${s.rejected} rejected, ${s.errors} error${s.errors === 1 ? '' : 's'} of ${s.total} target${s.total === 1 ? '' : 's'} in ${(s.elapsedMs / 1000).toFixed(2)} s${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

/** The JSON document: every outcome (with its full tee-inspect/result/v1 result when there is one) and the summary. */
export function fleetJson(outcomes: readonly FleetOutcome[], summary: FleetSummary, at: Date): object {
  return {
    schema: FLEET_SCHEMA,
    at: at.toISOString(),
    targets: outcomes.map((o) => {
      const hint = hostKeyHint(o);
      const { index: _index, ...rest } = o;
      return { ...rest, elapsedMs: Math.round(o.elapsedMs), ...(o.error && hint ? { error: { ...o.error, hint } } : {}) };
    }),
    summary,
  };
}

/** The progress bar (stderr, a terminal only): rewritten in place. */
export function progressLine(done: number, total: number, running: readonly string[], counts: { ok: number; bad: number }): string {
  const width = 24;
  const filled = total ? Math.round((done / total) * width) : width;
  const now = running.length
    ? `  running: ${running
        .slice(0, 3)
        .map((n) => oneLine(n, 24))
        .join(', ')}${running.length > 3 ? ` +${running.length - 3}` : ''}`
    : '';
  return `\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${counts.ok} verified, ${counts.bad} not${now}`;
}

/** Control characters (from names or remote error text) must not break the one-line-per-target output nor drive the terminal. */
function oneLine(s: string, max: number): string {
  const flat = escapeControls(s.replace(/[\n\r\t\u2028\u2029]+/g, ' '));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
