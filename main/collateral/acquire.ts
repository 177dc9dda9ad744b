import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeEvidence } from '../../app/evidence/decode.js';
import type { DecodedEvidence } from '../../app/evidence/decode.js';
import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { CollateralCache } from './cache.js';
import { COLLATERAL_FETCHERS } from './fetchers.js';

export interface AcquireOptions {
  offline: boolean;
  at: Date;
  pcsBase?: string;
  tcbUpdate?: 'standard' | 'early';
  kdsBase?: string;
  product?: string;
  ca?: string;
  cacheDir?: string;
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tee-inspector', 'collateral');
}

/**
 * The collateral an evidence still lacks after what the user supplied: from the cache, and (unless
 * offline) from the vendor's service its module needs (COLLATERAL_FETCHERS: Intel PCS or the configured
 * PCCS for DCAP quotes; AMD KDS for SEV-SNP reports — a VLEK only comes from the cloud provider).
 */
export async function completeCollateral(
  verifier: Verifier,
  evidence: Uint8Array,
  files: CollateralFile[],
  o: AcquireOptions,
  already?: DecodedEvidence,
): Promise<{ files: CollateralFile[]; notes: string[] }> {
  let decoded: DecodedEvidence;
  try {
    decoded = already ?? decodeEvidence(evidence);
  } catch {
    return { files, notes: [] }; // the verifier reports what is wrong with the evidence
  }
  const fetcher = COLLATERAL_FETCHERS[decoded.module.id];
  if (!fetcher) return { files, notes: [] };
  const cache = new CollateralCache(o.cacheDir ?? defaultCacheDir());
  return fetcher({ verifier, primary: decoded.bytes, files, carried: decoded.certs ?? [], cache, o });
}
