import type { ErrorCode } from './errors.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** What a verdict may leave unshown (DESIGN.md, result `notEstablished`). */
export const NOT_ESTABLISHED = ['freshness', 'measurements', 'revocation', 'tcb-currency', 'ak-trust'] as const;
export type NotEstablished = (typeof NOT_ESTABLISHED)[number];

/**
 * One verification step as the user sees it. `id` is stable across releases (tests and reports key on it);
 * `explain` says in plain words what was checked and what the result means; `fix` is set for fail and warn.
 */
export interface Check {
  id: string;
  status: CheckStatus;
  title: string;
  explain: string;
  code?: ErrorCode;
  fix?: string;
  /** Mandatory checks decide the verdict; advisory ones only inform the appraisal tier. */
  mandatory?: boolean;
  /** Set on a warn (or skip) that leaves this unshown, e.g. a CRL that was not available: 'revocation'. */
  gap?: NotEstablished;
}

/**
 * One entry of a check catalogue: everything about a check that does not depend on the evidence. Each
 * module (and the generic input and reference checks) owns one catalogue; helpers take the entry, so an
 * id or title is written once. `crypto`: the check establishes `cryptoValid` (a signature or chain in the
 * evidence). `mandatory`: a failure rejects; an advisory check that fails only warns. `fix`: used when a
 * failing or warning check gives no more specific advice.
 */
export interface CheckSpec {
  readonly id: string;
  readonly title: string;
  readonly crypto: boolean;
  readonly mandatory: boolean;
  readonly fix: string;
}

/** A catalogue keyed by a name for code (`CHECKS.quoteSignature`); its values are the specs. */
export type CheckCatalogue<K extends string = string> = Readonly<Record<K, CheckSpec>>;

export function specsOf(catalogue: CheckCatalogue): readonly CheckSpec[] {
  return Object.values(catalogue);
}

export function pass(spec: CheckSpec, explain: string): Check {
  return { id: spec.id, status: 'pass', title: spec.title, explain };
}

export function fail(spec: CheckSpec, explain: string, code: ErrorCode, fix: string = spec.fix): Check {
  return { id: spec.id, status: 'fail', title: spec.title, explain, code, fix };
}

export function warn(spec: CheckSpec, explain: string, fix: string = spec.fix, code?: ErrorCode): Check {
  const c: Check = { id: spec.id, status: 'warn', title: spec.title, explain, fix };
  return code ? { ...c, code } : c;
}

export function skip(spec: CheckSpec, reason: string): Check {
  return { id: spec.id, status: 'skip', title: spec.title, explain: `Not run: ${reason}` };
}

export function firstFailure(checks: readonly Check[]): Check | undefined {
  return checks.find((c) => c.status === 'fail');
}
