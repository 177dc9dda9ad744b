import type { CheckCatalogue, CheckSpec } from '../../check.js';

const check = (id: string, title: string, fix: string, crypto = false, mandatory = true): CheckSpec => ({ id, title, crypto, mandatory, fix });

/**
 * The checks of a TPM 2.0 quote (DESIGN.md, Measured boot). `crypto`: the AK's signature over TPMS_ATTEST.
 * AK trust is advisory: without a pinned AK or a binding to hardware evidence it stays not established.
 */
export const TPM_CHECKS = {
  quoteFormat: check(
    'tpm.quote.format',
    'TPM quote structure is well formed',
    'Supply the TPMS_ATTEST exactly as TPM2_Quote returned it (tpm2_quote --message), with no bytes added or removed.',
  ),
  quoteSignature: check(
    'tpm.quote.signature',
    'TPM quote is signed by the attestation key',
    'Supply the signature TPM2_Quote returned for this message and the public part of the AK that made it.',
    true,
  ),
  pcrDigest: check(
    'tpm.pcr-digest',
    'PCR values match the digest the TPM signed',
    'Supply the PCR values read together with this quote, for exactly the banks and indices it selects.',
  ),
  nonce: check('tpm.nonce', "The quote's extraData carries the verifier's nonce", 'Request a fresh quote with this nonce as its qualifying data.'),
  akTrust: check(
    'tpm.ak.trust',
    'The attestation key belongs to a genuine TPM',
    'Pin the AK (its SubjectPublicKeyInfo SHA-256) after checking it out of band, or supply evidence that binds it to hardware.',
    false,
    false,
  ),
} as const satisfies CheckCatalogue;

export const TPM_CHECK_SPECS: readonly CheckSpec[] = Object.values(TPM_CHECKS);
