import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { CollateralCache } from '../collateral/cache.js';
import type { CacheEntry } from '../collateral/cache.js';
import { defaultCacheDir } from '../collateral/acquire.js';
import type { CliIo } from './verify-command.js';

const BUNDLE_SCHEMA = 'tee-inspect/collateral-bundle/v1';
const USAGE = 'usage: tee-inspect collateral export FILE | import FILE [--cache-dir DIR]\n';

/** `tee-inspect collateral export|import`: carry the collateral cache to an air-gapped machine and back. */
export async function collateralCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'cache-dir': { type: 'string' } } });
    const [action, file, ...rest] = positionals;
    if ((action !== 'export' && action !== 'import') || !file || rest.length) throw new TeeError('USAGE_ERROR', 'collateral takes export FILE or import FILE');
    const cache = new CollateralCache(values['cache-dir'] ?? defaultCacheDir());
    if (action === 'export') {
      const entries = await cache.all();
      await writeFile(file, JSON.stringify({ schema: BUNDLE_SCHEMA, exportedAt: io.now().toISOString(), entries }, null, 1));
      io.stdout(`exported ${entries.length} collateral entries to ${file}\n`);
      return 0;
    }
    const entries = parseBundle(await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => Promise.reject(new TeeError('FILE_UNREADABLE', `cannot read ${file}: ${e.code ?? e.message}`))));
    for (const e of entries) await cache.put(e);
    io.stdout(`imported ${entries.length} collateral entries into ${cache.dir}\n`);
    return 0;
  } catch (e) {
    io.stderr(`tee-inspect collateral: ${toTeeError(e, 'USAGE_ERROR').message}\n${USAGE}`);
    return 2;
  }
}

/** Entries are checked for shape only: their content is verified, signature by signature, when used. */
function parseBundle(text: string): CacheEntry[] {
  let doc: { schema?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new TeeError('USAGE_ERROR', 'the bundle is not JSON');
  }
  if (doc.schema !== BUNDLE_SCHEMA || !Array.isArray(doc.entries)) throw new TeeError('USAGE_ERROR', `not a ${BUNDLE_SCHEMA} file`);
  return doc.entries.map((e, i) => {
    const x = e as Record<string, unknown>;
    const ok = typeof x.url === 'string' && /^https:\/\//.test(x.url) && typeof x.fetchedAt === 'string' && typeof x.body === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(x.body);
    if (!ok) throw new TeeError('USAGE_ERROR', `entries[${i}] is not a collateral cache entry`);
    return { url: x.url, fetchedAt: x.fetchedAt, body: x.body, ...(typeof x.validUntil === 'string' ? { validUntil: x.validUntil } : {}), ...(typeof x.chain === 'string' ? { chain: x.chain } : {}) } as CacheEntry;
  });
}
