import { TeeError } from '../errors.js';

/**
 * Where evidence comes from: a VM reached over SSH (a collector runs there) or an HTTPS endpoint spoken
 * to through an adapter. Targets are written as URLs (`ssh://USER@HOST[:PORT]`, `https://…`) in the CLI
 * and in targets files, so one parser serves `verify`, `fleet verify` and the app.
 */
export const HTTPS_ADAPTERS = ['coco-aa', 'dstack', 'template'] as const;
export type HttpsAdapter = (typeof HTTPS_ADAPTERS)[number];

export interface SshSource {
  kind: 'ssh';
  host: string;
  port: number;
  user: string;
  /** A private key file; without one, ssh-agent. */
  identityFile?: string;
  /** The target's own collector command (`{nonce}` becomes the nonce as hex); default configfs-tsm. */
  collector?: string;
}

export interface HttpsSource {
  kind: 'https';
  /** For `template`, may hold `{nonce}` (hex); for the others, the agent's base URL. */
  url: string;
  adapter: HttpsAdapter;
}

export type EvidenceSource = SshSource | HttpsSource;

export interface SourceOptions {
  adapter?: string;
  identityFile?: string;
  collector?: string;
}

/** `ssh://USER@HOST[:PORT]` or `https://…` (with an adapter) into a source; anything else is a USAGE_ERROR. */
export function parseSourceUrl(text: string, o: SourceOptions = {}): EvidenceSource {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new TeeError('USAGE_ERROR', `"${text}" is not a URL: expected ssh://USER@HOST[:PORT] or https://HOST/…`);
  }
  if (u.protocol === 'ssh:') return sshSource(u, text, o);
  if (u.protocol === 'https:') return httpsSource(u, text, o);
  if (u.protocol === 'http:')
    throw new TeeError('USAGE_ERROR', `${text}: plain http is refused (evidence and its nonce would travel unprotected); use https://`);
  throw new TeeError('USAGE_ERROR', `${text}: unsupported scheme "${u.protocol}"; expected ssh:// or https://`);
}

function sshSource(u: URL, text: string, o: SourceOptions): SshSource {
  if (!u.hostname || !u.username) throw new TeeError('USAGE_ERROR', `expected ssh://USER@HOST[:PORT], not ${text}`);
  if (u.password) throw new TeeError('USAGE_ERROR', `${text}: passwords in URLs are refused; use a key file or ssh-agent`);
  if (o.adapter !== undefined) throw new TeeError('USAGE_ERROR', `--adapter goes with an https:// target, not ${text}`);
  return {
    kind: 'ssh',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 22,
    user: decodeURIComponent(u.username),
    ...(o.identityFile ? { identityFile: o.identityFile } : {}),
    ...(o.collector ? { collector: o.collector } : {}),
  };
}

function httpsSource(u: URL, text: string, o: SourceOptions): HttpsSource {
  if (u.username || u.password) throw new TeeError('USAGE_ERROR', `${text}: credentials in URLs are refused`);
  if (o.identityFile || o.collector) throw new TeeError('USAGE_ERROR', `--identity and --collector go with an ssh:// target, not ${text}`);
  const adapter = o.adapter ?? (text.includes('{nonce}') ? 'template' : undefined);
  if (adapter === undefined)
    throw new TeeError('USAGE_ERROR', `${text}: name the endpoint's protocol with --adapter ${HTTPS_ADAPTERS.join('|')} (a URL holding {nonce} is a template)`);
  if (!(HTTPS_ADAPTERS as readonly string[]).includes(adapter))
    throw new TeeError('USAGE_ERROR', `--adapter must be one of ${HTTPS_ADAPTERS.join(', ')}, not "${adapter}"`);
  if (adapter === 'template' && !text.includes('{nonce}'))
    throw new TeeError('USAGE_ERROR', `${text}: a template URL must hold {nonce} where the verifier's fresh nonce (hex) goes`);
  return { kind: 'https', url: text, adapter: adapter as HttpsAdapter };
}

/** A short, stable label for a source (host key store ids, history files, progress lines). */
export function sourceLabel(s: EvidenceSource): string {
  if (s.kind === 'ssh') return `ssh://${s.user}@${s.host.includes(':') ? `[${s.host}]` : s.host}${s.port === 22 ? '' : `:${s.port}`}`;
  return s.url;
}
