import type { Check, CheckSpec, NotEstablished } from '../check.js';
import { NOT_ESTABLISHED } from '../check.js';
import type { ErrorCode } from '../errors.js';
import type { AppraisalTier, Verdict, VerificationResult } from './result.js';

/**
 * How bad a failure is, worst first (DESIGN.md): forgery (signatures, chains, bindings, unreadable or
 * unsupported input, our own bugs) before replay, before policy, before TCB and revocation, before
 * availability of collateral.
 */
const SEVERITY: readonly (readonly ErrorCode[])[] = [
  [
    'INTERNAL_ERROR',
    'MALFORMED_EVIDENCE',
    'UNSUPPORTED_EVIDENCE',
    'QUOTE_SIGNATURE_INVALID',
    'REPORT_SIGNATURE_INVALID',
    'TPM_SIGNATURE_INVALID',
    'QE_REPORT_SIGNATURE_INVALID',
    'CERT_CHAIN_INVALID',
    'COLLATERAL_SIGNATURE_INVALID',
    'QE_REPORT_DATA_MISMATCH',
    'BINDING_MISMATCH',
    'PCR_DIGEST_MISMATCH',
    'EVENTLOG_REPLAY_MISMATCH',
    'MALFORMED_COLLATERAL',
    'MALFORMED_REFERENCE',
    'REFERENCE_UNSIGNED',
    'REFERENCE_SIGNATURE_INVALID',
  ],
  ['NONCE_MISMATCH'],
  ['DEBUG_ENABLED', 'REFERENCE_MISMATCH', 'QE_IDENTITY_MISMATCH', 'TCB_MISMATCH'],
  ['TCB_REVOKED', 'CERT_REVOKED', 'TCB_LEVEL_NOT_FOUND'],
  ['COLLATERAL_MISMATCH', 'COLLATERAL_MISSING', 'COLLATERAL_EXPIRED', 'CERT_EXPIRED', 'FETCH_FAILED'],
];

/**
 * Forgery-class failures that say nothing against the signatures: a supplied event log or PCR list that does
 * not match the values the hardware or TPM signed. The verdict is rejected, but cryptoValid stays as the
 * signatures and chains decide it.
 */
const SIGNATURES_UNAFFECTED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['EVENTLOG_REPLAY_MISMATCH', 'PCR_DIGEST_MISMATCH']);

export function severity(code: ErrorCode | undefined): number {
  const rank = SEVERITY.findIndex((codes) => code !== undefined && codes.includes(code));
  return rank < 0 ? SEVERITY.length : rank;
}

/** Failing checks, worst first; equal severity keeps the order the checks ran in. */
export function worstFirst(checks: readonly Check[]): Check[] {
  return checks
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status === 'fail')
    .sort((a, b) => severity(a.c.code) - severity(b.c.code) || a.i - b.i)
    .map(({ c }) => c);
}

/** The ids of the catalogue's cryptographic checks: those that decide `cryptoValid`. */
function cryptoIds(catalogue: readonly CheckSpec[]): Set<string> {
  return new Set(catalogue.filter((s) => s.crypto).map((s) => s.id));
}

/** The ids the catalogue marks advisory only (not mandatory); an id it does not list is mandatory, the safe side. */
function advisoryIds(catalogue: readonly CheckSpec[]): Set<string> {
  const advisory = new Set(catalogue.filter((s) => !s.mandatory).map((s) => s.id));
  for (const s of catalogue) if (s.mandatory) advisory.delete(s.id);
  return advisory;
}

/** Per check id: whether every check of that id passed (an id that did not run is absent). */
function passedIds(checks: readonly Check[]): Map<string, boolean> {
  const passed = new Map<string, boolean>();
  for (const c of checks) passed.set(c.id, (passed.get(c.id) ?? true) && c.status === 'pass');
  return passed;
}

/**
 * A cryptographic check that did not pass (skipped or only warned: an unsupported key type, a provider
 * without the algorithm) cannot leave the evidence verified: it becomes a failure that says so.
 */
