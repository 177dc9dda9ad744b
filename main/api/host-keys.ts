import { TeeError } from '../../app/errors.js';
import { KnownHosts, hostId } from '../ssh/known-hosts.js';
import type { PinnedHost } from '../ssh/known-hosts.js';

/**
 * The app's side of host-key pinning. A key is trusted only if this session saw exactly that host
 * present exactly that fingerprint as HOST_KEY_UNKNOWN (so the renderer can pin nothing it was not
 * shown), and only while no other key is pinned for that host: a changed key is never replaced here.
 */
const MAX_PENDING = 256;

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

  /** Pins a key the host presented in this session, once the user confirmed its fingerprint (`confirmed`). */
  async trust(host: string, port: number, fingerprint: string, confirmed?: boolean): Promise<{ host: string; port: number; fingerprint: string }> {
    if (!this.pending.has(key(host, port, fingerprint))) {
      throw new TeeError(
        'USAGE_ERROR',
        `${host}:${port} has not presented ${fingerprint} in this session: verify the target, then confirm the fingerprint it shows`,
      );
    }
    if (confirmed !== true)
      throw new TeeError(
        'USAGE_ERROR',
        `pinning ${fingerprint} for ${host}:${port}: the request must carry confirmed: true, sent after the user confirmed it in the app`,
      );
    // KnownHosts.trust refuses (HOST_KEY_CHANGED) when another key is pinned: a changed key is never replaced here.
    await (await this.load()).trust(host, port, fingerprint);
    this.pending.delete(key(host, port, fingerprint));
    return { host, port, fingerprint };
  }

  async list(): Promise<PinnedHost[]> {
    return (await this.load()).list();
  }

  /** The explicit act a re-keyed host needs before its new key can be confirmed. */
  async unpin(host: string, port: number): Promise<{ host: string; port: number; removed: string[] }> {
    const removed = await (await this.load()).unpin(host, port);
    if (removed.length === 0) throw new TeeError('USAGE_ERROR', `${hostId(host, port)} has no pinned host key`, { host, port });
    return { host, port, removed };
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
      if (store.pinned(host, port).length) {
        result.skipped.push(id);
        continue;
      }
      const n = await store.importOpenSsh(text, host, port);
      if (n > 0) {
        result.imported += n;
        result.hosts.push(id);
      }
    }
    return result;
  }
}

function key(host: string, port: number, fingerprint: string): string {
  return `${hostId(host, port)}\u0000${fingerprint}`;
}
