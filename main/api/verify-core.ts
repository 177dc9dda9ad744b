import type { Verifier } from '../../app/verifier.js';
import { networkFill, pipelineReport, runPipeline } from '../pipeline/pipeline.js';
import type { PipelineRequest } from '../pipeline/pipeline.js';
import type { ApiOptions } from './options.js';
import type { VerifyResponse } from './types.js';

export type { NamedBytes } from '../pipeline/pipeline.js';

/** What the API verifies: the pipeline's request (the app has no --strict). */
export type VerifyInputs = Omit<PipelineRequest, 'requireRevocation'>;

/**
 * The verification both `verify` (dropped files) and `verifyTarget` (live evidence) run: the shared
 * pipeline with the app's collateral cache and PCS/PCCS/KDS settings.
 */
export async function verifyWithCollateral(verifier: Verifier, o: ApiOptions, v: VerifyInputs): Promise<Omit<VerifyResponse, 'appVersion'>> {
  const net = {
    ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}),
    ...(o.kdsBase ? { kdsBase: o.kdsBase } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
    ...(v.product ? { product: v.product } : {}),
  };
  const fill = networkFill(verifier, { offline: v.offline, at: v.at, cacheDir: o.cacheDir, ...net });
  const out = await runPipeline(verifier, fill, v);
  const report = pipelineReport(out, v, o.now?.() ?? new Date());
  return { result: out.result, inputs: out.result.inputs, collateral: out.collateral, report };
}
