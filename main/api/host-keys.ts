import { TeeError } from '../../app/errors.js';
import { KnownHosts, hostId } from '../ssh/known-hosts.js';

/**
 * The app's side of host-key pinning. A key is trusted only if this session saw exactly that host
 * present exactly that fingerprint as HOST_KEY_UNKNOWN (so the renderer can pin nothing it was not
 * shown), and only while no other key is pinned for that host: a changed key is never replaced here.
 */
const MAX_PENDING = 256;
const NO_KEY = new Uint8Array(0);

export class HostKeyGate {
  private pending = new Set<string>();

  constructor(readonly storePath: string) {}

  load(): Promise<KnownHosts> {
    return KnownHosts.load(this.storePath);
  }

  /** Remembers an unknown key a target presented, for the user to confirm. */
  observe(e: unknown): void {
    if (!(e instanceof TeeError) || e.code !== 'HOST_KEY_UNKNOWN') return;
    const { host, port, fingerprint } = e.detail as { host?: unknown; port?: unknown; fingerprint?: unknown };
    if (typeof host !== 'string' || typeof port !== 'number' || typeof fingerprint !== 'string') return;
    if (this.pending.size >= MAX_PENDING) this.pending.clear();
    this.pending.add(key(host, port, fingerprint));
  }

  async trust(host: string, port: number, fingerprint: string): Promise<{ host: string; port: number; fingerprint: string }> {
    if (!this.pending.has(key(host, port, fingerprint))) {
      throw new TeeError('USAGE_ERROR', `${host}:${port} has not presented ${fingerprint} in this session: verify the target, then confirm the fingerprint it shows`);
    }
    const store = await this.load();
    if (hasPin(store, host, port)) {
      throw new TeeError('HOST_KEY_CHANGED', `${host}:${port} already has a different pinned host key; a changed key is refused, not replaced`, { host, port, fingerprint });
    }
    await store.trust(host, port, fingerprint);
    this.pending.delete(key(host, port, fingerprint));
    return { host, port, fingerprint };
  }

  /**
   * Pins the keys an OpenSSH known_hosts file lists for the given hosts. Hosts that already have a pinned
   * key are skipped: an import must not slip in a changed key.
   */
  async importOpenSsh(text: string, hosts: { host: string; port: number }[]): Promise<{ imported: number; hosts: string[]; skipped: string[] }> {
    const store = await this.load();
    const seen = new Set<string>();
    const result = { imported: 0, hosts: [] as string[], skipped: [] as string[] };
    for (const { host, port } of hosts) {
      const id = hostId(host, port);
      if (seen.has(id)) continue;
      seen.add(id);
      if (hasPin(store, host, port)) {
        result.skipped.push(id);
        continue;
      }
      const n = await store.importOpenSsh(text, host, port);
      if (n > 0) (result.imported += n), result.hosts.push(id);
    }
    return result;
  }
}

/** Whether any key is pinned for host:port: an empty key never matches a pin, so "unknown" means none. */
function hasPin(store: KnownHosts, host: string, port: number): boolean {
  return store.check(host, port, NO_KEY) !== 'unknown';
}

function key(host: string, port: number, fingerprint: string): string {
  return `${hostId(host, port)}\u0000${fingerprint}`;
}
