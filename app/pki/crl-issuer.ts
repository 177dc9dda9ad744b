import type { Certificate } from './x509.js';
import type { Crl } from './crl.js';
import type { PkiCache } from './cache.js';
import { sameName } from './name.js';
import { explainSignature } from './signature.js';
import type { SignatureOutcome } from './signature.js';

/** Whether a CRL is signed by its issuer's certificate; when not, a problem naming that certificate. */
export type CrlSignatureResult = { ok: true } | { ok: false; problem: string; signature?: SignatureOutcome };

/**
 * RFC 5280 6.3.3 (f) and (g): the CRL names `issuer` as its issuer, the issuer's keyUsage (when
 * present) allows cRLSign (4.2.1.3), and the CRL's signature verifies with the issuer's key. The
 * signature outcome is cached per verifier (CRLs recur on every quote).
 */
export async function verifyCrlSignature(cache: PkiCache, crl: Crl, issuer: Certificate): Promise<CrlSignatureResult> {
  const name = `"${issuer.subject.text}"`;
  if (!sameName(crl.issuer, issuer.subject)) return { ok: false, problem: `the CRL is issued by "${crl.issuer.text}", not by ${name}` };
  if (issuer.keyUsage && !issuer.keyUsage.cRLSign) {
    return { ok: false, problem: `${name} may not sign CRLs: its keyUsage does not allow cRLSign (RFC 5280 4.2.1.3)` };
  }
  const signature = await cache.verify(crl, issuer.publicKey, true);
  if (!signature.ok) return { ok: false, problem: `the CRL's signature by ${name} does not verify: ${explainSignature(signature)}`, signature };
  return { ok: true };
}
