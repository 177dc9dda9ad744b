import type { VerificationResult } from './result.js';

/** What recheck compares between the recorded result and the one it recomputes (DESIGN.md). */
export interface RecheckSummary {
  verdict: string;
  cryptoValid: boolean;
  tier: string;
  tcbStatus: string | null;
  errors: string[];
  checks: { id: string; status: string }[];
  claims: Record<string, unknown>;
}

export function summarise(r: VerificationResult): RecheckSummary {
  return {
    verdict: r.verdict,
    cryptoValid: r.cryptoValid,
    tier: r.appraisal.tier,
    tcbStatus: r.tcb?.status ?? null,
    errors: r.errors.map((e) => e.code),
    checks: r.checks.map((c) => ({ id: c.id, status: c.status })),
    claims: r.claims,
  };
}

/** One sentence per difference, naming the field; empty when the two agree. */
export function differences(recorded: RecheckSummary, recomputed: RecheckSummary): string[] {
  const out: string[] = [];
  for (const k of ['verdict', 'cryptoValid', 'tier', 'tcbStatus'] as const) {
    if (recorded[k] !== recomputed[k]) out.push(`${k}: recorded ${String(recorded[k])}, recomputed ${String(recomputed[k])}`);
  }
  if (canonical(recorded.errors) !== canonical(recomputed.errors))
    out.push(`error codes: recorded [${recorded.errors.join(', ')}], recomputed [${recomputed.errors.join(', ')}]`);
  out.push(...checkDifferences(recorded.checks, recomputed.checks));
  const names = new Set([...Object.keys(recorded.claims), ...Object.keys(recomputed.claims)]);
  const claims = [...names].filter((n) => canonical(recorded.claims[n]) !== canonical(recomputed.claims[n]));
  if (claims.length > 0) out.push(`claims differ: ${claims.slice(0, 8).join(', ')}${claims.length > 8 ? ` and ${claims.length - 8} more` : ''}`);
  return out;
}

function checkDifferences(a: RecheckSummary['checks'], b: RecheckSummary['checks']): string[] {
  if (canonical(a) === canonical(b)) return [];
  const out: string[] = [];
  const max = Math.max(a.length, b.length);
  for (let i = 0; i < max && out.length < 8; i++) {
    const x = a[i];
    const y = b[i];
    if (x?.id === y?.id && x?.status === y?.status) continue;
    out.push(`check ${i + 1}: recorded ${x ? `${x.id} ${x.status}` : 'none'}, recomputed ${y ? `${y.id} ${y.status}` : 'none'}`);
  }
  return out;
}

/**
 * JSON with sorted keys, so that member order never counts as a difference. Only called on values whose
 * depth parseReport bounded, or that the verifier made.
 */
export function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
