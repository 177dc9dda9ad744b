import type { TeeModule } from '../module.js';
import { toHex } from '../../bytes/hex.js';
import { TPM_CHECK_SPECS } from './checks.js';
import { TPM_CLAIM_SCHEMA } from './claim-schema.js';
import { AK_PUBLIC_ROLE, tpmEvidenceEnvelope } from './evidence-json.js';
import { parseTpmQuoteJson } from './quote-json.js';
import { verifyTpmQuoteJson } from './verify-json.js';
import { TeeError } from '../../errors.js';
import { counterNotes } from './counters.js';
import { TPM_ROOTS } from '../../roots/tpm.js';
import { akCertificateTrust } from './ak-cert.js';
import { TPM_CHECKS } from './checks.js';

/**
 * A TPM 2.0 quote with its AK (trustee's TPM evidence): the signature, PCR digest and nonce are checked;
 * the AK itself is not tied to any hardware root, so `tpm.ak.trust` warns with the gap 'ak-trust'. The
 * evidence only arrives as JSON (envelopes.decode): a bare TPMS_ATTEST carries no key to check it with.
 */
export const tpmModule = {
  id: 'tpm',
  technologies: [{ id: 'tpm', name: 'TPM 2.0 quote', isolation: 'none', schema: TPM_CLAIM_SCHEMA, instance: 'machine' }] as const,
  // The CAs of AK certificates (an AK certificate given as collateral ties the AK to that vendor's TPMs).
  anchors: { set: 'tpm', pinned: () => TPM_ROOTS.map((r) => r.der) },
  checks: TPM_CHECK_SPECS,
  detect: () => false,
  envelopes: { decode: tpmEvidenceEnvelope },
  missingCollateral: () => [],
  collateralNeedKey: () => 'none',
  historyNotes: counterNotes,
  async verify(evidence, collateral, env) {
    const quote = parseTpmQuoteJson(evidence.primary, 'tpm_quote');
    const ak = evidence.parts.find((p) => p.role === AK_PUBLIC_ROLE);
    if (!ak) throw new TeeError('MALFORMED_EVIDENCE', 'the TPM evidence has no AK public key (ak_public) to check the quote with', { field: 'ak_public' });
    env.used.add(ak);
    const out = await verifyTpmQuoteJson(quote, ak.bytes, evidence.parts, env);
    // A supplied AK certificate chaining to a pinned CA is what ties the AK to a genuine TPM.
    const certified = await akCertificateTrust(ak.bytes, collateral.certs, env);
    if (certified) out.checks = out.checks.map((c) => (c.id === TPM_CHECKS.akTrust.id ? certified : c));
    const akSpkiSha256 = toHex(await env.crypto.digest('SHA-256', ak.bytes));
    return {
      technology: 'tpm',
      format: 'tpm-evidence-json',
      checks: out.checks,
      catalogue: out.catalogue,
      claims: { ...out.claims, akSpkiSha256 },
      fields: { ...out.fields, akSpkiSha256 },
      ...(out.replays.length ? { eventLogs: out.replays } : {}),
    };
  },
} as const satisfies TeeModule;
