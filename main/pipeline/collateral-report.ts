import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { mergeCollateral, emptyCollateral } from '../../app/collateral/types.js';
import { collateralTimeline, missingCollateral } from '../../app/collateral/timeline.js';
import type { TimelinePart } from '../../app/collateral/timeline.js';
import type { DecodedEvidence } from '../../app/evidence/decode.js';
import type { CollateralReport } from '../api/types.js';

/** The timeline of every dated collateral item at `at` (supplied, fetched, carried by the evidence), and what is still missing. */
export function collateralReport(
  verifier: Verifier,
  decoded: DecodedEvidence | undefined,
  files: CollateralFile[],
  o: { technology: string; notes: string[]; offline: boolean; at: Date },
): CollateralReport {
  const parts = [...files.flatMap((f) => part(verifier, f.name, [f])), ...evidenceParts(verifier, decoded)];
  const all = parts.reduce((set, p) => mergeCollateral(set, p.set), emptyCollateral());
  return { offline: o.offline, notes: o.notes, missing: missingCollateral(o.technology, all), timeline: collateralTimeline(parts, o.at.getTime()) };
}

/** One file's items; a file that is not collateral adds nothing here (the verifier reports it). */
function part(verifier: Verifier, source: string, files: CollateralFile[]): TimelinePart[] {
  const set = verifier.loadCollateral(files);
  return set.sources.some((s) => !s.status) ? [{ source, set }] : [];
}

/** Certificates inside the evidence: an SnpEvidence cert_chain or appended table, or what the module finds in it (a quote's PCK chain). */
function evidenceParts(verifier: Verifier, decoded: DecodedEvidence | undefined): TimelinePart[] {
  if (!decoded) return [];
  if (decoded.certs?.length) return part(verifier, 'evidence (certificate chain)', decoded.certs);
  const embedded = decoded.module.embeddedCertificates?.(decoded.bytes) ?? [];
  return embedded.flatMap((f) => part(verifier, f.name, [f]));
}
