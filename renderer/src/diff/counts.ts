import type { ClaimDiff, VerificationResult } from '../../../app/report/result.js';
import { claimKinds } from '../../../app/appraisal/catalogue.js';
import { asTechnology } from '../../../app/tee/registry.js';

/**
 * The appraisal's diffs split as its checks count them: claims (named by the technology's claim schema, what the
 * "Measurements match" check counts and the banner quotes) and security-version minimums, so every view says
 * "2 of 9 claims" from result.appraisal.diffs and never adds the minimums into that count.
 */
export interface DiffCounts {
  claims: ClaimDiff[];
  minimums: ClaimDiff[];
  claimsDiffering: number;
  minimumsBelow: number;
}

export function diffCounts(result: VerificationResult): DiffCounts {
  const tech = asTechnology(result.technology);
  const kinds = tech ? claimKinds(tech) : {};
  const claims = result.appraisal.diffs.filter((d) => Object.hasOwn(kinds, d.claim));
  const minimums = result.appraisal.diffs.filter((d) => !Object.hasOwn(kinds, d.claim));
  return { claims, minimums, claimsDiffering: claims.filter((d) => !d.match).length, minimumsBelow: minimums.filter((d) => !d.match).length };
}

/** "2 of 9 claims differ" / "all claims match: 9 of 9", then the minimums, in one line. */
export function countsText(c: DiffCounts): string {
  const claims = c.claimsDiffering ? `${c.claimsDiffering} of ${c.claims.length} claims differ` : `all claims match: ${c.claims.length} of ${c.claims.length}`;
  if (c.minimums.length === 0) return claims;
  const minimums = c.minimumsBelow ? `${c.minimumsBelow} of ${c.minimums.length} minimums not met` : `${plural(c.minimums.length, 'minimum')} met`;
  return `${claims} · ${minimums}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? `the ${word}` : `all ${n} ${word}s`;
}