export function failUnprovenCrypto(checks: readonly Check[], catalogue: readonly CheckSpec[]): Check[] {
  const failedAlready = checks.some((c) => c.status === 'fail');
  const crypto = cryptoIds(catalogue);
  return checks.map((c) => {
    if (!crypto.has(c.id) || (c.status !== 'skip' && c.status !== 'warn')) return c;
    if (failedAlready && c.status === 'skip') return c; // not run because an earlier check failed: that failure is the reason
    const reason = c.explain.replace(/^Not run: /, '');
    return {
      ...c,
      status: 'fail',
      code: c.code ?? 'UNSUPPORTED_EVIDENCE',
      explain: `This mandatory cryptographic check could not be completed: ${reason}`,
      fix: c.fix ?? 'Supply evidence and certificates with the algorithms the vendor uses; nothing about this evidence is proven until this check passes.',
    };
  });
}

/** Revocation that could not be checked (a missing CRL, gap "revocation") fails where policy requires it. */
export function requireRevocation(checks: readonly Check[], why: string): Check[] {
  return checks.map((c) =>
    c.gap === 'revocation' && c.status !== 'pass' && c.status !== 'fail'
      ? {
          ...c,
          status: 'fail',
          code: 'COLLATERAL_MISSING',
          explain: `${c.explain} Revocation must be checked: ${why}.`,
          fix: c.fix ?? 'Supply the CRL (or verify online so it is fetched).',
        }
      : c,
  );
}

export interface Judged {
  verdict: Verdict;
  cryptoValid: boolean;
  errors: VerificationResult['errors'];
  appraisal: { tier: AppraisalTier; diffs: [] };
}

/**
 * Verdict, cryptoValid, errors and tier from the checks and the catalogue they come from (crypto and
 * mandatory are read there): the one place these rules live. A failing advisory check only lowers the
 * tier, as a warning would.
 */
export function judge(checks: readonly Check[], catalogue: readonly CheckSpec[], tcbStatus?: string): Judged {
  const failedAny = worstFirst(checks);
  const advisory = advisoryIds(catalogue);
  const failed = failedAny.filter((c) => !advisory.has(c.id));
  const passed = passedIds(checks);
  const cryptoValid =
    [...cryptoIds(catalogue)].every((id) => passed.get(id) === true) && !failed.some((c) => severity(c.code) === 0 && !SIGNATURES_UNAFFECTED.has(c.code!));
  const verdict: Verdict = failed.length === 0 && cryptoValid ? 'verified' : 'rejected';
  const errors = failed.map((c) => ({ code: c.code ?? 'INTERNAL_ERROR', message: `Failed: ${c.title} — ${c.explain}`, check: c.id }));
  if (verdict === 'rejected' && errors.length === 0)
    errors.push({
      code: 'INTERNAL_ERROR',
      message: 'a cryptographic check is missing from the result although no check failed: this is a bug in the verifier, please report it',
      check: 'verifier',
    });
  let tier: AppraisalTier = 'contraindicated';
  if (verdict === 'verified') tier = tcbStatus === 'UpToDate' && !checks.some((c) => c.status === 'warn') && failedAny.length === 0 ? 'affirming' : 'warning';
  return { verdict, cryptoValid, errors, appraisal: { tier, diffs: [] } };
}

export interface GapInputs {
  checks: readonly Check[];
  nonceGiven: boolean;
  referenceApplied: boolean;
  /** NotEvaluated: nothing said whether the TCB is current (SEV-SNP without a minimum TCB). */
  tcbStatus?: string | undefined;
}

/** What the verdict does not show, in the catalogue's order. */
export function notEstablished(g: GapInputs): NotEstablished[] {
  const gaps = new Set<NotEstablished>();
  const replayed = g.checks.some((c) => c.status === 'fail' && c.code === 'NONCE_MISMATCH');
  if (!g.nonceGiven || replayed) gaps.add('freshness');
  if (!g.referenceApplied) gaps.add('measurements');
  if (g.tcbStatus === 'NotEvaluated') gaps.add('tcb-currency');
  for (const c of g.checks) if (c.gap && c.status !== 'pass') gaps.add(c.gap);
  return NOT_ESTABLISHED.filter((x) => gaps.has(x));
}
