import { QuoteVerifier } from '@phala/dcap-qvl';
import type { PeerVerify } from './types.js';

/**
 * @phala/dcap-qvl (pure JS, Node crypto + asn1.js/elliptic): `QuoteVerifier.newProd().verify(quote, collateral, nowSecs)`.
 * Synchronous, no caching: it parses and checks every certificate, CRL and collateral signature on each call.
 * It takes the bundle as is (hex strings for CRLs/signatures, PEM chains); the root is its built-in Intel SGX Root CA.
 */
export async function makeDcapQvlVerifier(): Promise<PeerVerify> {
  const verifier = QuoteVerifier.newProd();
  return async (quote, collateral, atSeconds) => {
    const r = verifier.verify(quote, collateral, atSeconds);
    return { status: r.status, advisoryIds: r.advisory_ids };
  };
}
