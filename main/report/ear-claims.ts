import { JsonFields } from '../../app/json/fields.js';
import { readEarClaims, segment } from '../../app/report/ear-read.js';
import type { EarClaimsView } from '../../app/report/ear-read.js';
import { CODE } from '../../app/report/parse-result.js';
import type { SignedToken } from './token-signature.js';

/**
 * An EAR token that carries no tee-inspect report (as trustee's attestation service and Veraison issue them):
 * only its claims can be shown, since the evidence they appraised is not in the token. Read as strictly as
 * app/report/ear-read.ts reads ours, with both the veraison and the draft claim names; other members (such as
 * Veraison's annotated evidence) are left unread. Failures are MALFORMED_REPORT naming the claim.
 */
export interface ForeignToken extends SignedToken {
  payload: unknown;
  claims: EarClaimsView;
}

export function readForeignToken(text: string): ForeignToken {
  const [h, p] = text.split('.') as [string, string, string];
  const header = JsonFields.of(segment(h, 'header'), 'header', CODE);
  const alg = header.str('alg');
  if (alg !== 'ES256' && alg !== 'ES384') header.fail('alg', `must be ES256 or ES384, not "${alg.slice(0, 20)}"`);
  const payload = segment(p, 'payload');
  return { text, header: header.obj, alg: alg as SignedToken['alg'], payload, claims: readEarClaims(payload) };
}

export type { EarClaimsView } from '../../app/report/ear-read.js';
export { readEarClaims } from '../../app/report/ear-read.js';
