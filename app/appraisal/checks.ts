import { fail, pass, skip, warn } from '../check.js';
import type { Check, CheckCatalogue, CheckSpec } from '../check.js';
import { technologyName } from '../tee/registry.js';
import type { SetOutcome } from './evaluate.js';
import type { ReferenceValues } from './reference.js';

const check = (id: string, title: string, fix: string): CheckSpec => ({ id, title, crypto: false, mandatory: true, fix });

/**
 * The four reference checks for the reported set; ids are stable, every failure is REFERENCE_MISMATCH.
 * Mandatory: reference values the evidence does not meet reject it.
 */
export const REFERENCE_CHECKS = {
  claims: check(
    'reference.claims',
    'Measurements match the reference values',
    'If this is an approved new build, review it and add its values to the reference set; otherwise do not trust this workload or give it secrets.',
  ),
  minimum: check(
    'reference.minimum-svn',
    'Security versions meet the reference minimum',
    'Deploy a build (or platform firmware) whose security version meets the minimum; change the minimum only after a review says the older version is safe.',
  ),
  tcb: check(
    'reference.tcb-status',
    'TCB status is one the reference values accept',
    'Apply the platform updates the TCB status calls for, then attest again.',
  ),
  debug: check('reference.debug', 'Debug mode is as the reference values allow', 'Launch the workload in production mode; debug is for development only.'),
} as const satisfies CheckCatalogue;

export const REFERENCE_CHECK_SPECS: readonly CheckSpec[] = Object.values(REFERENCE_CHECKS);
const R = REFERENCE_CHECKS;

export function referenceChecks(o: SetOutcome, ref: ReferenceValues, input: { tcb: { status: string; advisories: string[] } | null }): Check[] {
  const where = `reference set "${o.set.name}" of "${ref.name}"`;
  return [claimsCheck(o, where), minimumCheck(o, where), tcbCheck(o, where, input.tcb), debugCheck(o, where)];
}

function claimsCheck(o: SetOutcome, where: string): Check {
  const names = o.claimDiffs.map((d) => d.claim);
  if (o.claimProblems.length === 0) return pass(R.claims, `All ${names.length} claims named by ${where} match: ${names.join(', ')}.`);
  const bad = o.claimDiffs.filter((d) => !d.match).map((d) => d.claim);
  return fail(
    R.claims,
    `${bad.length} of ${names.length} claims differ from ${where}: ${o.claimProblems.join('; ')}. This evidence does not come from the software and configuration the reference values approve.`,
    'REFERENCE_MISMATCH',
    `If this is an approved new build, review it and add its ${bad.join(', ')} value${bad.length > 1 ? 's' : ''} to set "${o.set.name}"; otherwise do not trust this workload or give it secrets.`,
  );
}

function minimumCheck(o: SetOutcome, where: string): Check {
  if (o.minimumDiffs.length === 0) return skip(R.minimum, `${where} sets no minimum security version.`);
  const met = o.minimumDiffs.map((d) => `${d.claim} ${d.actual} (minimum ${d.expected[0]?.replace('>= ', '')})`).join('; ');
  if (o.minimumProblems.length === 0) return pass(R.minimum, `Every minimum of ${where} is met: ${met}.`);
  return fail(
    R.minimum,
    `Below the minimum of ${where}: ${o.minimumProblems.join('; ')}. This build (or platform) predates a security fix the reference values demand.`,
    'REFERENCE_MISMATCH',
    'Deploy a build (or platform firmware) whose security version meets the minimum; change the minimum only after a review says the older version is safe.',
  );
}

function tcbCheck(o: SetOutcome, where: string, moduleTcb: { status: string; advisories: string[] } | null): Check {
  // The status the set's minimum TCB established, where the module left it NotEvaluated.
  const tcb = moduleTcb && o.tcbStatus ? { ...moduleTcb, status: o.tcbStatus } : moduleTcb;
  const allowed = o.set.allowedTcbStatuses;
  if (!allowed) return skip(R.tcb, `${where} does not narrow the TCB status, so the default policy applies (any status but Revoked).`);
  const list = allowed.join(', ');
  if (!tcb)
    return fail(
      R.tcb,
      `The platform's TCB status could not be established, and ${where} accepts only ${list}.`,
      'REFERENCE_MISMATCH',
      'Supply current TCB info and QE identity collateral so the TCB status can be judged.',
    );
  if (o.tcbOk) return pass(R.tcb, `The platform TCB status ${tcb.status} is one ${where} accepts (${list}).`);
  const adv = tcb.advisories.length ? ` (advisories ${tcb.advisories.join(', ')})` : '';
  return fail(
    R.tcb,
    `The platform TCB status is ${tcb.status}${adv}, but ${where} accepts only ${list}.`,
    'REFERENCE_MISMATCH',
    tcb.status === 'UpToDate'
      ? 'The set leaves out UpToDate, so it refuses fully patched platforms: add UpToDate to allowedTcbStatuses.'
      : `Apply the platform updates and configuration the status and advisories call for, then attest again; widen allowedTcbStatuses only if your risk assessment accepts ${tcb.status}.`,
  );
}

function debugCheck(o: SetOutcome, where: string): Check {
  if (!o.debugApplies) return skip(R.debug, 'this kind of evidence has no debug mode (a TPM quote attests a platform, not a debuggable TEE).');
  if (o.debug === false)
    return pass(R.debug, `The workload runs in production mode${o.set.allowDebug ? ` (${where} would also accept debug)` : `, as ${where} requires`}.`);
  if (o.debug === undefined)
    return fail(
      R.debug,
      `This evidence carries no debug flag, so it cannot show it runs in production mode, as ${where} requires.`,
      'REFERENCE_MISMATCH',
      'Supply evidence whose format states its debug mode.',
    );
  if (!o.set.allowDebug) {
    return fail(
      R.debug,
      `The workload runs in debug mode and ${where} does not allow debug ("allowDebug" is false or absent).`,
      'REFERENCE_MISMATCH',
      'Launch the workload in production mode; debug is for development only.',
    );
  }
  if (o.mismatches > 0)
    return skip(R.debug, `${where} allows debug, but the evidence does not otherwise match it, so the default policy's refusal of debug stands.`);
  return warn(
    R.debug,
    `The workload runs in debug mode, which ${where} allows ("allowDebug": true): the host can read and change its memory, so this is acceptable for development only.`,
    'Never give this workload production secrets; keep "allowDebug" out of production reference sets.',
    'DEBUG_ENABLED',
  );
}

/** The evidence's technology has no set in the file: nothing approves it. */
export function noSetChecks(ref: ReferenceValues, technology: string): Check[] {
  const techs = [...new Set(ref.sets.map((s) => s.technology))].join(', ');
  const tech = technologyName(technology);
  return [
    fail(
      R.claims,
      `The reference file "${ref.name}" has no set for ${tech} evidence (its sets are for ${techs}), so nothing in it approves this workload.`,
      'REFERENCE_MISMATCH',
      `Use the reference file for this workload, or add a set with "technology": "${technology}".`,
    ),
    skip(R.minimum, `no reference set for ${tech}.`),
    skip(R.tcb, `no reference set for ${tech}.`),
    skip(R.debug, `no reference set for ${tech}.`),
  ];
}
