import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeEvidence } from '../../app/evidence/decode.js';
import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile, CollateralSet } from '../../app/collateral/types.js';
import type { CollateralNeed } from '../../app/tee/dcap/needs.js';
import { CollateralCache } from './cache.js';
import { fetchDcapCollateral } from './fetch-dcap.js';
import { fetchSnpCollateral } from './fetch-snp.js';

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
 * The collateral a DCAP quote still lacks after what the user supplied: from the cache, and (unless
 * offline) from Intel PCS or the configured PCCS; for an SEV-SNP report, from AMD KDS: its VCEK (a VLEK only
 * comes from the cloud provider), the VCEK or VLEK CRL, and the ASK/ASVK chain when it is not pinned.
 */
export async function completeCollateral(verifier: Verifier, evidence: Uint8Array, files: CollateralFile[], o: AcquireOptions): Promise<{ files: CollateralFile[]; notes: string[] }> {
  let technology: string;
  let bytes: Uint8Array;
  let carried: CollateralFile[] = [];
  try {
    const decoded = decodeEvidence(evidence);
    technology = decoded.module.id;
    bytes = decoded.bytes;
    carried = decoded.certs ?? []; // e.g. the VCEK/VLEK in an SnpEvidence cert_chain: already at hand
  } catch {
    return { files, notes: [] }; // the verifier reports what is wrong with the evidence
  }
  const cache = new CollateralCache(o.cacheDir ?? defaultCacheDir());
  if (technology === 'sev-snp') return snp(verifier, bytes, files, carried, cache, o);
  if (technology !== 'dcap') return { files, notes: [] };
  const have = haveKinds(verifier, files);
  if (have.size === 4) return { files, notes: [] };
  const got = await fetchDcapCollateral(bytes, { cache, at: o.at, offline: o.offline, have, ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}), ...(o.tcbUpdate ? { tcbUpdate: o.tcbUpdate } : {}), ...(o.ca ? { ca: o.ca } : {}) });
  return { files: [...files, ...got.files], notes: got.notes };
}

async function snp(verifier: Verifier, report: Uint8Array, files: CollateralFile[], carried: CollateralFile[], cache: CollateralCache, o: AcquireOptions) {
  let supplied: CollateralSet;
  try {
    supplied = verifier.loadCollateral([...files, ...carried]);
  } catch {
    return { files, notes: [] }; // the verifier reports the file that is not collateral
  }
  const got = await fetchSnpCollateral(report, { cache, at: o.at, offline: o.offline, supplied, ...(o.kdsBase ? { kdsBase: o.kdsBase } : {}), ...(o.product ? { product: o.product } : {}), ...(o.ca ? { ca: o.ca } : {}) });
  return { files: [...files, ...got.files], notes: got.notes };
}

function haveKinds(verifier: Verifier, files: CollateralFile[]): Set<CollateralNeed['kind']> {
  const set = verifier.loadCollateral(files);
  const have = new Set<CollateralNeed['kind']>();
  if (set.tcbInfos.length) have.add('tcb-info');
  if (set.qeIdentities.length) have.add('qe-identity');
  if (set.crls.some((c) => c.crl.issuer.cn === 'Intel SGX Root CA')) have.add('root-ca-crl');
  if (set.crls.some((c) => c.crl.issuer.cn?.startsWith('Intel SGX PCK'))) have.add('pck-crl');
  return have;
}
