import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { CollateralCache } from './cache.js';
import { dcapKindsSupplied, fetchDcapCollateral } from './fetch-dcap.js';
import { fetchSnpCollateral } from './fetch-snp.js';
import type { AcquireOptions } from './acquire.js';

export interface FetchContext {
  verifier: Verifier;
  /** The evidence proper, as its module decoded it. */
  primary: Uint8Array;
  files: CollateralFile[];
  /** Collateral that travelled inside the evidence (an SnpEvidence cert_chain, an appended table). */
  carried: CollateralFile[];
  cache: CollateralCache;
  o: AcquireOptions;
}

export type CollateralFetcher = (c: FetchContext) => Promise<{ files: CollateralFile[]; notes: string[] }>;

/**
 * The vendors' collateral services, by the module whose evidence needs them: Intel PCS/PCCS for DCAP
 * quotes, AMD KDS for SEV-SNP reports. The one place in main/ that maps a module to a protocol client;
 * a module without an entry needs no fetched collateral.
 */
export const COLLATERAL_FETCHERS: Readonly<Record<string, CollateralFetcher>> = {
  dcap: intelPcs,
  'sev-snp': amdKds,
};

async function intelPcs(c: FetchContext) {
  const have = dcapKindsSupplied(c.verifier.loadCollateral(c.files));
  if (have.size === 4) return { files: c.files, notes: [] };
  const o = c.o;
  const got = await fetchDcapCollateral(c.primary, {
    cache: c.cache,
    at: o.at,
    offline: o.offline,
    have,
    ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}),
    ...(o.tcbUpdate ? { tcbUpdate: o.tcbUpdate } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
  });
  return { files: [...c.files, ...got.files], notes: got.notes };
}

async function amdKds(c: FetchContext) {
  const supplied = c.verifier.loadCollateral([...c.files, ...c.carried]);
  const o = c.o;
  const got = await fetchSnpCollateral(c.primary, {
    cache: c.cache,
    at: o.at,
    offline: o.offline,
    supplied,
    ...(o.kdsBase ? { kdsBase: o.kdsBase } : {}),
    ...(o.product ? { product: o.product } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
  });
  return { files: [...c.files, ...got.files], notes: got.notes };
}
