import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeEvidence } from '../../app/evidence/decode.js';
import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { CollateralNeed } from '../../app/tee/dcap/needs.js';
import { CollateralCache } from './cache.js';
import { fetchDcapCollateral } from './fetch-dcap.js';
import { fetchSnpCollateral } from './fetch-snp.js';
import { isVek } from '../../app/tee/snp/vek.js';

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
 * offline) from Intel PCS or the configured PCCS; for an SEV-SNP report, its VCEK and the AMD CRL from AMD KDS.
 */
export async function completeCollateral(verifier: Verifier, evidence: Uint8Array, files: CollateralFile[], o: AcquireOptions): Promise<{ files: CollateralFile[]; notes: string[] }> {
  let technology: string;
  let bytes: Uint8Array;
  try {
    const decoded = decodeEvidence(evidence);
    technology = decoded.module.id;
    bytes = decoded.bytes;
  } catch {
    return { files, notes: [] }; // the verifier reports what is wrong with the evidence
  }
  const cache = new CollateralCache(o.cacheDir ?? defaultCacheDir());
  if (technology === 'sev-snp') return snp(verifier, bytes, files, cache, o);
  if (technology !== 'dcap') return { files, notes: [] };
  const have = haveKinds(verifier, files);
  if (have.size === 4) return { files, notes: [] };
  const got = await fetchDcapCollateral(bytes, { cache, at: o.at, offline: o.offline, have, ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}), ...(o.tcbUpdate ? { tcbUpdate: o.tcbUpdate } : {}), ...(o.ca ? { ca: o.ca } : {}) });
  return { files: [...files, ...got.files], notes: got.notes };
}

async function snp(verifier: Verifier, report: Uint8Array, files: CollateralFile[], cache: CollateralCache, o: AcquireOptions) {
  const set = verifier.loadCollateral(files);
  const haveVek = set.certs.some(isVek);
  const haveCrl = set.crls.some((c) => c.crl.issuer.cn?.startsWith('ARK-'));
  if (haveVek && haveCrl) return { files, notes: [] };
  const got = await fetchSnpCollateral(report, { cache, at: o.at, offline: o.offline, haveVek, haveCrl, ...(o.kdsBase ? { kdsBase: o.kdsBase } : {}), ...(o.product ? { product: o.product } : {}), ...(o.ca ? { ca: o.ca } : {}) });
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
