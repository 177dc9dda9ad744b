import type { Check } from '../../check.js';
import { fail, pass, warn } from '../../check.js';
import type { CryptoProvider } from '../../crypto/provider.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { derFail, readNode } from '../../pki/der.js';
import { parsePublicKeyInfo } from '../../pki/algorithms.js';
import type { PublicKeyInfo } from '../../pki/algorithms.js';
import { TPM_CHECKS } from './checks.js';

/** The AK's DER SubjectPublicKeyInfo, whole: a ParseError (MALFORMED_EVIDENCE, field akSpki) for anything else. */
export function parseAkSpki(spki: Uint8Array): PublicKeyInfo {
  const node = readNode(spki, 0, spki.length, 'MALFORMED_EVIDENCE', 'akSpki');
  if (node.end !== spki.length) derFail(`${spki.length - node.end} trailing bytes after the AK key`, node.end, 'MALFORMED_EVIDENCE', 'akSpki');
  return parsePublicKeyInfo(node, 'MALFORMED_EVIDENCE', 'akSpki');
}

/**
 * Whether the AK is a genuine TPM's. A quote alone cannot say: its signature only shows that whoever holds
 * the AK signed. It is established here only by a pin (the SPKI's SHA-256, checked out of band); hardware
 * evidence that binds the AK (Azure's HCL report) is its module's own check.
 */
export async function checkAkTrust(crypto: CryptoProvider, spki: Uint8Array, pinnedSha256?: Uint8Array): Promise<Check> {
  const spec = TPM_CHECKS.akTrust;
  const digest = await crypto.digest('SHA-256', spki);
  if (!pinnedSha256) {
    const explain = `No AK certificate, EK chain or pin was given, so nothing ties this AK (SPKI SHA-256 ${toHex(digest)}) to a genuine TPM: a software key could have signed the quote.`;
    return { ...warn(spec, explain), gap: 'ak-trust' };
  }
  if (equalBytes(digest, pinnedSha256)) return pass(spec, `The AK is the pinned key (SPKI SHA-256 ${toHex(digest)}).`);
  return fail(spec, `The AK's SPKI SHA-256 is ${toHex(digest)}, not the pinned ${toHex(pinnedSha256)}.`, 'REFERENCE_MISMATCH');
}
