import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { TeeError } from '../../app/errors.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { readInput } from '../read-input.js';
import { toHex } from '../../app/bytes/hex.js';
import { fingerprint, hostId } from './known-hosts.js';
import type { KnownHosts } from './known-hosts.js';
import { CUSTOM_COLLECTOR, TSM_COLLECTOR, WATCHDOG } from './collector.js';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** A private key file; without one, ssh-agent (SSH_AUTH_SOCK) is used. */
  identityFile?: string;
  /** The key file's passphrase, when it is encrypted. */
  passphrase?: string;
}

export interface SshFetchOptions {
  knownHosts: KnownHosts;
  /** The target's own collector command; `{nonce}` becomes the nonce as hex. Default: configfs-tsm. */
  collector?: string;
  nonce?: Uint8Array;
  /** Environment for the collector, set on its command line (sshd may not accept env requests). */
  env?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
  /** Closes the connection at once: CANCELLED. */
  signal?: AbortSignal;
}

/**
 * Runs the collector on the target over SSH and returns what it printed (the evidence, bounded in size
 * and time). The host key must already be pinned: an unknown key is HOST_KEY_UNKNOWN with its SHA256
 * fingerprint for the user to confirm, a changed key is HOST_KEY_CHANGED. Nothing is accepted silently.
 */
export async function fetchEvidenceOverSsh(t: SshTarget, o: SshFetchOptions): Promise<Uint8Array> {
  const privateKey = t.identityFile ? Buffer.from(await readInput(t.identityFile, 'identity file', { limit: 1024 * 1024 })) : undefined;
  const agent = privateKey ? undefined : process.env.SSH_AUTH_SOCK;
  if (!privateKey && !agent) throw new TeeError('USAGE_ERROR', 'no --identity file and no ssh-agent (SSH_AUTH_SOCK) to authenticate with');
  const nonceHex = o.nonce ? toHex(o.nonce) : '';
  const env = Object.entries(o.env ?? {})
    .map(([k, v]) => `${k}=${shellQuote(v)} `)
    .join('');
  // Run with sh (a login shell of any kind can start it), under the watchdog that stops it when we hang up.
  const command = o.collector
    ? `${env}sh -c ${shellQuote(CUSTOM_COLLECTOR)} sh ${shellQuote(o.collector.replaceAll('{nonce}', nonceHex))}`
    : `${env}sh -c ${shellQuote(WATCHDOG + TSM_COLLECTOR.replaceAll('{nonce}', nonceHex))}`;
  const max = o.maxBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const conn = new Client();
    let hostKeyProblem: TeeError | undefined;
    let channel: ClientChannel | undefined;
    let settled = false;
    const finish = (err: TeeError | undefined, out?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err && channel) stopRemote(channel);
      conn.end();
      if (err) reject(err);
      else resolve(out!);
    };
    const timer = setTimeout(
      () => finish(new TeeError('FETCH_FAILED', `ssh ${t.host}:${t.port}: no evidence within ${o.timeoutMs ?? 30_000} ms`)),
      o.timeoutMs ?? 30_000,
    );
    const onAbort = () => finish(new TeeError('CANCELLED', `ssh ${t.host}:${t.port}: cancelled`));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    conn.on('ready', () => {
      conn.exec(command, (err, stream) => {
        if (err) return finish(new TeeError('FETCH_FAILED', `ssh ${t.host}: cannot run the collector: ${escapeControls(err.message)}`));
        channel = stream;
        if (settled) return stopRemote(stream);
        const chunks: Buffer[] = [];
        const errChunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) finish(new TeeError('FETCH_FAILED', `ssh ${t.host}: the collector printed more than ${max} bytes`));
          else chunks.push(c);
        });
        stream.stderr.on('data', (c: Buffer) => errChunks.length < 64 && errChunks.push(c));
        stream.on('close', (code: number | null) => {
          if (code !== 0)
            return finish(
              new TeeError(
                'FETCH_FAILED',
                `ssh ${t.host}: the collector exited with ${code}: ${escapeControls(Buffer.concat(errChunks).toString('utf8').trim().slice(0, 300), { multiline: true })}`,
              ),
            );
          const b = Buffer.concat(chunks);
          finish(undefined, new Uint8Array(b.buffer, b.byteOffset, b.length));
        });
      });
    });
    conn.on('error', (e) => finish(hostKeyProblem ?? new TeeError('FETCH_FAILED', `ssh ${t.host}:${t.port}: ${escapeControls(e.message)}`)));
    try {
      conn.connect({
        host: t.host,
        port: t.port,
        username: t.user,
        ...(privateKey ? { privateKey, ...(t.passphrase ? { passphrase: t.passphrase } : {}) } : { agent }),
        readyTimeout: o.timeoutMs ?? 30_000,
        hostVerifier: (key: Buffer) => {
          const fp = fingerprint(key);
          const verdict = o.knownHosts.check(t.host, t.port, key);
          if (verdict === 'known') return true;
          hostKeyProblem =
            verdict === 'unknown'
              ? new TeeError(
                  'HOST_KEY_UNKNOWN',
                  `ssh ${t.host}:${t.port} presented an unknown host key ${fp}. Confirm this fingerprint with the host's administrator, then trust it.`,
                  { host: t.host, port: t.port, fingerprint: fp },
                )
              : o.knownHosts.pinned(t.host, t.port).length === 0
                ? new TeeError(
                    'HOST_KEY_CHANGED',
                    `ssh ${t.host}:${t.port} presented host key ${fp}, not the one given with --trust-host-key or listed in --known-hosts: refused (a mistyped fingerprint, or a man-in-the-middle); nothing was pinned.`,
                    { host: t.host, port: t.port, fingerprint: fp },
                  )
                : new TeeError(
                    'HOST_KEY_CHANGED',
                    `ssh ${t.host}:${t.port} presented host key ${fp}, which differs from the pinned key: refused (possible man-in-the-middle). If the host's key really was replaced, confirm the new fingerprint with its administrator, remove the old pin (\`tee-inspect hosts unpin ${hostId(t.host, t.port)}\`), then pin the new one.`,
                    { host: t.host, port: t.port, fingerprint: fp },
                  );
          return false;
        },
      });
    } catch (e) {
      // ssh2 throws at once for a key it cannot use (encrypted without a passphrase, unknown format).
      const msg = escapeControls((e as Error).message);
      finish(
        new TeeError(
          'FETCH_FAILED',
          `ssh ${t.host}: cannot use the identity ${t.identityFile ?? '(agent)'}: ${msg}${/passphrase/i.test(msg) ? " (give the key's passphrase)" : ''}`,
        ),
      );
    }
  });
}

/**
 * Timeout or cancel: the collector must not run on. Closing the channel ends its stdin, which the
 * watchdog (collector.ts) takes as the order to stop it; KILL also reaches the session's processes where
 * sshd accepts signal requests (not for root logins).
 */
function stopRemote(channel: ClientChannel): void {
  try {
    channel.signal('KILL');
    channel.close();
  } catch {
    // the channel is already gone: nothing runs there any more
  }
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
