import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorBody } from '../api/errors.js';
import { isApiMethod } from '../api/schema.js';
import type { ApiMethod } from '../api/schema.js';
import { COMMON_HEADERS, PAGE_CSP, refuseReason } from './security.js';
import { LAUNCH_PATH, SessionGate, launchSecret } from './session.js';
import { parseRequestPath } from './request-path.js';
import { DEFAULT_LIMITS, HttpRefusal, readBody } from './limits.js';
import type { ServerLimits } from './limits.js';
import { USED_LAUNCH, sendPage } from './pages.js';

export interface BrowserServer {
  /** The one-time launch URL (printed, and given to the system's opener): its first use signs that browser in; it is dead after. */
  url: string;
  /** The app's address, holding no secret: it works in a browser that already has the session cookie. */
  origin: string;
  port: number;
  /** Another one-time launch URL (a second browser, tests); each works once. */
  newLaunchUrl(): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  staticDir?: string;
  dispatch(method: ApiMethod, payload: unknown): Promise<unknown>;
  limits?: Partial<ServerLimits>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

type ErrorReply = { status: number; code: string; message: string; close?: boolean };

/**
 * Browser mode: the renderer and the same API as IPC, on 127.0.0.1 only. Every request must carry our Host and
 * no foreign Origin; every API call the session cookie that the one-time launch URL gave this browser.
 */
export async function startBrowserServer(opts: ServerOptions): Promise<BrowserServer> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const staticDir = opts.staticDir ?? findRendererDir();
  let port = 0;
  let gate = new SessionGate(0);
  const server = createServer(
    { headersTimeout: limits.headersMs, requestTimeout: limits.requestMs, connectionsCheckingInterval: limits.checkEveryMs },
    (req, res) => {
      handle(req, res).catch((e) => fail(res, { status: 500, code: 'INTERNAL_ERROR', message: String((e as Error)?.message ?? e) }));
    },
  );
  server.maxConnections = limits.connections;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refuseReason(req, port);
    if (refused) return fail(res, { status: 403, code: 'FORBIDDEN', message: `refused: ${refused}` });
    const target = parseRequestPath(req.url);
    if ('error' in target) return fail(res, { status: 400, code: 'BAD_REQUEST', message: target.error, close: true });
    if (target.path === LAUNCH_PATH) return launch(req, res, target.query);
    if (target.path.startsWith('/api/')) return api(req, res, target.path.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, { status: 405, code: 'METHOD', message: 'method not allowed' });
    return serveStatic(res, target.path === '/' ? '/index.html' : target.path);
  }

  /** The one-time secret becomes this browser's session cookie, and the address bar loses the secret (303 to /). */
  function launch(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    if (req.method !== 'GET') return fail(res, { status: 405, code: 'METHOD', message: 'the launch link is opened with GET' });
    const secret = launchSecret(query);
    const cookie = secret ? gate.redeem(secret) : undefined;
    if (!cookie) return sendPage(res, 403, 'This link has already been used', USED_LAUNCH);
    res.writeHead(303, { ...COMMON_HEADERS, 'Set-Cookie': cookie, Location: '/', 'Cache-Control': 'no-store', 'Content-Length': 0 });
    res.end();
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return fail(res, { status: 405, code: 'METHOD', message: 'API calls are POST' });
    if (!gate.admits(req))
      return fail(res, {
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'this browser has no TEE Inspector session: open the link that tee-inspect serve printed (each link works once)',
      });
    if (!isApiMethod(method)) return fail(res, { status: 404, code: 'NOT_FOUND', message: `no API method ${method}` });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return fail(res, { status: 415, code: 'USAGE_ERROR', message: 'API bodies are application/json' });
    let body: string;
    try {
      body = await readBody(req, limits);
    } catch (e) {
      if (e instanceof HttpRefusal) return fail(res, { status: e.status, code: e.code, message: e.message, close: true });
      throw e;
    }
    try {
      const value = await opts.dispatch(method, body.length ? JSON.parse(body) : undefined);
      send(res, 200, { ok: true, value });
    } catch (e) {
      send(res, 400, { ok: false, error: errorBody(e) });
    }
  }

  async function serveStatic(res: ServerResponse, path: string): Promise<void> {
    const full = normalize(join(staticDir, path));
    if (!full.startsWith(staticDir + sep) && full !== staticDir) return fail(res, { status: 404, code: 'NOT_FOUND', message: 'not found' });
    let data: Buffer;
    try {
      data = await readFile(full);
    } catch {
      return fail(res, { status: 404, code: 'NOT_FOUND', message: `not found: ${path}` });
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
  gate = new SessionGate(port);
  const origin = `http://127.0.0.1:${port}/`;
  const newLaunchUrl = () => `${origin}${LAUNCH_PATH.slice(1)}?once=${gate.newLaunch()}`;
  return {
    url: newLaunchUrl(),
    origin,
    port,
    newLaunchUrl,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A typed JSON error; `close` ends the connection after it (a body left unread, a malformed request). */
function fail(res: ServerResponse, e: ErrorReply): void {
  if (res.headersSent) return void res.destroy();
  send(res, e.status, { ok: false, error: { code: e.code, message: e.message } }, e.close);
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

/** The built renderer: dist/renderer beside the compiled server, or under the repo when running from source (never the unbuilt sources). */
export function findRendererDir(): string {
  // A build elsewhere (vite's TEE_RENDERER_OUT): parallel work trees and test runs do not share dist/.
  const own = process.env.TEE_RENDERER_OUT;
  if (own) return own.replace(/\/$/, '');
  const candidates = ['../../dist/renderer/', '../../renderer/'].map((p) => fileURLToPath(new URL(p, import.meta.url)).replace(/\/$/, ''));
  return candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'assets'))) ?? candidates[0]!;
}
