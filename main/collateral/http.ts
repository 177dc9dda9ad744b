import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { TeeError } from '../../app/errors.js';

export interface HttpOptions {
  /** Extra trust anchors (PEM), e.g. a PCCS's own CA, added to the system's; TLS verification stays on. */
  ca?: string;
  timeoutMs?: number;
  maxBytes?: number;
  retries?: number;
  /** The longest wait a Retry-After may ask for before a retry (default 2 s). */
  maxRetryWaitMs?: number;
  /** Request headers (e.g. Authorization); dropped on a redirect to another origin. */
  headers?: Record<string, string>;
  /** Redirects followed (https only); 0 = a redirect is an error. */
  maxRedirects?: number;
  /** Aborts the request: CANCELLED. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
}

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 8 * 1024 * 1024, retries: 3, maxRedirects: 0, maxRetryWaitMs: 2000 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET over HTTPS with bounded size, time and redirects; 429 and 503 are retried with backoff (Retry-After
 * honoured, capped); every failure is a FETCH_FAILED TeeError that says what to do.
 */
export async function httpsGet(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  const o = { ...DEFAULTS, ...opts };
  let headers = o.headers ?? {};
  let redirects = 0;
  for (let attempt = 0; ; attempt++) {
    guardLoopback(url);
    const res = await once(url, headers, o);
    if ((res.status === 429 || res.status === 503) && attempt < o.retries) {
      const after = Number(res.headers['retry-after']);
      await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(after) ? after * 1000 : 250 * 2 ** attempt, o.maxRetryWaitMs)));
      continue;
    }
    if (REDIRECTS.has(res.status)) {
      const next = redirectTarget(url, res.headers.location, redirects++, o.maxRedirects);
      // Credentials are for the origin the user named, never for wherever it points.
      if (new URL(next).origin !== new URL(url).origin) headers = withoutCredentials(headers);
      url = next;
      attempt = -1;
      continue;
    }
    if (res.status === 404)
      throw new TeeError('FETCH_FAILED', `${url}: 404 Not Found (the service has no such item: check the FMSPC, CA or product in the URL)`, {
        url,
        status: 404,
      });
    if (res.status === 429)
      throw new TeeError('FETCH_FAILED', `${url}: 429 Too Many Requests after ${o.retries} retries; try again later`, { url, status: 429 });
    if (res.status !== 200) throw new TeeError('FETCH_FAILED', `${url}: HTTP ${res.status}${bodyHint(res.body)}`, { url, status: res.status });
    return res;
  }
}

// The test suite sets this so that no test can reach beyond loopback, even by mistake or by a redirect.
function guardLoopback(url: string): void {
  if (process.env.TEE_INSPECT_LOOPBACK_ONLY && !/^https:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(url)) {
    throw new TeeError('FETCH_FAILED', `${url}: network access beyond loopback is disabled (TEE_INSPECT_LOOPBACK_ONLY)`, { url });
  }
}

function redirectTarget(from: string, location: string | undefined, count: number, max: number): string {
  if (max === 0)
    throw new TeeError(
      'FETCH_FAILED',
      `${from}: the server redirects${location ? ` to ${location.slice(0, 200)}` : ''}; redirects are not followed here: use the final URL`,
      { url: from },
    );
  if (count >= max) throw new TeeError('FETCH_FAILED', `${from}: more than ${max} redirects`, { url: from });
  let next: URL;
  try {
    next = new URL(location ?? '', from);
  } catch {
    throw new TeeError('FETCH_FAILED', `${from}: redirect to an invalid location`, { url: from });
  }
  if (!location || next.protocol !== 'https:')
    throw new TeeError('FETCH_FAILED', `${from}: redirect to ${next.href.slice(0, 200)} refused (only https:// is followed)`, { url: from });
  return next.href;
}

function withoutCredentials(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())));
}

/** A server's error text helps (an agent says why it failed), but only a short, printable piece of it. */
function bodyHint(body: Uint8Array): string {
  const text = new TextDecoder()
    .decode(body.subarray(0, 300))
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim();
  return text ? `: ${text.slice(0, 200)}` : '';
}

const anchors = new Map<string, string[]>();

/**
 * `--ca-file` adds its CA to the system trust store rather than replacing it (as Node's `ca` option alone
 * would): a PCCS with a private CA and Intel PCS both verify. The system store is Node's as it would be
 * without `ca`: its bundled roots plus NODE_EXTRA_CA_CERTS.
 */
function trustAnchors(ca: string): string[] {
  let list = anchors.get(ca);
  if (!list) {
    list = [...rootCertificates, ...extraCaCerts(), ca];
    anchors.set(ca, list);
  }
  return list;
}

function extraCaCerts(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return []; // Node itself only warns about an unreadable file, and so trusts none of it
  }
}

function once(url: string, headers: Record<string, string>, o: typeof DEFAULTS & HttpOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) =>
      reject(o.signal?.aborted ? new TeeError('CANCELLED', `${url}: cancelled`, { url }) : new TeeError('FETCH_FAILED', `${url}: ${message}`, { url }));
    const req = request(
      url,
      {
        method: 'GET',
        timeout: o.timeoutMs,
        ...(o.ca ? { ca: trustAnchors(o.ca) } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        headers: { accept: '*/*', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > o.maxBytes) {
            req.destroy();
            fail(`response larger than ${o.maxBytes} bytes`);
          } else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out[k.toLowerCase()] = v;
          const b = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: out, body: new Uint8Array(b.buffer, b.byteOffset, b.length), url });
        });
        res.on('error', (e) => fail(e.message));
      },
    );
    // A whole-request deadline as well as the socket idle timeout: a server dribbling bytes cannot hold us.
    const deadline = setTimeout(() => (req.destroy(), fail(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => (req.destroy(), fail(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', (e) => fail((e as NodeJS.ErrnoException).code ?? e.message));
    req.end();
  });
}
