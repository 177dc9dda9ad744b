import type { Check, CheckSpec } from '../../check.js';
import { fail, pass, skip, specsOf } from '../../check.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { isTeeError } from '../../errors.js';
import type { EvidencePart, VerifyEnv } from '../module.js';
import { TPM_CHECKS, TPM_CHECK_SPECS } from '../tpm/checks.js';
import { parseTpmQuoteJson } from '../tpm/quote-json.js';
import { AK_PUBLIC_ROLE, TPM_QUOTE_ROLE } from '../tpm/evidence-json.js';
import { verifyTpmQuoteJson } from '../tpm/verify-json.js';
import { AZURE_CHECKS } from './checks.js';
import type { EventLogReplay } from '../eventlog/check-replay.js';

export interface VtpmOutcome {
  /** tpm.* (and eventlog.* when a log was given). */
  checks: Check[];
  akBinding: Check;
  catalogue: readonly CheckSpec[];
  fields: Record<string, unknown>;
  /** Event logs replayed against the attested PCRs. */
  replays?: readonly EventLogReplay[];
  claims: Record<string, unknown>;
  signatureVerified: boolean;
}

const NO_QUOTE_FIX =
  'Supply the vTPM quote over your nonce: --tpm-quote FILE ({signature, message, pcrs} from tpm2_quote with the AK at handle 0x81000003), or trustee az-*-vtpm evidence JSON, which carries it.';

/**
 * The vTPM quote, verified with the AK the runtime data names (HCLAkPub) and the verifier's nonce. The quote
 * is required: the HCL report is written once at boot, so without a quote over a fresh nonce nothing shows
 * that the VM runs now, nor what its PCRs (the guest's boot) hold.
 */
export async function verifyVtpm(parts: readonly EvidencePart[], hclAk: Uint8Array, env: VerifyEnv): Promise<VtpmOutcome> {
  const part = parts.find((p) => p.role === TPM_QUOTE_ROLE);
  if (!part)
    return unverified(
      'No vTPM quote was supplied. The HCL report is written once at boot and proves neither that the VM runs now nor what it booted, so Azure evidence requires its vTPM quote.',
      'no vTPM quote',
      NO_QUOTE_FIX,
    );
  env.used.add(part);
  let quote;
  try {
    quote = parseTpmQuoteJson(part.bytes, part.name);
  } catch (e) {
    if (!isTeeError(e)) throw e;
    return unverified(
      `The vTPM quote "${part.name}" cannot be read: ${e.message}.`,
      'the vTPM quote could not be read',
      'Supply the vTPM quote as {signature, message, pcrs} JSON (hex, base64 or byte arrays).',
    );
  }
  const out = await verifyTpmQuoteJson(quote, hclAk, parts, env);
  const signatureVerified = out.verification.checks.some((c) => c.id === TPM_CHECKS.quoteSignature.id && c.status === 'pass');
  return { ...out, akBinding: await akBinding(parts, hclAk, signatureVerified, env), signatureVerified };
}

function unverified(explain: string, reason: string, fix: string): VtpmOutcome {
  const rest = specsOf(TPM_CHECKS)
    .slice(1)
    .map((s) => skip(s, `${reason}.`));
  return {
    checks: [fail(TPM_CHECKS.quoteFormat, explain, 'MALFORMED_EVIDENCE', fix), ...rest],
    akBinding: skip(AZURE_CHECKS.akBinding, `${reason}.`),
    catalogue: TPM_CHECK_SPECS,
    fields: {},
    claims: {},
    signatureVerified: false,
  };
}

/** The quoting AK is HCLAkPub: the signature was checked with it; a separately supplied AK must be that very key. */
async function akBinding(parts: readonly EvidencePart[], hclAk: Uint8Array, verified: boolean, env: VerifyEnv): Promise<Check> {
  const spec = AZURE_CHECKS.akBinding;
  const digest = toHex(await env.crypto.digest('SHA-256', hclAk));
  const other = parts.find((p) => p.role === AK_PUBLIC_ROLE);
  if (other) env.used.add(other);
  if (other && !equalBytes(other.bytes, hclAk)) {
    const theirs = toHex(await env.crypto.digest('SHA-256', other.bytes));
    return fail(
      spec,
      `The supplied AK (SPKI SHA-256 ${theirs}) is not the HCLAkPub of the runtime data (${digest}): a quote by it is not bound to this VM's hardware report.`,
      'BINDING_MISMATCH',
    );
  }
  if (!verified) return skip(spec, 'the quote does not verify with HCLAkPub (tpm.quote.signature), so no AK is bound.');
  return pass(spec, `The quote was verified with HCLAkPub from the runtime data (SPKI SHA-256 ${digest}), the AK the paravisor provisioned in this VM's vTPM.`);
}
