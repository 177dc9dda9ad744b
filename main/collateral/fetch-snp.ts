import { toTeeError } from '../../app/errors.js';
import { snpCollateralNeeds } from '../../app/tee/snp/needs.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { loadCollateral } from '../../app/collateral/load.js';
import { PkiCache } from '../../app/pki/cache.js';
import { iso } from '../../app/pki/chain.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { httpsGet } from './http.js';
import type { HttpOptions } from './http.js';
import type { CollateralCache, CacheEntry } from './cache.js';

export interface SnpFetchOptions extends HttpOptions {
  kdsBase?: string;
  product?: string;
  cache: CollateralCache;
  at: Date;
  offline: boolean;
  haveVek: boolean;
  haveCrl: boolean;
}

/** AMD KDS collateral for an SEV-SNP report (VCEK and CRL): cache first, network second; problems become notes. */
export async function fetchSnpCollateral(report: Uint8Array, o: SnpFetchOptions): Promise<{ files: CollateralFile[]; notes: string[] }> {
  const { needs, problem } = snpCollateralNeeds(report, o.product, o.kdsBase);
  const notes = problem && !o.haveVek ? [problem] : [];
  const files: CollateralFile[] = [];
  for (const need of needs) {
    if ((need.kind === 'vcek' && o.haveVek) || (need.kind === 'amd-crl' && o.haveCrl)) continue;
    const cached = await o.cache.get(need.url);
    let entry = cached && o.cache.isFresh(cached, o.at) ? cached : undefined;
    if (!entry && o.offline) notes.push(`offline: ${need.kind} not in the cache: ${need.url}`);
    if (!entry && !o.offline) {
      try {
        const res = await httpsGet(need.url, o);
        const fresh: CacheEntry = { url: need.url, fetchedAt: iso(Date.now()), body: Buffer.from(res.body).toString('base64') };
        // Parse before caching; a VCEK is valid for years, a CRL until its nextUpdate.
        const set = loadCollateral([{ name: need.kind, bytes: res.body }], new PkiCache(nodeCryptoProvider()));
        const until = set.crls[0]?.crl.nextUpdate ?? set.certs[0]?.notAfter;
        if (until !== undefined) fresh.validUntil = iso(until);
        await o.cache.put(fresh);
        entry = fresh;
      } catch (e) {
        notes.push(`${toTeeError(e, 'FETCH_FAILED').message}${cached ? ' (using the expired cached copy)' : ''}`);
        entry = cached;
      }
    }
    if (entry) files.push({ name: `${need.kind} (${need.url})`, bytes: new Uint8Array(Buffer.from(entry.body, 'base64')) });
  }
  return { files, notes };
}
