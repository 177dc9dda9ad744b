import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorBody } from '../api/errors.js';
import { isApiMethod } from '../api/schema.js';
import type { ApiMethod } from '../api/schema.js';
import { COMMON_HEADERS, PAGE_CSP, refuseReason, tokenMatches } from './security.js';

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  staticDir?: string;
  dispatch(method: ApiMethod, payload: unknown): Promise<unknown>;
}

const MAX_BODY = 48 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Browser mode: the renderer and the same API as IPC, on 127.0.0.1 only, behind a per-session token. */
export async function startBrowserServer(opts: ServerOptions): Promise<BrowserServer> {
  const token = randomBytes(32).toString('hex');
  const staticDir = opts.staticDir ?? findRendererDir();
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { ok: false, error: { code: 'INTERNAL', message: String((e as Error)?.message ?? e) } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refuseReason(req, port);
    if (refused) return send(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: `refused: ${refused}` } });
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/api/')) return api(req, res, path.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'METHOD', message: 'method not allowed' } });
    return serveStatic(res, path === '/' ? '/index.html' : path);
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'METHOD', message: 'API calls are POST' } });
    if (!tokenMatches(req, token)) return send(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'missing or wrong session token' } });
    if (!isApiMethod(method)) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API method ${method}` } });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return send(res, 415, { ok: false, error: { code: 'USAGE_ERROR', message: 'API bodies are application/json' } });
    try {
      const body = await readBody(req);
      const value = await opts.dispatch(method, body.length ? JSON.parse(body) : undefined);
      send(res, 200, { ok: true, value });
    } catch (e) {
      send(res, 400, { ok: false, error: errorBody(e) });
    }
  }

  async function serveStatic(res: ServerResponse, path: string): Promise<void> {
    const full = normalize(join(staticDir, decodeURIComponent(path)));
    if (!full.startsWith(staticDir + sep) && full !== staticDir) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'not found' } });
    let data: Buffer;
    try {
      data = await readFile(full);
    } catch {
      return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `not found: ${path}` } });
    }
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream',
      'Content-Security-Policy': PAGE_CSP,
      'Cache-Control': 'no-cache',
    });
    res.end(data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The built renderer: dist/renderer beside the compiled server, or under the repo when running from source (never the unbuilt sources). */
export function findRendererDir(): string {
  const candidates = ['../../dist/renderer/', '../../renderer/'].map((p) => fileURLToPath(new URL(p, import.meta.url)).replace(/\/$/, ''));
  return candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'assets'))) ?? candidates[0]!;
}
