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

export function pass(id: string, title: string, explain: string): Check {
  return { id, status: 'pass', title, explain };
}

export function fail(id: string, title: string, explain: string, code: ErrorCode, fix: string): Check {
  return { id, status: 'fail', title, explain, code, fix };
}

export function warn(id: string, title: string, explain: string, fix: string, code?: ErrorCode): Check {
  return code ? { id, status: 'warn', title, explain, fix, code } : { id, status: 'warn', title, explain, fix };
}

export function skip(id: string, title: string, reason: string): Check {
  return { id, status: 'skip', title, explain: `Not run: ${reason}` };
}

export function firstFailure(checks: readonly Check[]): Check | undefined {
  return checks.find((c) => c.status === 'fail');
}
