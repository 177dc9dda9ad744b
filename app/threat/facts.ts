import type { Check } from '../check.js';
import type { ClaimDiff, VerificationResult } from '../report/result.js';
import { asTechnology } from './seeds.js';
import type { Technology } from './types.js';

export type CheckState = Check['status'] | 'missing';

/**
 * What the two views need from a result, read once. Check lookups by suffix ('policy.debug', '.nonce')
 * keep the rules technology-neutral: DCAP names them dcap.*, SEV-SNP will use its own prefix.
 */
export interface Facts {
  technology: Technology | null;
  cryptoValid: boolean;
  failing: readonly Check[];
  /** A check by id, or by '*.suffix' pattern; the id found (or the pattern) and its state. */
  find(pattern: string): { id: string; status: CheckState; code?: string };
  claim(name: string): unknown;
  diff(claim: string): ClaimDiff | undefined;
  /** Debug mode on, and what said so; null when the evidence says debug is off or does not say. */
  debug: { on: boolean; basis: string[] } | null;
  nonce: { state: CheckState; id: string };
  tcb: { status: string; advisories: readonly string[]; date?: string; evaluation?: number; parts: Readonly<Record<string, string>> } | null;
  /** Set when the TCB or the PCK certificate is revoked: what said so. */
  revoked: { basis: string[] } | null;
  /** Failing checks that leave the platform's appraisal (chain, collateral, TCB) in doubt; policy and reference failures do not. */
  doubt: readonly Check[];
}

export function factsOf(r: VerificationResult): Facts {
  const byId = new Map<string, Check>();
  for (const c of r.checks) if (!byId.has(c.id)) byId.set(c.id, c);
  const bySuffix = (suffix: string) => r.checks.find((c) => c.id === suffix || c.id.endsWith(`.${suffix}`));
  const diffs = new Map(r.appraisal.diffs.map((d) => [d.claim, d]));
  const nonceCheck = bySuffix('nonce');
  return {
    technology: asTechnology(r.technology),
    cryptoValid: r.cryptoValid,
    failing: r.checks.filter((c) => c.status === 'fail'),
    find: (pattern) => {
      const c = pattern.startsWith('*.') ? bySuffix(pattern.slice(2)) : byId.get(pattern);
      return c ? { id: c.id, status: c.status, ...(c.code ? { code: c.code } : {}) } : { id: pattern, status: 'missing' };
    },
    claim: (name) => r.claims[name],
    diff: (claim) => diffs.get(claim),
    debug: debugOf(r, bySuffix('policy.debug')),
    nonce: { state: nonceCheck?.status ?? 'missing', id: nonceCheck?.id ?? 'nonce' },
    tcb: tcbOf(r),
    revoked: revokedOf(r),
    doubt: r.checks.filter((c) => c.status === 'fail' && !POLICY_CHECK.test(c.id)),
  };
}

/** Checks about the workload or the request, not the platform: their failure leaves the hardware appraisal intact. */
const POLICY_CHECK = /(^|\.)(policy\.debug|nonce)$|^reference\./;

function revokedOf(r: VerificationResult): Facts['revoked'] {
  const basis = r.tcb?.status === 'Revoked' ? ['tcb.status'] : [];
  for (const c of r.checks) if (c.status === 'fail' && (c.code === 'TCB_REVOKED' || c.code === 'CERT_REVOKED')) basis.push(c.id);
  return basis.length > 0 ? { basis } : null;
}

function debugOf(r: VerificationResult, check: Check | undefined): Facts['debug'] {
  const basis: string[] = [];
  if (r.claims.debug === true) basis.push('claims.debug');
  if (check?.status === 'fail') basis.push(check.id);
  if (basis.length > 0) return { on: true, basis };
  if (r.claims.debug === false) return { on: false, basis: ['claims.debug', ...(check ? [check.id] : [])] };
  return null;
}

function tcbOf(r: VerificationResult): Facts['tcb'] {
  if (!r.tcb) return null;
  // Per-part statuses (DCAP: platform, qe, tdxModule) sit beside the combined one.
  const parts: Record<string, string> = {};
  for (const name of ['platform', 'qe', 'tdxModule']) {
    const part = r.tcb[name];
    if (part && typeof part === 'object' && typeof (part as { status?: unknown }).status === 'string') parts[name] = (part as { status: string }).status;
  }
  const t: NonNullable<Facts['tcb']> = { status: r.tcb.status, advisories: [...r.tcb.advisories], parts };
  if (typeof r.tcb.date === 'string') t.date = r.tcb.date;
  const n = r.tcb.tcbEvaluationDataNumber;
  if (typeof n === 'number') t.evaluation = n;
  return t;
}

/** Failing check ids, for "because" sentences. */
export function failingIds(f: Facts): string {
  return f.failing.length > 0 ? f.failing.map((c) => c.id).join(', ') : 'none reported';
}

/** A claim as display text: hex strings as they are, numbers and booleans as text, objects as JSON. */
export function claimText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** All-zero hex: a register nobody extended or a field nobody set, so it proves nothing about a layer. */
export function isZeroHex(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && /^0+$/.test(v);
}
