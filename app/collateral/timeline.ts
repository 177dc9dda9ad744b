import type { CollateralSet } from './types.js';
import type { Certificate } from '../pki/x509.js';
import { iso } from '../pki/chain.js';
import { moduleFor } from '../tee/registry.js';

/**
 * The collateral timeline of one verification: every dated item (TCB info, QE identity, CRL, certificate)
 * with when it was issued, until when it holds, and how far `at` is from that end. Collateral expires on
 * Intel's and AMD's schedule (TCB info and CRLs within about a month), so the user sees what to refresh next.
 */
/** A signed document's kind as its module names it ('tcb-info', 'qe-identity'), or a CRL or certificate. */
export type TimelineKind = string;
export type TimelineStatus = 'valid' | 'expired' | 'not-yet-valid';

export interface TimelineItem {
  kind: TimelineKind;
  label: string;
  issuer: string;
  /** ISO-8601: issueDate, thisUpdate or notBefore. */
  issued: string;
  /** ISO-8601: nextUpdate (collateral, CRLs) or notAfter (certificates); absent for a CRL without nextUpdate. */
  validUntil?: string;
  untilField: 'nextUpdate' | 'notAfter';
  /** validUntil minus `at` (negative once expired). */
  expiresInMs?: number;
  status: TimelineStatus;
  tcbEvaluationDataNumber?: number;
  /** The file name or URL the item came from. */
  source: string;
}

/** Collateral as it arrived: one part per file (or fetched URL), so each certificate keeps its source. */
export interface TimelinePart {
  source: string;
  set: CollateralSet;
}

/** Signed documents first (in the order their kinds are named here, others after), then CRLs, then certificates. */
const KIND_ORDER: Record<string, number> = { 'tcb-info': 0, 'qe-identity': 1, crl: 8, certificate: 9 };

export function collateralTimeline(parts: readonly TimelinePart[], at: number): TimelineItem[] {
  const items: TimelineItem[] = [];
  const seenCerts = new Set<string>();
  const addCert = (c: Certificate, source: string) => {
    const key = `${c.issuer.text}\u0000${c.serialHex}`;
    if (seenCerts.has(key)) return;
    seenCerts.add(key);
    items.push(item('certificate', c.subject.cn ?? c.subject.text, c.issuer.cn ?? c.issuer.text, c.notBefore, c.notAfter, 'notAfter', source, at));
  };
  for (const { source, set } of parts) {
    for (const d of set.documents) {
      items.push({
        ...item(d.kind, d.label, d.chain[0]?.subject.cn ?? d.signer, d.issued, d.nextUpdate, 'nextUpdate', d.source, at),
        ...(d.tcbEvaluationDataNumber !== undefined ? { tcbEvaluationDataNumber: d.tcbEvaluationDataNumber } : {}),
      });
      d.chain.forEach((c) => addCert(c, d.source));
    }
    for (const { crl, source: crlSource } of set.crls) {
      const issuer = crl.issuer.cn ?? crl.issuer.text;
      items.push(item('crl', `CRL of ${issuer}`, issuer, crl.thisUpdate, crl.nextUpdate, 'nextUpdate', crlSource, at));
    }
    set.certs.forEach((c) => addCert(c, source));
  }
  return items.sort(byKindThenExpiry);
}

function item(
  kind: TimelineKind,
  label: string,
  issuer: string,
  issued: number,
  until: number | undefined,
  untilField: TimelineItem['untilField'],
  source: string,
  at: number,
): TimelineItem {
  const status: TimelineStatus = at < issued ? 'not-yet-valid' : until !== undefined && at > until ? 'expired' : 'valid';
  return {
    kind,
    label,
    issuer,
    issued: iso(issued),
    ...(until !== undefined ? { validUntil: iso(until), expiresInMs: until - at } : {}),
    untilField,
    status,
    source,
  };
}

function byKindThenExpiry(a: TimelineItem, b: TimelineItem): number {
  const rank = (k: string) => KIND_ORDER[k] ?? 5;
  return rank(a.kind) - rank(b.kind) || (a.expiresInMs ?? Infinity) - (b.expiresInMs ?? Infinity);
}

/**
 * Which collateral kinds a verification still lacks, as the module of the technology (or module id)
 * says: what the offline banner names. Nothing for a technology no module produces.
 */
export function missingCollateral(technology: string, set: CollateralSet): string[] {
  return moduleFor(technology)?.missingCollateral(set) ?? [];
}
