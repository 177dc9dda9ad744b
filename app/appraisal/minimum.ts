import type { JsonFields } from '../json/fields.js';
import { fromHex, toHex } from '../bytes/hex.js';
import type { ClaimDiff } from '../report/result.js';
import { minimumKinds } from './catalogue.js';
import type { MinimumKind, Technology } from './catalogue.js';

/**
 * One minimum security version. `min` holds one entry per component; the evidence passes when
 * every component is at least its minimum, the way Intel compares TCB levels (never as one big number).
 */
export interface MinimumRule {
  /** Claim path: 'isvSvn', 'teeTcbSvn', 'reportedTcb.bootloader'. */
  claim: string;
  form: 'int' | 'svn16';
  min: number[];
  /** A component of the platform's TCB object (SEV-SNP reportedTcb): meeting these minimums is what makes the TCB current. */
  tcb?: true;
}

export interface MinimumResult {
  diff: ClaimDiff;
  /** Plain words for a failure: which component is below what. */
  problem?: string;
}

/** Parses `minimum` of one set (absent = no minimum); `set` is the set's JSON object. */
export function parseMinimum(set: JsonFields, tech: Technology): MinimumRule[] {
  if (!set.has('minimum')) return [];
  const m: JsonFields = set.object('minimum');
  const kinds = minimumKinds(tech);
  const rules: MinimumRule[] = [];
  for (const key of Object.keys(m.obj)) {
    const kind: MinimumKind | undefined = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
    if (!kind) m.fail(key, `is not a ${tech} minimum; use ${Object.keys(kinds).join(' or ')}`);
    if (kind.kind === 'int') rules.push({ claim: key, form: 'int', min: [boundedInt(m, key, m.obj[key], kind.max)] });
    else if (kind.kind === 'svn16') rules.push({ claim: key, form: 'svn16', min: svn16(m, key) });
    else {
      const parts: JsonFields = m.object(key);
      for (const part of Object.keys(parts.obj)) {
        if (!kind.parts.includes(part)) parts.fail(part, `is not a ${key} component; use ${kind.parts.join(', ')}`);
        rules.push({ claim: `${key}.${part}`, form: 'int', min: [boundedInt(parts, part, parts.obj[part], 255)], tcb: true });
      }
      if (Object.keys(parts.obj).length === 0) m.fail(key, `must name at least one of ${kind.parts.join(', ')}`);
    }
  }
  return rules;
}

function boundedInt(f: JsonFields, key: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) f.fail(key, `must be an integer from 0 to ${max}`);
  return v;
}

/** TEE_TCB_SVN as 32 hex digits (every byte a minimum) or as 1 to 16 per-component integers (the rest unconstrained). */
function svn16(m: JsonFields, key: string): number[] {
  const v = m.obj[key];
  if (typeof v === 'string') {
    const bytes = /^[0-9a-fA-F]{32}$/.test(v) ? fromHex(v) : undefined;
    if (!bytes) m.fail(key, 'must be 16 bytes of hex (32 digits, each byte a minimum) or an array of up to 16 integers');
    return [...bytes];
  }
  if (!Array.isArray(v) || v.length === 0 || v.length > 16) m.fail(key, 'must be 16 bytes of hex or an array of 1 to 16 integers (one minimum per component)');
  const min = v.map((x, i) => boundedInt(m, `${key}[${i}]`, x, 255));
  return [...min, ...new Array<number>(16 - min.length).fill(0)];
}

const TDX_COMPONENTS = ['TDX module SVN', 'TDX module major version'];

/** Compares the evidence with one rule; an absent or unreadable claim fails. */
export function evaluateMinimum(rule: MinimumRule, claims: Record<string, unknown>): MinimumResult {
  const actual = actualComponents(rule, claims);
  const expected = rule.form === 'svn16' ? `>= ${toHex(Uint8Array.from(rule.min))} (each byte)` : `>= ${rule.min[0]}`;
  if (!actual) {
    return {
      diff: { claim: rule.claim, expected: [expected], actual: '', match: false },
      problem: `${rule.claim} is not present in this evidence, so its minimum cannot be checked`,
    };
  }
  const shown = rule.form === 'svn16' ? toHex(Uint8Array.from(actual)) : String(actual[0]);
  const low = rule.min.findIndex((m, i) => (actual[i] ?? 0) < m);
  const diff: ClaimDiff = { claim: rule.claim, expected: [expected], actual: shown, match: low < 0 };
  if (low < 0) return { diff };
  const what = rule.form === 'svn16' ? `${rule.claim} component ${low}${TDX_COMPONENTS[low] ? ` (${TDX_COMPONENTS[low]})` : ''}` : rule.claim;
  return { diff, problem: `${what} is ${actual[low]}, below the minimum ${rule.min[low]}` };
}

function actualComponents(rule: MinimumRule, claims: Record<string, unknown>): number[] | undefined {
  const [head, part] = rule.claim.split('.') as [string, string | undefined];
  let v: unknown = claims[head];
  if (part !== undefined) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  if (rule.form === 'int') return typeof v === 'number' && Number.isSafeInteger(v) ? [v] : undefined;
  const bytes = typeof v === 'string' ? fromHex(v) : undefined;
  return bytes && bytes.length === 16 ? [...bytes] : undefined;
}
