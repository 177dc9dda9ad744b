import type { Check, CheckSpec } from '../../check.js';
import type { EvidencePart, VerifyEnv } from '../module.js';
import { checkEventLogParts } from '../eventlog/check-replay.js';
import type { EventLogReplay } from '../eventlog/check-replay.js';
import { verifyTpmQuote } from './verify-quote.js';
import type { TpmQuoteVerification } from './verify-quote.js';
import { signatureInput } from './quote-json.js';
import type { TpmQuoteJson } from './quote-json.js';
import { attestedSha256, describeTpmQuote, tpmPcrClaims } from './describe.js';
import { TPM_CHECK_SPECS, TPM_CHECKS } from './checks.js';
import { counterClaims } from './counters.js';

export interface TpmJsonOutcome {
  verification: TpmQuoteVerification;
  /** TPM_CHECKS, then eventlog.* when an event log part was given. */
  checks: Check[];
  catalogue: readonly CheckSpec[];
  fields: Record<string, unknown>;
  /** Only attested PCR values ({pcrs: {pcr0: hex}}). */
  claims: Record<string, unknown>;
  replays: EventLogReplay[];
}

/**
 * A TPM quote read from JSON verified with this AK and the verifier's nonce, then every event-log part
 * replayed against the PCRs the quote attests (never against values it does not sign).
 */
export async function verifyTpmQuoteJson(quote: TpmQuoteJson, akSpki: Uint8Array, parts: readonly EvidencePart[], env: VerifyEnv): Promise<TpmJsonOutcome> {
  const verification = await verifyTpmQuote(env.crypto, {
    message: quote.message,
    signature: signatureInput(quote.signature),
    akSpki,
    ...(quote.pcrs ? { pcrs: quote.pcrs } : {}),
    ...(env.nonce ? { nonce: env.nonce } : {}),
  });
  const values = attestedSha256(verification.attestedPcrs);
  const logs = await checkEventLogParts(parts, { kind: 'pcr', bank: 'SHA-256', values, source: 'the TPM quote' }, env);
  const { attest, signature } = verification;
  return {
    verification,
    checks: [...verification.checks, ...logs.checks],
    catalogue: [...TPM_CHECK_SPECS, ...logs.catalogue],
    fields: {
      ...(attest ? describeTpmQuote(attest, signature, quote.pcrs, verification.attestedPcrs) : {}),
      ...(logs.replays.length ? { eventLogs: logs.replays } : {}),
    },
    claims: {
      ...tpmPcrClaims(verification.attestedPcrs),
      ...(logs.claims ?? {}),
      ...(attest && signed(verification) ? counterClaims(attest) : {}),
    },
    replays: logs.replays,
  };
}

/** The AK's signature over TPMS_ATTEST verified: only then are the clock counters the TPM's. */
function signed(v: TpmQuoteVerification): boolean {
  return v.checks.some((c) => c.id === TPM_CHECKS.quoteSignature.id && c.status === 'pass');
}
