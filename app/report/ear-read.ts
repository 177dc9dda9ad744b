import { fromBase64 } from '../bytes/base64.js';
import { TeeError } from '../errors.js';
import { JsonFields } from '../json/fields.js';
import { REPORT_CLAIM } from './ear.js';
import { MAX_REPORT_BYTES, parseReport, parseReportBytes } from './parse.js';
import { CODE } from './parse-result.js';
import type { ReportV2 } from './report.js';

/**
 * Reading what `recheck` is given: a report JSON, or an EAR token (JWS compact serialisation) carrying one.
 * The token is only decoded here, never trusted: its signature is checked in main/report with the user's key.
 * Both the veraison claim names (ear.status, ear.trustworthiness-vector, ear.appraisal-policy-id) and the
 * older draft ones (status, trust-vector, appraisal-policy-id) are read.
 */
export interface EarSubmod {
  status: string;
  trustVector: Record<string, number>;
  policyId?: string;
}

export interface EarView {
  profile?: string;
  iat?: number;
  verifierId?: { build?: string; developer?: string };
  nonce?: string;
  submods: Record<string, EarSubmod>;
  report: ReportV2;
}

export interface DecodedToken {
  text: string;
  header: Record<string, unknown>;
  alg: 'ES256' | 'ES384';
  ear: EarView;
}

export type RecheckInput = { kind: 'report'; report: ReportV2 } | { kind: 'token'; token: DecodedToken };

const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const TIERS = ['affirming', 'warning', 'contraindicated', 'none'];

/** A JSON object is a report; three base64url segments are a token; anything else is neither. */
export function parseRecheckInput(bytes: Uint8Array): RecheckInput {
  if (bytes.length > MAX_REPORT_BYTES * 2)
    throw new TeeError(CODE, `the file is ${bytes.length} bytes: too large for a report or an EAR token`, { field: '$' });
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (bytes[first] === 0x7b) return { kind: 'report', report: parseReportBytes(bytes) };
  const text = new TextDecoder().decode(bytes).trim();
  if (!TOKEN.test(text))
    throw new TeeError(CODE, 'the file is neither a tee-inspect report (JSON) nor an EAR token (JWS compact: three base64url parts joined by dots)', {
      field: '$',
    });
  return { kind: 'token', token: decodeToken(text) };
}

export function decodeToken(text: string): DecodedToken {
  const [h, p] = text.split('.') as [string, string, string];
  const header = JsonFields.of(segment(h, 'header'), 'header', CODE);
  const alg = header.str('alg');
  if (alg !== 'ES256' && alg !== 'ES384') header.fail('alg', `must be ES256 or ES384, not "${alg.slice(0, 20)}"`);
  return { text, header: header.obj, alg: alg as DecodedToken['alg'], ear: readEar(segment(p, 'payload')) };
}

export function segment(part: string, what: string): unknown {
  const bytes = fromBase64(part);
  if (!bytes) throw new TeeError(CODE, `the token's ${what} is not base64url`, { field: what });
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TeeError(CODE, `the token's ${what} is not UTF-8 JSON: ${(e as Error).message}`, { field: what });
  }
}

export function readEar(payload: unknown): EarView {
  const f = JsonFields.of(payload, 'payload', CODE);
  if (!f.has(REPORT_CLAIM)) f.fail(REPORT_CLAIM, 'is missing: this EAR token carries no tee-inspect report, so its evidence cannot be rechecked');
  return { ...readEarClaims(payload), report: parseReport(f.obj[REPORT_CLAIM]) };
}

/** The EAR claims alone (any issuer's token: trustee's, Veraison's, ours), with both the veraison and the draft names. */
export type EarClaimsView = Omit<EarView, 'report'>;

export function readEarClaims(payload: unknown): EarClaimsView {
  const f = JsonFields.of(payload, 'payload', CODE);
  const subs = f.object('submods');
  const submods: Record<string, EarSubmod> = {};
  for (const name of Object.keys(subs.obj).slice(0, 64)) submods[name] = submod(subs.object(name));
  const out: EarClaimsView = { submods };
  if (f.has('eat_profile')) out.profile = f.str('eat_profile');
  if (f.has('iat')) out.iat = f.int('iat');
  if (f.has('eat_nonce')) out.nonce = f.str('eat_nonce');
  const id = f.has('ear.verifier-id') ? f.object('ear.verifier-id') : f.has('verifier-id') ? f.object('verifier-id') : undefined;
  if (id) out.verifierId = { ...(id.has('build') ? { build: id.str('build') } : {}), ...(id.has('developer') ? { developer: id.str('developer') } : {}) };
  return out;
}

function submod(s: JsonFields): EarSubmod {
  const statusKey = s.has('ear.status') ? 'ear.status' : 'status';
  const status = s.str(statusKey);
  if (!TIERS.includes(status)) s.fail(statusKey, `must be one of ${TIERS.join(', ')}`);
  const out: EarSubmod = { status, trustVector: {} };
  const vectorKey = s.has('ear.trustworthiness-vector') ? 'ear.trustworthiness-vector' : s.has('trust-vector') ? 'trust-vector' : undefined;
  if (vectorKey) out.trustVector = vector(s.object(vectorKey));
  const policyKey = s.has('ear.appraisal-policy-id') ? 'ear.appraisal-policy-id' : s.has('appraisal-policy-id') ? 'appraisal-policy-id' : undefined;
  if (policyKey) out.policyId = s.str(policyKey);
  return out;
}

/** AR4SI values are signed 8-bit integers (draft-ietf-rats-ar4si §2.3.2). */
function vector(v: JsonFields): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v.obj).slice(0, 32)) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < -128 || x > 127) v.fail(k, 'must be an AR4SI value, an integer from -128 to 127');
    out[k] = x;
  }
  return out;
}
