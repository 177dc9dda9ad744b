import { createHash } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateDir } from '../private-dir.js';

/** One cached response: keyed by URL, with when it was fetched and until when its content is valid. */
export interface CacheEntry {
  url: string;
  fetchedAt: string;
  /** From the item itself (TCB info / QE identity nextUpdate, CRL nextUpdate); absent: unknown. */
  validUntil?: string;
  chain?: string;
  body: string;
}

/** Collateral cache on disk: fresh entries serve offline; expired ones are refetched by the caller. */
export class CollateralCache {
  constructor(readonly dir: string) {}

  private path(url: string): string {
    return join(this.dir, `${createHash('sha256').update(url).digest('hex')}.json`);
  }

  async get(url: string): Promise<CacheEntry | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.path(url), 'utf8')) as CacheEntry;
      return entry.url === url ? entry : undefined;
    } catch {
      return undefined; // absent or damaged: fetch again
    }
  }

  isFresh(entry: CacheEntry, at: Date): boolean {
    if (!entry.validUntil) return at.getTime() - Date.parse(entry.fetchedAt) < 24 * 3600 * 1000;
    return at.getTime() <= Date.parse(entry.validUntil);
  }

  /** Written to a temporary file and renamed, so a crash never leaves a half-written entry. */
  async put(entry: CacheEntry): Promise<void> {
    await privateDir(this.dir);
    const target = this.path(entry.url);
    await writeFile(`${target}.tmp`, JSON.stringify(entry), { mode: 0o600 });
    await rename(`${target}.tmp`, target);
  }

  /** Every readable entry, for `collateral export`. */
  async all(): Promise<CacheEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => /^[0-9a-f]{64}\.json$/.test(n));
    } catch {
      return [];
    }
    const entries = await Promise.all(
      names.map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as CacheEntry).map((p) => p.catch(() => undefined)),
    );
    return entries.filter((e): e is CacheEntry => e !== undefined && typeof e.url === 'string');
  }
}
