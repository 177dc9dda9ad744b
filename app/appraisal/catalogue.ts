import type { Technology } from '../tee/registry.js';
import { technologyInfo } from '../tee/registry.js';
import type { ClaimKind, MinimumKind } from '../tee/claim-schema.js';

// The technologies are the registry's; re-exported for the reference-values code that reads them here.
export { TECHNOLOGIES } from '../tee/registry.js';
export type { Technology } from '../tee/registry.js';

export type { ClaimKind, MinimumKind } from '../tee/claim-schema.js';

/** Which claims a reference set may name for a technology: its module's claim schema (registry). */
export function claimKinds(tech: Technology): Readonly<Record<string, ClaimKind>> {
  return technologyInfo(tech)?.schema.claims ?? {};
}

/** Which minimum security versions a reference set may name for a technology. */
export function minimumKinds(tech: Technology): Readonly<Record<string, MinimumKind>> {
  return technologyInfo(tech)?.schema.minimums ?? {};
}

/** The evidence's value of a claim in reference form: lower-case hex, a decimal integer, or text as it is; null when absent. */
export function actualValue(claims: Record<string, unknown>, name: string, kind?: ClaimKind): string | null {
  // Dotted names reach into object claims ("policy.smt"); own members only.
  const v = name
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), claims);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return kind?.kind === 'text' ? v : v.toLowerCase();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}
