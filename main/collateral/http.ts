import { request } from 'node:https';
import { TeeError } from '../../app/errors.js';

export interface HttpOptions {
  /** Extra trust anchors (PEM), e.g. a PCCS's own CA; TLS verification stays on. */
  ca?: string;
  timeoutMs?: number;
  maxBytes?: number;
  retries?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 8 * 1024 * 1024, retries: 3 };

/**
 * GET over HTTPS with bounded size and time; 429 and 503 are retried with backoff (Retry-After honoured,
 * capped); every failure is a FETCH_FAILED TeeError that says what to do.
 */
export async function httpsGet(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  const o = { ...DEFAULTS, ...opts };
  // The test suite sets this so that no test can reach beyond loopback, even by mistake.
  if (process.env.TEE_INSPECT_LOOPBACK_ONLY && !/^https:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(url)) {
    throw new TeeError('FETCH_FAILED', `${url}: network access beyond loopback is disabled (TEE_INSPECT_LOOPBACK_ONLY)`, { url });
  }
  for (let attempt = 0; ; attempt++) {
    const res = await once(url, o);
    if ((res.status === 429 || res.status === 503) && attempt < o.retries) {
      const after = Number(res.headers['retry-after']);
      await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(after) ? after * 1000 : 250 * 2 ** attempt, 2000)));
      continue;
    }
    if (res.status === 404) throw new TeeError('FETCH_FAILED', `${url}: 404 Not Found (the service has no such item: check the FMSPC, CA or product in the URL)`, { url, status: 404 });
    if (res.status === 429) throw new TeeError('FETCH_FAILED', `${url}: 429 Too Many Requests after ${o.retries} retries; try again later`, { url, status: 429 });
    if (res.status !== 200) throw new TeeError('FETCH_FAILED', `${url}: HTTP ${res.status}`, { url, status: res.status });
    return res;
  }
}

function once(url: string, o: typeof DEFAULTS & HttpOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new TeeError('FETCH_FAILED', `${url}: ${message}`, { url }));
    const req = request(url, { method: 'GET', timeout: o.timeoutMs, ...(o.ca ? { ca: o.ca } : {}), headers: { accept: '*/*' } }, (res) => {
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
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers, body: new Uint8Array(b.buffer, b.byteOffset, b.length) });
      });
      res.on('error', (e) => fail(e.message));
    });
    req.on('timeout', () => (req.destroy(), fail(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', (e) => fail((e as NodeJS.ErrnoException).code ?? e.message));
    req.end();
  });
}
