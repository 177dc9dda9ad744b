import { failingIds } from './facts.js';
import type { Facts } from './facts.js';
import { citation } from './seeds.js';
import type { InstanceStatus, Mitigation, Technology, ThreatRow } from './types.js';
import { DCAP_CHECKS as DCAP } from '../tee/dcap/checks.js';
import { REFERENCE_CHECKS as REFERENCE } from '../appraisal/checks.js';

export interface Judgement {
  status: InstanceStatus;
  because: string;
  basis: string[];
}

export interface RowInput {
  row: ThreatRow;
  by: Mitigation;
  column: string;
  technology: Technology;
}

const j = (status: InstanceStatus, because: string, basis: readonly string[] = []): Judgement => ({ status, because, basis: [...basis] });
const idList = (checks: Facts['doubt']) => checks.map((c) => c.id).join(', ');
const has = (r: ThreatRow, ...ties: ThreatRow['ties'][number][]) => ties.some((t) => r.ties.includes(t));

/**
 * One row against one result. The order is the point: what no TEE mitigates stays so whatever the evidence;
 * unverifiable evidence proves nothing; then revocation, debug mode, TCB currency, freshness, reference values.
 */
export function judgeRow(x: RowInput, f: Facts): Judgement {
  const { row, by, column } = x;
  if (has(row, 'no-tee')) return j('not-by-any-tee', `No TEE mitigates this (${noTeeReason(row)}); no evidence can change that.`, [citation(row.source)]);
  if (by === 'not-mitigated') return j('not-mitigated', `${column} does not mitigate this${row.note ? `: ${row.note}` : '.'}`, [citation(row.source)]);
  if (!f.cryptoValid)
    return j(
      'unknown',
      `Nothing is mitigated by this evidence: its signatures or certificate chain do not verify (failing: ${failingIds(f)}).`,
      f.failing.map((c) => c.id),
    );
  if (f.revoked && has(row, 'hardware', 'memory', 'debug', 'tcb')) {
    return j('not-mitigated', `The platform is Revoked (${f.revoked.basis.join(', ')}): nothing rooted in its hardware can be trusted.`, f.revoked.basis);
  }
  if (f.debug?.on && has(row, 'memory', 'debug')) {
    return j('not-mitigated', `Debug mode: the host can read and change memory (${f.debug.basis.join(', ')}).`, f.debug.basis);
  }
  if (has(row, 'debug')) {
    return f.debug
      ? j('mitigated', `Debug mode is off (${f.debug.basis.join(', ')}).`, f.debug.basis)
      : j('unknown', 'This evidence does not say whether debug mode is on.', []);
  }
  if (has(row, 'tcb')) return tcbRow(row, f);
  if (has(row, 'freshness')) return freshness(f);
  const checked = checksRow(row, f);
  if (checked) return checked;
  const claimed = claimsRow(x, f);
  if (claimed) return claimed;
  if (by === 'optional') return j('unknown', `${column} mitigates this only optionally; this evidence does not show whether the option is in use.`, []);
  return hardwareDefault(x, f);
}

function noTeeReason(row: ThreatRow): string {
  if (row.history) return `${row.history.attack} is a side channel`;
  if (row.source !== 'product' && row.source.quote) return `"${row.source.quote}"`;
  return row.justification ?? row.threat;
}

const PART_LABELS: Readonly<Record<string, string>> = { tdxModule: 'TDX module', qe: 'Quoting Enclave', platform: 'Platform' };

function tcbRow(row: ThreatRow, f: Facts): Judgement {
  const failing = (row.checks ?? []).map((id) => f.find(id)).find((c) => c.status === 'fail');
  if (failing) return j('not-mitigated', `${failing.id} failed.`, [failing.id]);
  if (f.doubt.length > 0)
    return j(
      'unknown',
      `The platform appraisal did not complete (failing: ${idList(f.doubt)}), so its TCB status cannot be relied on.`,
      f.doubt.map((c) => c.id),
    );
  if (!f.tcb)
    return j('unknown', `No TCB status could be established for this evidence (${f.find(DCAP.tcbStatus.id).id} ${f.find(DCAP.tcbStatus.id).status}).`, ['tcb']);
  const advisories = row.history?.advisories ?? [];
  if (advisories.length > 0) {
    const open = advisories.filter((a) => f.tcb?.advisories.includes(a));
    const level = `this platform's TCB level (status ${f.tcb.status})`;
    if (open.length > 0) return j('open-tcb', `Intel lists ${open.join(', ')} for ${level}.`, ['tcb.advisories', ...open]);
    const info = f.tcb.evaluation !== undefined ? `Intel's TCB info (evaluation data number ${f.tcb.evaluation})` : 'The TCB info';
    return j('mitigated', `${info} does not list ${advisories.join(', ')} for ${level}.`, ['tcb.advisories']);
  }
  const part = row.tcbPart ? f.tcb.parts[row.tcbPart] : f.tcb.status;
  if (part === undefined) return checksRow(row, f) ?? j('unknown', `The TCB report has no ${row.tcbPart} status.`, ['tcb']);
  const what = row.tcbPart ? `${PART_LABELS[row.tcbPart] ?? row.tcbPart} TCB status` : 'TCB status';
  const basis = [row.tcbPart ? `tcb.${row.tcbPart}.status` : 'tcb.status'];
  if (part === 'NotEvaluated')
    return j('open-by-policy', `${what} not evaluated: no minimum TCB was given, so a rolled-back or unpatched TCB would not be noticed.`, basis);
  if (part === 'UpToDate') return j('mitigated', `${what} UpToDate${f.tcb.date ? ` (level of ${f.tcb.date.slice(0, 10)})` : ''}.`, basis);
  const adv = row.tcbPart ? '' : f.tcb.advisories.length > 0 ? `: ${f.tcb.advisories.join(', ')} remain open` : ': no advisory ids given';
  return j('open-tcb', `${what} ${part}${adv}.`, [...basis, ...(row.tcbPart ? [] : f.tcb.advisories)]);
}

