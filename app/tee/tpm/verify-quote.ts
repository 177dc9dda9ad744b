import type { Check } from '../../check.js';
import { fail, pass, skip } from '../../check.js';
import type { CryptoProvider, HashName } from '../../crypto/provider.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { isTeeError } from '../../errors.js';
import { parseTpmsAttest } from './attest.js';
import type { TpmQuoteAttest } from './attest.js';
import { parseTpmtSignature, rawRsaSignature } from './signature.js';
import type { TpmSignature } from './signature.js';
import { checkQuoteSignature } from './check-signature.js';
import { checkPcrDigest, describeSelection } from './pcr-digest.js';
import type { PcrValues } from './pcr-digest.js';
import { checkAkTrust, parseAkSpki } from './ak.js';
import { TPM_CHECKS } from './checks.js';
import type { PublicKeyInfo } from '../../pki/algorithms.js';

/** TPMT_SIGNATURE bytes, or a bare RSA signature whose scheme is the AK's (RSASSA-SHA256 unless told). */
export type TpmSignatureInput = { encoding: 'tpmt'; bytes: Uint8Array } | { encoding: 'raw'; bytes: Uint8Array; scheme?: 'rsassa' | 'rsapss'; hash?: HashName };

export interface TpmQuoteInput {
  /** TPMS_ATTEST as the TPM signed it. */
  message: Uint8Array;
  signature: TpmSignatureInput;
  /** DER SubjectPublicKeyInfo of the AK. */
  akSpki: Uint8Array;
  pcrs?: PcrValues;
  nonce?: Uint8Array;
  /** SHA-256 of an AK SubjectPublicKeyInfo the user pinned; without it AK trust is not established. */
  pinnedAkSha256?: Uint8Array;
}

export interface TpmQuoteVerification {
  /** Every check of TPM_CHECKS, in catalogue order. */
  checks: Check[];
  attest?: TpmQuoteAttest;
  signature?: TpmSignature;
  /** PCR values covered by a signed digest that matched, and by a signature that verified; else empty. */
  attestedPcrs: PcrValues;
}

/** Verifies a TPM 2.0 quote. Resolves, never throws: malformed input is a failed tpm.quote.format and the rest skip. */
export async function verifyTpmQuote(crypto: CryptoProvider, input: TpmQuoteInput): Promise<TpmQuoteVerification> {
  const parsed = parseAll(input);
  if ('error' in parsed)
    return { checks: [fail(TPM_CHECKS.quoteFormat, parsed.error, 'MALFORMED_EVIDENCE'), ...skipRest('the quote could not be read')], attestedPcrs: {} };
  const { attest, signature } = parsed;
  const format = pass(
    TPM_CHECKS.quoteFormat,
    `TPMS_ATTEST of a quote (TPM_ST_ATTEST_QUOTE) selecting ${describeSelection(attest.pcrSelections)}; ${signature.scheme.toUpperCase()} signature.`,
  );
  const sig = await checkQuoteSignature(crypto, input.message, signature, parsed.ak);
  const pcr = await checkPcrDigest(crypto, attest.pcrSelections, attest.pcrDigest, signature.hash, input.pcrs);
  const checks = [format, sig, pcr.check, checkNonce(attest.extraData, input.nonce), await checkAkTrust(crypto, input.akSpki, input.pinnedAkSha256)];
  return { checks, attest, signature, attestedPcrs: sig.status === 'pass' ? pcr.attested : {} };
}

type Parsed = { attest: TpmQuoteAttest; signature: TpmSignature; ak: PublicKeyInfo } | { error: string };

function parseAll(input: TpmQuoteInput): Parsed {
  try {
    const attest = parseTpmsAttest(input.message);
    const s = input.signature;
    const signature = s.encoding === 'tpmt' ? parseTpmtSignature(s.bytes) : rawRsaSignature(s.bytes, s.scheme, s.hash);
    return { attest, signature, ak: parseAkSpki(input.akSpki) };
  } catch (e) {
    if (isTeeError(e)) return { error: `The quote, its signature or the AK key is malformed: ${e.message}.` };
    throw e;
  }
}

function skipRest(reason: string): Check[] {
  return [TPM_CHECKS.quoteSignature, TPM_CHECKS.pcrDigest, TPM_CHECKS.nonce, TPM_CHECKS.akTrust].map((spec) => skip(spec, reason));
}

/** extraData is the qualifying data the caller passed to TPM2_Quote: byte for byte the nonce. */
function checkNonce(extraData: Uint8Array, nonce?: Uint8Array): Check {
  const spec = TPM_CHECKS.nonce;
  if (!nonce) return { ...skip(spec, 'no nonce was given, so the quote may be a replay.'), gap: 'freshness' };
  if (equalBytes(extraData, nonce)) return pass(spec, `extraData is the nonce ${toHex(nonce)}: the quote was made after it was chosen.`);
  return fail(spec, `extraData is ${toHex(extraData)}, not the nonce ${toHex(nonce)}: the quote may be a replay.`, 'NONCE_MISMATCH');
}
