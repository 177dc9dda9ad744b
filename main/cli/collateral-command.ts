import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { CollateralCache } from '../collateral/cache.js';
import { defaultCacheDir } from '../collateral/acquire.js';
import { BUNDLE_SCHEMA, parseBundle } from '../collateral/bundle.js';
import { readInput } from '../read-input.js';
import type { CliIo } from './verify-command.js';

const USAGE = 'usage: tee-inspect collateral export FILE | import FILE [--cache-dir DIR]\n';
/** A whole cache (a fleet's FMSPCs and chips) is larger than one input file, but still bounded. */
const MAX_BUNDLE = 128 * 1024 * 1024;

/**
 * `tee-inspect collateral export|import`: carry the collateral cache to an air-gapped machine and back.
 * import: exit 0 every entry imported, 1 some refused (named on stderr; the others are imported), 2 usage.
 */
export async function collateralCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'cache-dir': { type: 'string' } } });
    const [action, file, ...rest] = positionals;
    if ((action !== 'export' && action !== 'import') || !file || rest.length) throw new TeeError('USAGE_ERROR', 'collateral takes export FILE or import FILE');
    const cache = new CollateralCache(values['cache-dir'] ?? defaultCacheDir());
    return action === 'export' ? await exportCache(cache, file, io) : await importBundle(cache, file, io);
  } catch (e) {
    io.stderr(`tee-inspect collateral: ${toTeeError(e, 'USAGE_ERROR').message}\n${USAGE}`);
    return 2;
  }
}

async function exportCache(cache: CollateralCache, file: string, io: CliIo): Promise<number> {
  const entries = await cache.all();
  await writeFile(file, JSON.stringify({ schema: BUNDLE_SCHEMA, exportedAt: io.now().toISOString(), entries }, null, 1));
  io.stdout(`exported ${entries.length} collateral entries to ${file}\n`);
  return 0;
}

async function importBundle(cache: CollateralCache, file: string, io: CliIo): Promise<number> {
  const { entries, refused } = parseBundle(new TextDecoder().decode(await readInput(file, 'collateral bundle', { limit: MAX_BUNDLE })));
  for (const e of entries) await cache.put(e);
  for (const r of refused) io.stderr(`tee-inspect collateral: refused ${r}\n`);
  io.stdout(`imported ${entries.length} collateral entries into ${cache.dir}${refused.length ? `; refused ${refused.length}` : ''}\n`);
  return refused.length ? 1 : 0;
}