function freshness(f: Facts): Judgement {
  const { id, state } = f.nonce;
  if (state === 'pass') return j('mitigated', `${id} passed: REPORT_DATA begins with the verifier's nonce.`, [id]);
  if (state === 'fail') return j('not-mitigated', `${id} failed: REPORT_DATA does not carry the verifier's nonce.`, [id]);
  return j('open-by-policy', `No nonce was checked (${id} ${state === 'skip' ? 'skipped' : 'absent'}): this evidence could be a replay of an older one.`, [id]);
}

const UNDECIDED: readonly string[] = ['COLLATERAL_EXPIRED', 'COLLATERAL_MISSING', 'COLLATERAL_MISMATCH'];

function checksRow(row: ThreatRow, f: Facts): Judgement | undefined {
  if (!row.checks || row.checks.length === 0) return undefined;
  const found = row.checks.map((id) => f.find(id));
  const bad = found.find((c) => c.status === 'fail');
  // Stale or missing collateral means "could not tell", not "found wanting".
  if (bad && bad.code && UNDECIDED.includes(bad.code)) return j('unknown', `${bad.id} could not be decided (${bad.code}).`, [bad.id]);
  if (bad) return j('not-mitigated', `${bad.id} failed.`, [bad.id]);
  const missing = found.filter((c) => c.status === 'skip' || c.status === 'missing');
  if (missing.length > 0)
    return j(
      'unknown',
      `Not established: ${missing.map((c) => `${c.id} ${c.status === 'skip' ? 'skipped' : 'absent'}`).join(', ')}.`,
      missing.map((c) => c.id),
    );
  return j(
    'mitigated',
    `${found.map((c) => c.id).join(', ')} passed.`,
    found.map((c) => c.id),
  );
}

function claimsRow(x: RowInput, f: Facts): Judgement | undefined {
  const names = x.row.claims?.[x.technology];
  if (!names || names.length === 0) return undefined;
  const absent = names.filter((n) => f.claim(n) === undefined);
  if (absent.length === names.length) return j('unknown', `This evidence carries no ${names.join(', ')}.`, names);
  const diffs = names.map((n) => ({ n, d: f.diff(n) }));
  const bad = diffs.filter((e) => e.d && !e.d.match).map((e) => e.n);
  if (bad.length > 0)
    return j('not-mitigated', `${bad.join(', ')} differ${bad.length === 1 ? 's' : ''} from the reference values.`, [REFERENCE.claims.id, ...bad]);
  const unchecked = diffs.filter((e) => !e.d && !absent.includes(e.n)).map((e) => e.n);
  if (unchecked.length > 0)
    return j(
      'open-by-policy',
      `${unchecked.join(', ')} ${unchecked.length === 1 ? 'is' : 'are'} signed, but no reference value was given to compare ${unchecked.length === 1 ? 'it' : 'them'} with.`,
      unchecked,
    );
  return j('mitigated', `${names.join(', ')} match the reference values.`, [REFERENCE.claims.id, ...names]);
}

function hardwareDefault(x: RowInput, f: Facts): Judgement {
  if (has(x.row, 'hardware', 'memory') && (!f.tcb || f.doubt.length > 0)) {
    const why = f.doubt.length > 0 ? `failing: ${idList(f.doubt)}` : 'no TCB status';
    return j(
      'unknown',
      `The platform's TCB could not be appraised (${why}), so its hardware protection is not established.`,
      f.doubt.length > 0 ? f.doubt.map((c) => c.id) : ['tcb'],
    );
  }
  const parts = ['the evidence verifies'];
  if (f.tcb) parts.push(`TCB status ${f.tcb.status}`);
  if (has(x.row, 'memory') && f.debug && !f.debug.on) parts.push('debug mode off');
  return j('mitigated', `Mitigated by ${x.column}: ${parts.join(', ')}.`, [
    ...(f.tcb ? ['tcb.status'] : []),
    ...(has(x.row, 'memory') && f.debug ? f.debug.basis : []),
  ]);
}
