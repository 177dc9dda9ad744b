import type { Certificate } from './x509.js';
import { sameName } from './name.js';
import type { PkiCache } from './cache.js';
import { equalBytes } from '../bytes/hex.js';
import { explainSignature } from './signature.js';
import { extensionName, unprocessedCritical } from './extensions.js';

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

/**
 * Walks `given` from its leaf: each certificate's issuer is the next one given, or else a pinned
 * root of that name, until a pinned root is reached. Every link must satisfy the CA constraints
 * of RFC 5280 6.1.4 and its signature must verify; validity periods are reported, not enforced.
 * The pinned root is held to the same constraints as the other CAs (stricter than 6.1, which
 * takes a trust anchor as given): every real Intel and AMD root satisfies them.
 */
export async function verifyChain(cache: PkiCache, given: readonly Certificate[], roots: readonly Certificate[], at: number): Promise<ChainResult> {
  const certs: Certificate[] = [];
  const result = (problem?: string): ChainResult => ({ ok: !problem, ...(problem ? { problem } : {}), expired: expiredAt(certs, at), certs });
  let cert = given[0];
  if (!cert) return result('no certificate was supplied');
  for (let i = 0; i < MAX_CHAIN; i++) {
    certs.push(cert);
    const critical = criticalProblem(cert);
    if (critical) return result(critical);
    if (roots.some((r) => equalBytes(r.der, cert!.der))) return result();
    const issuer = given[i + 1] ?? roots.find((r) => sameName(r.subject, cert!.issuer));
    if (!issuer) return result(`"${cert.subject.text}" is issued by "${cert.issuer.text}", which is neither in the chain nor a pinned root`);
    const link = linkProblem(certs, issuer);
    if (link) return result(link);
    const outcome = await cache.verify(cert, issuer.publicKey, cert.basicConstraints?.ca === true);
    if (!outcome.ok) return result(`the signature on "${cert.subject.text}" by "${issuer.subject.text}" does not verify: ${explainSignature(outcome)}`);
    cert = issuer;
  }
  return result(`chain longer than ${MAX_CHAIN} certificates`);
}

/** RFC 5280 4.2 and 6.1.4 (o): a critical extension the verifier does not process rejects the certificate. */
function criticalProblem(cert: Certificate): string | undefined {
  const ext = unprocessedCritical(cert.extensions);
  return ext && `"${cert.subject.text}" carries the critical extension ${extensionName(ext.oid)}, which this verifier does not process (RFC 5280 4.2)`;
}

/**
 * May `issuer` have issued the last of `below` (leaf first)? Names chain (6.1.3 (a)(4)), the
 * issuer is a CA (6.1.4 (k)), its keyUsage, when present, allows keyCertSign (6.1.4 (n)), and its
 * pathLenConstraint bounds the non-self-issued intermediates beneath it (6.1.4 (l), (m)).
 */
function linkProblem(below: readonly Certificate[], issuer: Certificate): string | undefined {
  const cert = below[below.length - 1]!;
  const name = `"${issuer.subject.text}"`;
  if (!sameName(issuer.subject, cert.issuer)) return `"${cert.subject.text}" names issuer "${cert.issuer.text}" but the next certificate is ${name}`;
  if (!issuer.basicConstraints?.ca) return `${name} is not a CA certificate but issued "${cert.subject.text}"`;
  if (issuer.keyUsage && !issuer.keyUsage.keyCertSign)
    return `${name} issued "${cert.subject.text}" but its keyUsage does not allow keyCertSign (RFC 5280 4.2.1.3)`;
  const pathLen = issuer.basicConstraints.pathLen;
  const intermediates = below.slice(1).filter((c) => !sameName(c.subject, c.issuer)).length;
  if (pathLen !== undefined && intermediates > pathLen) {
    return `${name} allows at most ${pathLen} intermediate CA certificate${pathLen === 1 ? '' : 's'} below it (pathLenConstraint, RFC 5280 4.2.1.9) but ${intermediates} follow it`;
  }
  return undefined;
}

function expiredAt(certs: readonly Certificate[], at: number): string[] {
  return certs.filter((c) => at < c.notBefore || at > c.notAfter).map((c) => `"${c.subject.text}" is valid from ${iso(c.notBefore)} to ${iso(c.notAfter)}`);
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * RFC 3339 UTC, whole seconds without ".000" (as toISOString, which costs three times as much: every
 * verification names a dozen validity windows). Years outside 0000-9999 fall back to toISOString's form.
 */
export function iso(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return d.toISOString().replace('.000Z', 'Z');
  const millis = d.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  const date = `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return `${date}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${fraction}Z`;
}
