import { createHash, createHmac, randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TeeError } from '../../app/errors.js';
import { readInput } from '../read-input.js';
import { privateDir } from '../private-dir.js';

/**
 * The app's own pinned SSH host keys: "host:port" -> SHA256 fingerprints (OpenSSH's format). An unknown
 * key is never accepted silently (the user confirms its fingerprint first) and a changed one is refused.
 * The store changes only by an explicit act, and a pin is added only to a host that has none: a changed
 * key is unpinned first, never replaced or added beside. A run may also be given an OpenSSH known_hosts
 * file (plain or hashed "|1|" names, "[host]:port"), trusted as OpenSSH's UserKnownHostsFile for that run
 * only and never copied into the store; a host pinned in the store is judged by its pin alone.
 */
export type HostKeyVerdict = 'known' | 'unknown' | 'changed';

export interface PinnedHost {
  host: string;
  port: number;
  fingerprints: string[];
}

interface KnownHostsLine {
  names: string[];
  fingerprint: string;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const STORE_KEY = /^\S+:\d{1,5}$/;

export function isFingerprint(s: string): boolean {
  return FINGERPRINT.test(s);
}

export function fingerprint(key: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function hostId(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

/** `HOST`, `HOST:PORT` or `[HOST]:PORT` (IPv6 addresses in brackets); the port defaults to 22. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] === undefined ? 22 : Number(m[2]);
  return m && port >= 1 && port <= 65535 ? { host: m[1]!, port } : undefined;
}

export class KnownHosts {
  private pins = new Map<string, Set<string>>();
  private runFile: KnownHostsLine[] = [];
  /** Fingerprints vouched for on the command line (--trust-host-key), for hosts without a pin. */
  private offers = new Map<string, string>();
  private confirmed: Promise<unknown>[] = [];

  constructor(readonly path?: string) {}

  /** No file yet is an empty store; a damaged one is FILE_UNREADABLE, never read as empty nor overwritten. */
  static async load(path: string): Promise<KnownHosts> {
    const store = new KnownHosts(path);
    let bytes: Uint8Array;
    try {
      bytes = await readInput(path, 'host-key pin store', { limit: 4 * 1024 * 1024 });
    } catch (e) {
      if (e instanceof TeeError && e.detail.errno === 'ENOENT') return store;
      throw e;
    }
    store.pins = parseStore(new TextDecoder().decode(bytes), path);
    return store;
  }

  check(host: string, port: number, key: Uint8Array): HostKeyVerdict {
    const fp = fingerprint(key);
    const pins = this.pinned(host, port);
    if (pins.length) return pins.includes(fp) ? 'known' : 'changed';
    const listed = this.runFile.filter((l) => l.names.some((n) => nameMatches(n, host, port))).map((l) => l.fingerprint);
    if (listed.length) return listed.includes(fp) ? 'known' : 'changed';
    const offered = this.offers.get(hostId(host, port));
    if (offered === undefined) return 'unknown';
    if (offered !== fp) return 'changed';
    this.confirmed.push(this.trust(host, port, fp)); // pinned only now that the host presented it
    return 'known';
  }

  /**
   * A fingerprint the user vouched for: accepted for a host without a pin, and pinned for good only once
   * the host presents exactly that key (a mistyped fingerprint is refused and leaves no pin behind).
   */
  offer(host: string, port: number, fp: string): void {
    if (!isFingerprint(fp)) throw new TeeError('USAGE_ERROR', `"${fp}" is not a SHA256 fingerprint such as SHA256:abc… (43 base64 characters)`);
    if (this.pinned(host, port).length === 0) this.offers.set(hostId(host, port), fp);
  }

  /** Waits for the pins of offered keys that hosts presented (see offer). */
  async settled(): Promise<void> {
    await Promise.all(this.confirmed);
  }

  /** The fingerprints pinned in the store for host:port (not those of the run's known_hosts file). */
  pinned(host: string, port: number): string[] {
    return [...(this.pins.get(hostId(host, port)) ?? [])];
  }

  list(): PinnedHost[] {
    return [...this.pins]
      .map(([id, fps]) => ({ host: id.slice(0, id.lastIndexOf(':')), port: Number(id.slice(id.lastIndexOf(':') + 1)), fingerprints: [...fps] }))
      .sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  }

  /** This run's known_hosts file (OpenSSH's UserKnownHostsFile): consulted for hosts without a pin, never saved. */
  useRunFile(text: string): void {
    this.runFile = parseKnownHosts(text);
  }

  /**
   * Pins a key the user confirmed, for a host that has no pin yet. The same key again changes nothing;
   * a different pinned key is HOST_KEY_CHANGED: a re-keyed host is unpinned first, by an explicit act.
   */
  async trust(host: string, port: number, fp: string): Promise<'pinned' | 'already pinned'> {
    if (!isFingerprint(fp)) throw new TeeError('USAGE_ERROR', `"${fp}" is not a SHA256 fingerprint such as SHA256:abc… (43 base64 characters)`);
    await this.reload();
    const pins = this.pinned(host, port);
    if (pins.includes(fp)) return 'already pinned';
    if (pins.length) throw changedPin(host, port, fp, pins);
    this.pins.set(hostId(host, port), new Set([fp]));
    await this.save();
    return 'pinned';
  }

  /** Removes every pin of host:port; returns the fingerprints removed (none: nothing was pinned). */
  async unpin(host: string, port: number): Promise<string[]> {
    await this.reload();
    const removed = this.pinned(host, port);
    if (removed.length === 0) return removed;
    this.pins.delete(hostId(host, port));
    await this.save();
    return removed;
  }

  /** Pins the keys a known_hosts file lists for host:port, unless the host already has a pin. Returns how many. */
  async importOpenSsh(text: string, host: string, port: number): Promise<number> {
    await this.reload();
    if (this.pinned(host, port).length) return 0;
    const fps = [
      ...new Set(
        parseKnownHosts(text)
          .filter((l) => l.names.some((n) => nameMatches(n, host, port)))
          .map((l) => l.fingerprint),
      ),
    ];
    if (fps.length === 0) return 0;
    this.pins.set(hostId(host, port), new Set(fps));
    await this.save();
    return fps.length;
  }

  /**
   * `hosts import`: every host a known_hosts file names in clear. Hosts already pinned are skipped (an
   * import must not slip in a changed key); hashed names and patterns cannot be listed, so they are counted.
   */
  async importAll(text: string): Promise<{ imported: string[]; skipped: string[]; unnamed: number }> {
    await this.reload();
    const byHost = new Map<string, Set<string>>();
    let unnamed = 0;
    for (const line of parseKnownHosts(text)) {
      const plain = line.names.map(plainName).filter((h): h is { host: string; port: number } => h !== undefined);
      if (plain.length === 0) unnamed++;
      for (const h of plain) byHost.set(hostId(h.host, h.port), (byHost.get(hostId(h.host, h.port)) ?? new Set()).add(line.fingerprint));
    }
    const result = { imported: [] as string[], skipped: [] as string[], unnamed };
    for (const [id, fps] of byHost) {
      if (this.pins.get(id)?.size) result.skipped.push(id);
      else {
        this.pins.set(id, fps);
        result.imported.push(id);
      }
    }
    if (result.imported.length) await this.save();
    return result;
  }

  /** Changes start from the file as it is now (another process may have pinned since), and fail if it is damaged. */
  private async reload(): Promise<void> {
    if (this.path) this.pins = (await KnownHosts.load(this.path)).pins;
  }

  private async save(): Promise<void> {
    if (!this.path) return;
    await privateDir(dirname(this.path));
    const doc = Object.fromEntries([...this.pins].map(([id, fps]) => [id, [...fps]]));
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.path);
  }
}

function changedPin(host: string, port: number, fp: string, pins: string[]): TeeError {
  const id = hostId(host, port);
  return new TeeError(
    'HOST_KEY_CHANGED',
    `${id} already has a different pinned host key (${pins.join(', ')}): ${fp} is not added beside it nor put in its place. If the host's key really was replaced, confirm the new fingerprint with its administrator and run \`tee-inspect hosts unpin ${id}\` first.`,
    { host, port, fingerprint: fp, pinned: pins },
  );
}

/** The store's JSON: {"host:port": ["SHA256:…", …]}; anything else is damage, reported and left untouched. */
function parseStore(text: string, path: string): Map<string, Set<string>> {
  const damaged = (why: string) =>
    new TeeError(
      'FILE_UNREADABLE',
      `the host-key pin store ${path} is damaged (${why}); it was not used and is left as it is: repair or remove it, then pin the hosts again`,
      { file: path },
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw damaged('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw damaged('not a JSON object of "host:port": [fingerprints]');
  const pins = new Map<string, Set<string>>();
  for (const [id, fps] of Object.entries(doc)) {
    if (!STORE_KEY.test(id)) throw damaged(`"${id.slice(0, 80)}" is not host:port`);
    if (!Array.isArray(fps) || !fps.every((f) => typeof f === 'string' && isFingerprint(f)))
      throw damaged(`the pins of ${id} are not a list of SHA256 fingerprints`);
    if (fps.length) pins.set(id, new Set(fps as string[]));
  }
  return pins;
}

/** OpenSSH known_hosts lines: `names keytype base64 [comment]`; comments and @cert-authority / @revoked lines are not host keys. */
function parseKnownHosts(text: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  for (const line of text.split('\n')) {
    const [names, , b64] = line.trim().split(/\s+/);
    if (!names || !b64 || names.startsWith('#') || names.startsWith('@')) continue;
    lines.push({ names: names.split(','), fingerprint: fingerprint(Buffer.from(b64, 'base64')) });
  }
  return lines;
}

/** A name given in clear (`host` or `[host]:port`); hashed names, patterns and negations are not. */
function plainName(name: string): { host: string; port: number } | undefined {
  if (name.startsWith('|') || /[*?!]/.test(name)) return undefined;
  const bracketed = /^\[(.+)\]:(\d{1,5})$/.exec(name);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  return /^[A-Za-z0-9._:-]+$/.test(name) ? { host: name, port: 22 } : undefined;
}

function nameMatches(name: string, host: string, port: number): boolean {
  const plain = port === 22 ? host : `[${host}]:${port}`;
  if (!name.startsWith('|1|')) return name.toLowerCase() === plain.toLowerCase();
  const [, , salt, hash] = name.split('|');
  if (!salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(plain).digest('base64') === hash;
}
