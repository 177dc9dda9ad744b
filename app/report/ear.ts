import { toBase64 } from '../bytes/base64.js';
import { fromHex } from '../bytes/hex.js';
import type { VerificationResult } from './result.js';
import type { ReportV2 } from './report.js';

/**
 * EAT Attestation Results (IETF RATS draft-ietf-rats-ear) as veraison/ear and trustee emit them: one
 * submodule per technology with its AR4SI tier, trustworthiness vector and policy id, and the whole report
 * as a private claim so that the token's reader can recheck the evidence itself (ear-read.ts reads it back).
 */
export const EAR_PROFILE = 'tag:github.com,2023:veraison/ear';
export const REPORT_CLAIM = 'tee-inspect.report';
export const POLICY_ID = 'tee-inspect/default';

/** AR4SI trustworthiness claims (draft-ietf-rats-ar4si §2.3) and the values this verifier uses. */
export const AR4SI_CLAIMS = [
  'instance-identity',
  'configuration',
  'executables',
  'file-system',
  'hardware',
  'runtime-opaque',
  'storage-opaque',
  'sourced-data',
] as const;
export type Ar4siClaim = (typeof AR4SI_CLAIMS)[number];
export const AFFIRMING = 2;
export const WARNING = 32;
export const CONTRAINDICATED = 96;
export const NONE = 0;

export type TrustVector = Partial<Record<Ar4siClaim, number>>;

export interface EarClaims {
  eat_profile: typeof EAR_PROFILE;
  iat: number;
  'ear.verifier-id': { build: string; developer: string };
  eat_nonce?: string;
  submods: Record<string, { 'ear.status': string; 'ear.trustworthiness-vector': TrustVector; 'ear.appraisal-policy-id': string }>;
  [REPORT_CLAIM]: ReportV2;
}

/** `iat` is the caller's clock (seconds since the epoch): the core never reads one. */
export function earClaims(report: ReportV2, iat: number): EarClaims {
  const r = report.result;
  const claims: EarClaims = {
    eat_profile: EAR_PROFILE,
    iat: Math.floor(iat),
    'ear.verifier-id': { build: `${report.tool.name} ${report.tool.version}`, developer: 'TEE Inspector' },
    submods: { [r.technology]: { 'ear.status': r.appraisal.tier, 'ear.trustworthiness-vector': trustVector(r), 'ear.appraisal-policy-id': POLICY_ID } },
    [REPORT_CLAIM]: report,
  };
  // eat_nonce only when the nonce was checked and passed: otherwise the token would claim a freshness it lacks.
  const nonce = report.nonce !== undefined ? fromHex(report.nonce) : undefined;
  if (nonce && r.checks.some((c) => /(^|\.)nonce$/.test(c.id) && c.status === 'pass')) claims.eat_nonce = base64url(nonce);
  return claims;
}

const status = (r: VerificationResult, suffix: string) => r.checks.find((c) => c.id === suffix || c.id.endsWith(`.${suffix}`))?.status;

/**
 * Our checks mapped to AR4SI claims; a claim is set only where a check supports it (file-system,
 * storage-opaque and sourced-data never are). Evidence whose signatures do not verify says nothing about
 * anything but its identity, which is then contraindicated.
 */
export function trustVector(r: VerificationResult): TrustVector {
  if (!r.cryptoValid) return { 'instance-identity': CONTRAINDICATED };
  const v: TrustVector = { 'instance-identity': AFFIRMING };
  const debug = status(r, 'policy.debug');
  if (debug === 'pass') v.configuration = AFFIRMING;
  if (debug === 'fail') v.configuration = CONTRAINDICATED;
  if (debug === 'pass' && /Configuration/.test(r.tcb?.status ?? '')) v.configuration = WARNING;
  // Memory is kept from the host while debug is off; debug on opens it.
  if (debug === 'pass') v['runtime-opaque'] = AFFIRMING;
  if (debug === 'fail') v['runtime-opaque'] = CONTRAINDICATED;
  const hw = hardware(r);
  if (hw !== undefined) v.hardware = hw;
  if (r.appraisal.diffs.length > 0) v.executables = r.appraisal.diffs.every((d) => d.match) ? AFFIRMING : CONTRAINDICATED;
  return v;
}

function hardware(r: VerificationResult): number | undefined {
  const t = r.tcb?.status;
  if (t === undefined || t === 'NotEvaluated') return undefined;
  if (t === 'Revoked' || r.errors.some((e) => e.code === 'TCB_REVOKED' || e.code === 'CERT_REVOKED')) return CONTRAINDICATED;
  return t === 'UpToDate' ? AFFIRMING : WARNING;
}

/** RFC 4648 §5 without padding, as JOSE writes it. */
export function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
