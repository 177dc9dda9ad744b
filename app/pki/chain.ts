import type { Certificate } from './x509.js';
import { sameName } from './name.js';
import type { PkiCache } from './cache.js';
import { equalBytes } from '../bytes/hex.js';

/** Outcome of walking a certificate chain from its leaf to a pinned root (RFC 5280 section 6, simplified to fixed chains). */
export interface ChainResult {
  /** Every signature, issuer/subject link and CA constraint holds, and the chain ends at a pinned root. */
  ok: boolean;
  problem?: string;
  /** Certificates outside their validity period at the verification time. */
  expired: string[];
  /** Leaf first, ending with the pinned root when ok. */
  certs: Certificate[];
}

const MAX_CHAIN = 8;

export async function verifyChain(cache: PkiCache, given: readonly Certificate[], roots: readonly Certificate[], at: number): Promise<ChainResult> {
  const certs: Certificate[] = [];
  const result = (problem?: string): ChainResult => ({ ok: !problem, ...(problem ? { problem } : {}), expired: expiredAt(certs, at), certs });
  let cert = given[0];
  if (!cert) return result('no certificate was supplied');
  for (let i = 0; i < MAX_CHAIN; i++) {
    certs.push(cert);
    if (roots.some((r) => equalBytes(r.der, cert!.der))) return result();
    const issuer = given[i + 1] ?? roots.find((r) => sameName(r.subject, cert!.issuer));
    if (!issuer) return result(`"${cert.subject.text}" is issued by "${cert.issuer.text}", which is neither in the chain nor a pinned root`);
    if (!sameName(issuer.subject, cert.issuer)) return result(`"${cert.subject.text}" names issuer "${cert.issuer.text}" but the next certificate is "${issuer.subject.text}"`);
    if (!issuer.basicConstraints?.ca) return result(`"${issuer.subject.text}" is not a CA certificate but issued "${cert.subject.text}"`);
    const cacheable = cert.basicConstraints?.ca === true;
    if (!(await cache.verify(cert, issuer.publicKey, cacheable))) return result(`the signature on "${cert.subject.text}" by "${issuer.subject.text}" does not verify`);
    cert = issuer;
  }
  return result(`chain longer than ${MAX_CHAIN} certificates`);
}

function expiredAt(certs: readonly Certificate[], at: number): string[] {
  return certs
    .filter((c) => at < c.notBefore || at > c.notAfter)
    .map((c) => `"${c.subject.text}" is valid from ${iso(c.notBefore)} to ${iso(c.notAfter)}`);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
