import fs from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_INDEX_PATH, appUrl } from './app-origin.js';
import { APP_RESPONSE_HEADERS } from './csp.js';

/**
 * The app:// handler: serves files of the packaged renderer folder and nothing else. Decisions are pure
 * (resolveAppPath) or take their file system as a parameter (serveAppRequest), so both run under plain Node.
 */

/** The types the renderer build emits; anything else is refused rather than sniffed. */
export const APP_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type Resolved = { ok: true; path: string; mime: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const refuse = (status: 400 | 403 | 404, reason: string): Resolved => ({ ok: false, status, reason });

/** True when `path` is `root` itself or inside it (both absolute and normalised); a sibling such as `renderer-evil` is not. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The file an app:// URL names inside `root`, or why it is refused. Encoded separators, backslashes, NUL,
 * drive or stream colons and dot segments are refused outright instead of being normalised away: no request
 * the renderer makes needs them, so one that carries them is not ours.
 */
export function resolveAppPath(url: string, root: string): Resolved {
  const u = appUrl(url);
  if (!u) return refuse(403, 'not the app origin');
  const raw = u.pathname;
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) return refuse(400, 'encoded separator or NUL in path');
  let path: string;
  try {
    path = decodeURIComponent(raw === '/' || raw === '' ? APP_INDEX_PATH : raw);
  } catch {
    return refuse(400, 'malformed percent-encoding');
  }
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..' || s === '' || s.includes(':') || s.includes('\0'))) return refuse(400, 'dot, empty or colon path segment');
  const full = resolve(root, ...segments);
  if (!isInside(root, full) || full === root) return refuse(403, 'outside the renderer folder');
  const mime = APP_MIME_TYPES[extname(full).toLowerCase()];
  if (!mime) return refuse(404, `no served type for ${extname(full) || 'an extensionless name'}`);
  return { ok: true, path: full, mime };
}

/** The file system the handler needs: realpath (symlinks resolved) and a whole-file read. */
export interface AppFiles {
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
}

/**
 * The real file system, through the `fs` module object at call time: in Electron that object is the one patched
 * to read inside app.asar (realpath and readFile included), which named ESM bindings may not be.
 */
export function nodeAppFiles(): AppFiles {
  return {
    realpath: (path) => new Promise((ok, fail) => fs.realpath(path, (err, real) => (err ? fail(err) : ok(real)))),
    readFile: (path) => new Promise((ok, fail) => fs.readFile(path, (err, data) => (err ? fail(err) : ok(data)))),
  };
}

/**
 * The renderer folder of a packaged app: dist/renderer beside the compiled main (dist/main/electron/main.js),
 * inside app.asar. Never an environment variable: the app:// origin is what IPC trusts, so what it serves is fixed.
 */
export function packagedRendererDir(mainModuleUrl: string): string {
  return fileURLToPath(new URL('../../renderer', mainModuleUrl));
}

function response(status: number, body: Uint8Array | string, type: string): Response {
  // A copy into a plain ArrayBuffer: Response accepts it on every Node and Electron version.
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return new Response(bytes.slice().buffer, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': type } });
}

/**
 * Serves one app:// request from `root` (itself already a real path). After the lexical check, the real path
 * is checked again, so a symlink inside the folder cannot lead out of it. Only GET and HEAD are served.
 */
export async function serveAppRequest(request: Request, root: string, files: AppFiles, log: (line: string) => void = () => {}): Promise<Response> {
  const refused = (status: number, reason: string) => {
    log(`app:// refused ${request.method} ${request.url}: ${reason}`);
    return response(status, `${status} ${reason}\n`, 'text/plain; charset=utf-8');
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return refused(405, 'method not allowed');
  const r = resolveAppPath(request.url, root);
  if (!r.ok) return refused(r.status, r.reason);
  let real: string;
  try {
    real = await files.realpath(r.path);
  } catch {
    return refused(404, 'not found');
  }
  if (!isInside(root, real) || real === root) return refused(403, 'resolves outside the renderer folder');
  let body: Uint8Array;
  try {
    body = await files.readFile(real);
  } catch {
    return refused(404, 'not readable');
  }
  return response(200, request.method === 'HEAD' ? new Uint8Array() : body, r.mime);
}
