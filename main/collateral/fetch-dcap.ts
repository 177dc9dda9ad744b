import { toTeeError } from '../../app/errors.js';
import { INTEL_PCS_BASE, INTEL_ROOT_CA_CRL_URL } from '../../app/tee/dcap/pcs-urls.js';
import { dcapCollateralNeeds } from '../../app/tee/dcap/needs.js';
import type { CollateralNeed } from '../../app/tee/dcap/needs.js';
import { loadCollateral } from '../../app/collateral/load.js';
import type { CollateralFile, CollateralSet } from '../../app/collateral/types.js';
import { qeIdentitiesOf, tcbInfosOf } from '../../app/tee/dcap/documents.js';
import { PkiCache } from '../../app/pki/cache.js';
import { iso } from '../../app/pki/chain.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { httpsGet } from './http.js';
import type { HttpOptions } from './http.js';
import { CollateralCache } from './cache.js';
import type { CacheEntry } from './cache.js';

export interface FetchOptions extends HttpOptions {
  pcsBase?: string;
  /** PCS `update=early` collateral instead of the standard one. */
  tcbUpdate?: 'standard' | 'early';
  cache: CollateralCache;
  at: Date;
  /** Serve from the cache only. */
  offline: boolean;
  /** Kinds already supplied by the user: not fetched. */
  have?: ReadonlySet<CollateralNeed['kind']>;
}

/** What each item is called where a note tells the user it is missing. */
const LABEL: Record<CollateralNeed['kind'], string> = {
  'tcb-info': 'TCB info',
  'qe-identity': 'QE identity',
  'pck-crl': 'PCK CRL',
  'root-ca-crl': 'Intel SGX Root CA CRL',
};

/** Intel's own service by name; anything else is a caching service (PCCS) the user configured. */
function pcsName(url: string): string {
  const host = new URL(url).host;
  return host === new URL(INTEL_PCS_BASE).host || host === new URL(INTEL_ROOT_CA_CRL_URL).host ? 'Intel PCS' : `the PCCS at ${host}`;
}

/**
 * Intel PCS / PCCS collateral for a DCAP quote: cache first, network second. What cannot be had is
 * reported in `notes` and left to the verifier, which names it as COLLATERAL_MISSING.
 */
export async function fetchDcapCollateral(quote: Uint8Array, o: FetchOptions): Promise<{ files: CollateralFile[]; notes: string[] }> {
  const files: CollateralFile[] = [];
  const notes: string[] = [];
  for (const need of dcapCollateralNeeds(quote, o.pcsBase, o.tcbUpdate)) {
    if (o.have?.has(need.kind)) continue;
    const cached = await o.cache.get(need.url);
    let entry = cached && o.cache.isFresh(cached, o.at) ? cached : undefined;
    if (!entry && o.offline)
      notes.push(`offline: ${LABEL[need.kind]} not in the cache${cached ? ` (the cached copy expired ${cached.validUntil})` : ''}: ${need.url}`);
    if (!entry && !o.offline) {
      try {
        entry = await download(need, o);
        await o.cache.put(entry);
      } catch (e) {
        const why = toTeeError(e, 'FETCH_FAILED').message;
        notes.push(`could not fetch the ${LABEL[need.kind]} from ${pcsName(need.url)}: ${why}${cached ? ' (using the expired cached copy)' : ''}`);
        entry = cached;
      }
    }
    if (entry) files.push(...filesOf(entry, need));
  }
  return { files, notes };
}

async function download(need: CollateralNeed, o: FetchOptions): Promise<CacheEntry> {
  const res = await httpsGet(need.url, o);
  const chain = need.chainHeader ? res.headers[need.chainHeader.toLowerCase()] : undefined;
  const entry: CacheEntry = {
    url: need.url,
    fetchedAt: iso(Date.now()),
    body: Buffer.from(res.body).toString('base64'),
    ...(chain ? { chain: decodeURIComponent(chain) } : {}),
  };
  // Parse before caching: a garbage answer must neither be cached nor reach the verifier unnoticed.
  const set = loadCollateral(filesOf(entry, need), new PkiCache(nodeCryptoProvider()));
  const until = set.documents[0]?.nextUpdate ?? set.crls[0]?.crl.nextUpdate;
  if (until !== undefined) entry.validUntil = iso(until);
  return entry;
}

function filesOf(entry: CacheEntry, need: CollateralNeed): CollateralFile[] {
  const body = Buffer.from(entry.body, 'base64');
  const files: CollateralFile[] = [{ name: `${need.kind} (${need.url})`, bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) }];
  if (entry.chain) files.push({ name: `${need.kind} issuer chain`, bytes: new TextEncoder().encode(entry.chain) });
  return files;
}

/** The DCAP collateral kinds a set already holds: PCS is asked only for the others. */
export function dcapKindsSupplied(set: CollateralSet): Set<CollateralNeed['kind']> {
  const have = new Set<CollateralNeed['kind']>();
  if (tcbInfosOf(set).length) have.add('tcb-info');
  if (qeIdentitiesOf(set).length) have.add('qe-identity');
  if (set.crls.some((c) => c.crl.issuer.cn === 'Intel SGX Root CA')) have.add('root-ca-crl');
  if (set.crls.some((c) => c.crl.issuer.cn?.startsWith('Intel SGX PCK'))) have.add('pck-crl');
  return have;
}
