import { createHash, createHmac } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The app's own pinned SSH host keys: "host:port" -> SHA256 fingerprints (OpenSSH's format). An unknown
 * key is never accepted silently (the user confirms its fingerprint first) and a changed one is refused.
 * OpenSSH known_hosts files (plain or hashed "|1|" names, "[host]:port") can be imported.
 */
export type HostKeyVerdict = 'known' | 'unknown' | 'changed';

export function fingerprint(key: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function hostId(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

export class KnownHosts {
  private pins = new Map<string, Set<string>>();

  constructor(readonly path?: string) {}

  static async load(path: string): Promise<KnownHosts> {
    const store = new KnownHosts(path);
    try {
      const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, string[]>;
      for (const [id, fps] of Object.entries(doc)) if (Array.isArray(fps)) store.pins.set(id, new Set(fps.filter((f) => typeof f === 'string')));
    } catch {
      // no store yet
    }
    return store;
  }

  check(host: string, port: number, key: Uint8Array): HostKeyVerdict {
    const pins = this.pins.get(hostId(host, port));
    if (!pins || pins.size === 0) return 'unknown';
    return pins.has(fingerprint(key)) ? 'known' : 'changed';
  }

  /** Pins a key the user confirmed. Never replaces an existing pin: a changed key must be removed by hand. */
  async trust(host: string, port: number, fp: string): Promise<void> {
    const id = hostId(host, port);
    const pins = this.pins.get(id) ?? new Set<string>();
    pins.add(fp);
    this.pins.set(id, pins);
    await this.save();
  }

  /** Imports the entries of an OpenSSH known_hosts file that match host:port. Returns how many keys were pinned. */
  async importOpenSsh(text: string, host: string, port: number): Promise<number> {
    let count = 0;
    for (const line of text.split('\n')) {
      const [names, , b64] = line.trim().split(/\s+/);
      if (!names || !b64 || names.startsWith('#') || names.startsWith('@')) continue;
      if (!names.split(',').some((n) => nameMatches(n, host, port))) continue;
      await this.trust(host, port, fingerprint(Buffer.from(b64, 'base64')));
      count++;
    }
    return count;
  }

  private async save(): Promise<void> {
    if (!this.path) return;
    await mkdir(dirname(this.path), { recursive: true });
    const doc = Object.fromEntries([...this.pins].map(([id, fps]) => [id, [...fps]]));
    await writeFile(`${this.path}.tmp`, JSON.stringify(doc, null, 2), { mode: 0o600 });
    await rename(`${this.path}.tmp`, this.path);
  }
}

function nameMatches(name: string, host: string, port: number): boolean {
  const plain = port === 22 ? host : `[${host}]:${port}`;
  if (!name.startsWith('|1|')) return name.toLowerCase() === plain.toLowerCase();
  const [, , salt, hash] = name.split('|');
  if (!salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(plain).digest('base64') === hash;
}
