import type { Evidence } from '../module.js';
import { pemBlocks } from '../../pki/pem.js';
import { isTeeError } from '../../errors.js';
import { badJson, jsonBytes } from './json-bytes.js';
import { encodeTpmQuoteJson, tpmQuoteFromDoc } from './quote-json.js';

/** The roles of the parts a TPM evidence carries beside its quote. */
export const AK_PUBLIC_ROLE = 'ak-public';
export const TPM_QUOTE_ROLE = 'tpm-quote';

const SPKI_MAX = 2048;

/** trustee's TPM evidence: `ak_public` and `tpm_quote` at the top, nothing Azure-specific (no hcl_report). */
export function isTpmEvidenceJson(doc: object): doc is { ak_public: unknown; tpm_quote: unknown } {
  return 'ak_public' in doc && 'tpm_quote' in doc && !('hcl_report' in doc);
}

/**
 * trustee's TPM evidence JSON ({ak_public: base64 DER SubjectPublicKeyInfo or PEM, tpm_quote: {message,
 * signature, pcrs}}): the quote, re-encoded as the tpm-quote JSON this module reads, is the primary; the AK
 * travels as an evidence part. Undefined for other documents; MALFORMED_EVIDENCE naming the member when malformed.
 */
export function tpmEvidenceEnvelope(doc: object): Evidence | undefined {
  if (!isTpmEvidenceJson(doc)) return undefined;
  const quote = tpmQuoteFromDoc(doc.tpm_quote, 'tpm_quote');
  return {
    primary: encodeTpmQuoteJson(quote),
    parts: [{ role: AK_PUBLIC_ROLE, kind: 'evidence', name: 'ak_public (AK SubjectPublicKeyInfo)', bytes: akPublic(doc.ak_public) }],
  };
}

function akPublic(v: unknown): Uint8Array {
  if (typeof v === 'string' && v.includes('-----BEGIN')) {
    try {
      const block = pemBlocks(v).find((b) => b.label === 'PUBLIC KEY');
      if (block) return block.der;
    } catch (e) {
      if (!isTeeError(e)) throw e;
    }
    return badJson('ak_public', 'is PEM without a readable PUBLIC KEY block');
  }
  return jsonBytes(v, 'ak_public', SPKI_MAX);
}
