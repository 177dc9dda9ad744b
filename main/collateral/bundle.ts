import { TeeError, toTeeError } from '../../app/errors.js';
import { loadCollateral } from '../../app/collateral/load.js';
import { collateralTimeline } from '../../app/collateral/timeline.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { PkiCache } from '../../app/pki/cache.js';
import { iso } from '../../app/pki/chain.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import type { CacheEntry } from './cache.js';

export const BUNDLE_SCHEMA = 'tee-inspect/collateral-bundle/v1';

export interface BundleEntries {
  entries: CacheEntry[];
  /** One message per entry refused, naming it: why it is not collateral or has no date of its own. */
  refused: string[];
}

/**
 * A `collateral export` file, entry by entry. A bundle is not trusted for dates: each body is parsed by the
 * app's collateral loader and dated from its own content (nextUpdate of TCB info, QE identity or CRL;
 * otherwise the certificates' notAfter), so a garbage entry "valid until 9999" cannot pose as fresh
 * collateral in every later run. Signatures are still checked by the verifier each time an entry is used.
 */
export function parseBundle(text: string): BundleEntries {
  let doc: { schema?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new TeeError('USAGE_ERROR', 'the bundle is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || doc.schema !== BUNDLE_SCHEMA || !Array.isArray(doc.entries))
    throw new TeeError('USAGE_ERROR', `not a ${BUNDLE_SCHEMA} file`);
  const pki = new PkiCache(nodeCryptoProvider());
  const out: BundleEntries = { entries: [], refused: [] };
  doc.entries.forEach((e, i) => {
    try {
      out.entries.push(datedEntry(shapedEntry(e), pki));
    } catch (err) {
      out.refused.push(`entries[${i}]${urlOf(e)}: ${escapeControls(toTeeError(err, 'MALFORMED_COLLATERAL').message)}`);
    }
  });
  return out;
}

function shapedEntry(e: unknown): CacheEntry {
  const x = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const ok =
    typeof x.url === 'string' &&
    /^https:\/\/\S+$/.test(x.url) &&
    typeof x.fetchedAt === 'string' &&
    !Number.isNaN(Date.parse(x.fetchedAt)) &&
    typeof x.body === 'string' &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(x.body);
  if (!ok) throw new TeeError('USAGE_ERROR', 'not a collateral cache entry (url https://…, fetchedAt, body in base64)');
  if (x.chain !== undefined && typeof x.chain !== 'string') throw new TeeError('USAGE_ERROR', '"chain" must be PEM text');
  return { url: x.url as string, fetchedAt: x.fetchedAt as string, body: x.body as string, ...(typeof x.chain === 'string' ? { chain: x.chain } : {}) };
}

/** The entry with validUntil from its parsed content; whatever date the bundle claimed is ignored. */
function datedEntry(entry: CacheEntry, pki: PkiCache): CacheEntry {
  const files: CollateralFile[] = [{ name: 'body', bytes: new Uint8Array(Buffer.from(entry.body, 'base64')) }];
  if (entry.chain) files.push({ name: 'chain', bytes: new TextEncoder().encode(entry.chain) });
  const items = collateralTimeline([{ source: entry.url, set: loadCollateral(files, pki) }], Date.now());
  const dated = (kinds: string[]) => items.filter((t) => kinds.includes(t.kind) && t.validUntil !== undefined).map((t) => Date.parse(t.validUntil!));
  const primary = dated(['tcb-info', 'qe-identity', 'crl']);
  const until = primary.length ? Math.min(...primary) : Math.min(...dated(['certificate']));
  if (!Number.isFinite(until))
    throw new TeeError('MALFORMED_COLLATERAL', 'its content carries no validity end (nextUpdate or notAfter), so it cannot be dated');
  return { ...entry, validUntil: iso(until) };
}

function urlOf(e: unknown): string {
  const url = typeof e === 'object' && e !== null ? (e as { url?: unknown }).url : undefined;
  return typeof url === 'string' ? ` (${escapeControls(url.slice(0, 200))})` : '';
}
