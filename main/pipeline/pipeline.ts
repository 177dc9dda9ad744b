import type { Attachment, Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { ReferenceValues } from '../../app/appraisal/reference.js';
import type { VerificationResult } from '../../app/report/result.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import type { DecodedEvidence } from '../../app/evidence/decode.js';
import type { CollateralReport } from '../api/types.js';
import { collateralReport } from './collateral-report.js';
import { buildReport } from '../../app/report/report.js';
import type { ReportV2 } from '../../app/report/report.js';
import { VERSION } from '../version.js';
import { completeCollateral } from '../collateral/acquire.js';
import type { AcquireOptions } from '../collateral/acquire.js';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** What every front door hands the pipeline: the same inputs give the same result and report. */
export interface PipelineRequest {
  evidence: NamedBytes;
  /** The user's files and what a live target sent with its evidence. */
  collateral: NamedBytes[];
  reference?: { name: string; bytes: Uint8Array; values: ReferenceValues };
  /** Event logs and a TPM quote beside the evidence: the user's (`--eventlog`, `--tpm-quote`) or a live target's. */
  attachments?: Attachment[];
  nonce?: Uint8Array;
  product?: string;
  at: Date;
  offline: boolean;
  /** A revocation check that could not run fails (`--strict`). */
  requireRevocation?: boolean;
}

/** Collateral fill: the supplied files plus what the cache and (unless offline) Intel PCS / AMD KDS add. */
export type CollateralFill = (decoded: DecodedEvidence, files: CollateralFile[]) => Promise<{ files: CollateralFile[]; notes: string[] }>;

export interface PipelineOutcome {
  result: VerificationResult;
  /** Every collateral file the verification was given: supplied, from the target, from the cache or network. */
  files: CollateralFile[];
  collateral: CollateralReport;
}

/**
 * The one pipeline behind the CLI, the API and the fleet: decode, fill the collateral the evidence still
 * needs, verify and appraise, then the collateral timeline. Evidence that does not decode goes straight to
 * the verifier, which reports why.
 */
export async function runPipeline(verifier: Verifier, fill: CollateralFill, req: PipelineRequest): Promise<PipelineOutcome> {
  const decoded = tryDecode(req.evidence.bytes);
  const filled = decoded ? await fill(decoded, req.collateral) : { files: req.collateral, notes: [] };
  // Decoded once: the fill, the verifier and the timeline all use this one decoding.
  const result = await verifier.verify(req.evidence.bytes, filled.files, {
    ...(decoded ? { decoded } : {}),
    at: req.at,
    evidenceName: req.evidence.name,
    ...(req.attachments?.length ? { attachments: req.attachments } : {}),
    ...(req.reference ? { reference: req.reference.values, referenceFile: { name: req.reference.name, bytes: req.reference.bytes } } : {}),
    ...(req.nonce ? { nonce: req.nonce } : {}),
    ...(req.product ? { product: req.product } : {}),
    ...(req.requireRevocation ? { requireRevocation: true } : {}),
  });
  const collateral = collateralReport(verifier, decoded, filled.files, {
    technology: result.technology,
    notes: filled.notes,
    offline: req.offline,
    at: req.at,
  });
  return { result, files: filled.files, collateral };
}

function tryDecode(bytes: Uint8Array): DecodedEvidence | undefined {
  try {
    return decodeEvidence(bytes);
  } catch {
    return undefined;
  }
}

/** The versioned report (tee-inspect/report/v2) of one pipeline run: every input with its bytes, so anyone can recheck it. */
export function pipelineReport(out: PipelineOutcome, req: PipelineRequest, createdAt: Date): ReportV2 {
  const inputs = [
    { name: req.evidence.name, role: 'evidence', bytes: req.evidence.bytes },
    ...out.files.map((f) => ({ name: f.name, role: 'collateral', bytes: f.bytes })),
    ...(req.attachments ?? []).map((a) => ({ name: a.name, role: a.role, bytes: a.bytes })),
    ...(req.reference ? [{ name: req.reference.name, role: 'reference', bytes: req.reference.bytes }] : []),
  ];
  return buildReport({
    result: out.result,
    inputs,
    timeline: out.collateral.timeline,
    toolVersion: VERSION,
    createdAt: createdAt.toISOString(),
    ...(req.nonce ? { nonce: req.nonce } : {}),
    ...(req.product ? { product: req.product } : {}),
    ...(req.requireRevocation ? { requireRevocation: true } : {}),
  });
}

/** The default fill: the collateral cache first, then (unless offline) Intel PCS / AMD KDS. */
export function networkFill(verifier: Verifier, o: AcquireOptions): CollateralFill {
  return (decoded, files) => completeCollateral(verifier, decoded.bytes, files, o, decoded);
}
