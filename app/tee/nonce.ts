import { fail, pass, skip } from '../check.js';
import type { Check, CheckSpec } from '../check.js';
import { equalBytes, toHex } from '../bytes/hex.js';

/**
 * Freshness, the same for every technology: the verifier's nonce (1 to 64 bytes) must lead REPORT_DATA.
 * An empty nonce would match anything, so it fails rather than passing vacuously.
 */
export function nonceCheck(spec: CheckSpec, reportData: Uint8Array, nonce: Uint8Array | undefined, what: 'quote' | 'report'): Check {
  if (!nonce) return skip(spec, `no nonce was given, so this ${what}'s freshness is not established (it could be a replay of an older ${what}).`);
  const ok = nonce.length > 0 && nonce.length <= 64 && equalBytes(reportData.subarray(0, nonce.length), nonce);
  return ok
    ? pass(spec, `The first ${nonce.length} bytes of REPORT_DATA equal the nonce, so the ${what} was produced after the nonce was issued.`)
    : fail(
        spec,
        `REPORT_DATA begins ${toHex(reportData.subarray(0, Math.min(Math.max(nonce.length, 1), 64)))}, not the expected nonce ${toHex(nonce)}: the ${what} may be a replay or answer another request.`,
        'NONCE_MISMATCH',
        `Request a fresh ${what} with this nonce in REPORT_DATA.`,
      );
}
