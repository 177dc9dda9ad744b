import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { mergeCollateral, emptyCollateral } from '../../app/collateral/types.js';
import { collateralTimeline, missingCollateral } from '../../app/collateral/timeline.js';
import type { TimelinePart } from '../../app/collateral/timeline.js';
import type { ReferenceValues } from '../../app/appraisal/reference.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { CERT_DATA_PCK_CHAIN, pckChainPem } from '../../app/tee/dcap/auth-data.js';
import { completeCollateral } from '../collateral/acquire.js';
import type { ApiOptions } from './options.js';
import type { CollateralReport, VerifyResponse } from './types.js';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface VerifyInputs {
  evidence: NamedBytes;
  collateral: NamedBytes[];
  /** A reference read by the fleet's TargetInputs comes without its bytes: then it has no digest. */
  reference?: { name: string; bytes?: Uint8Array; values: ReferenceValues };
  nonce?: Uint8Array;
  product?: string;
  at: Date;
  offline: boolean;
}

/**
 * The verification both `verify` (dropped files) and `verifyTarget` (live evidence) run: missing collateral
 * from the cache and, unless offline, from Intel PCS / AMD KDS; then the verifier; then the timeline of every
 * dated collateral item at `at`, and what was still missing.
 */
export async function verifyWithCollateral(verifier: Verifier, o: ApiOptions, v: VerifyInputs): Promise<Omit<VerifyResponse, 'appVersion'>> {
  const net = { ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}), ...(o.kdsBase ? { kdsBase: o.kdsBase } : {}), ...(o.ca ? { ca: o.ca } : {}), ...(v.product ? { product: v.product } : {}) };
  const completed = await completeCollateral(verifier, v.evidence.bytes, v.collateral, { offline: v.offline, at: v.at, cacheDir: o.cacheDir, ...net });
  const referenceFile = v.reference?.bytes ? { referenceFile: { name: v.reference.name, bytes: v.reference.bytes } } : {};
  const result = await verifier.verify(v.evidence.bytes, completed.files, { at: v.at, evidenceName: v.evidence.name, ...referenceFile, ...(v.nonce ? { nonce: v.nonce } : {}), ...(v.product ? { product: v.product } : {}), ...(v.reference ? { reference: v.reference.values } : {}) });
  return { result, inputs: result.inputs, collateral: collateralReport(verifier, v, completed.files, result.technology, completed.notes) };
}

function collateralReport(verifier: Verifier, v: VerifyInputs, files: CollateralFile[], technology: string, notes: string[]): CollateralReport {
  const parts = [...files.flatMap((f) => part(verifier, f.name, [f])), ...evidenceParts(verifier, v.evidence.bytes)];
  const all = parts.reduce((set, p) => mergeCollateral(set, p.set), emptyCollateral());
  return { offline: v.offline, notes, missing: missingCollateral(technology, all), timeline: collateralTimeline(parts, v.at.getTime()) };
}

/** One file's items; a file that is not collateral adds nothing here (the verifier reports it). */
function part(verifier: Verifier, source: string, files: CollateralFile[]): TimelinePart[] {
  try {
    return [{ source, set: verifier.loadCollateral(files) }];
  } catch {
    return [];
  }
}

/** Certificates inside the evidence: a DCAP quote's PCK chain, or the chain in a trustee SnpEvidence JSON. */
function evidenceParts(verifier: Verifier, evidence: Uint8Array): TimelinePart[] {
  try {
    const decoded = decodeEvidence(evidence);
    if (decoded.certs?.length) return part(verifier, 'evidence (certificate chain)', decoded.certs);
    if (decoded.module.id !== 'dcap') return [];
    const qe = parseQuote(decoded.bytes).qe;
    if (qe.innerType !== CERT_DATA_PCK_CHAIN) return [];
    return part(verifier, 'quote (PCK certificate chain)', [{ name: 'PCK chain', bytes: new TextEncoder().encode(pckChainPem(qe)) }]);
  } catch {
    return [];
  }
}
