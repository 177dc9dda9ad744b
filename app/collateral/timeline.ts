import type { CollateralSet } from './types.js';
import type { Certificate } from '../pki/x509.js';
import { iso } from '../pki/chain.js';
import { moduleFor } from '../tee/registry.js';

/**
 * The collateral timeline of one verification: every dated item (TCB info, QE identity, CRL, certificate)
 * with when it was issued, until when it holds, and how far `at` is from that end. Collateral expires on
 * Intel's and AMD's schedule (TCB info and CRLs within about a month), so the user sees what to refresh next.
 */
export type TimelineKind = 'tcb-info' | 'qe-identity' | 'crl' | 'certificate';
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

const KIND_ORDER: Record<TimelineKind, number> = { 'tcb-info': 0, 'qe-identity': 1, crl: 2, certificate: 3 };

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
    for (const t of set.tcbInfos) {
      const label = `${t.body.id} TCB info, FMSPC ${hex(t.body.fmspc)}`;
      items.push({
        ...item('tcb-info', label, signer(t.chain), t.body.issueDate, t.body.nextUpdate, 'nextUpdate', t.source, at),
        tcbEvaluationDataNumber: t.body.tcbEvaluationDataNumber,
      });
      t.chain.forEach((c) => addCert(c, t.source));
    }
    for (const q of set.qeIdentities) {
      items.push({
        ...item('qe-identity', `${q.body.id} identity`, signer(q.chain), q.body.issueDate, q.body.nextUpdate, 'nextUpdate', q.source, at),
        tcbEvaluationDataNumber: q.body.tcbEvaluationDataNumber,
      });
      q.chain.forEach((c) => addCert(c, q.source));
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

/** Intel signs TCB info and QE identities with the "Intel SGX TCB Signing" certificate (the chain, when it came in the same file, names it). */
function signer(chain: readonly Certificate[]): string {
  return chain[0]?.subject.cn ?? 'Intel SGX TCB Signing';
}

function byKindThenExpiry(a: TimelineItem, b: TimelineItem): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.expiresInMs ?? Infinity) - (b.expiresInMs ?? Infinity);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Which collateral kinds a verification still lacks, as the module of the technology (or module id)
 * says: what the offline banner names. Nothing for a technology no module produces.
 */
export function missingCollateral(technology: string, set: CollateralSet): string[] {
  return moduleFor(technology)?.missingCollateral(set) ?? [];
}
