import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer } from '../../main/server/browser-server.js';
import type { BrowserServer } from '../../main/server/browser-server.js';
import type { ServerLimits } from '../../main/server/limits.js';

/**
 * Browser mode's limits, with raw HTTP/1.1 over sockets (node's own client refuses to send most of these):
 * oversized bodies, malformed paths, slow headers and bodies, and a flood of connections.
 */
interface RawReply {
  status: number;
  head: string;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

const servers: BrowserServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

function socket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Writes `parts` (`gapMs` apart), then reads until the server closes or `waitMs` passes. */
async function raw(port: number, parts: (string | Buffer)[], o: { gapMs?: number; waitMs?: number } = {}): Promise<RawReply> {
  const t0 = performance.now();
  const s = await socket(port);
  let text = '';
  let closed = false;
  s.on('data', (c: Buffer) => (text += c.toString('latin1')));
  s.on('error', () => undefined);
  const done = new Promise<void>((resolve) => s.on('close', () => ((closed = true), resolve())));
  for (const [i, p] of parts.entries()) {
    if (i > 0 && o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
    if (s.destroyed) break;
    s.write(p);
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, o.waitMs ?? 3000))]);
  s.destroy();
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4), closed, ms: performance.now() - t0 };
}

/** A server over an echoing dispatcher, signed in once through its launch link. */
async function signedIn(limits: Partial<ServerLimits> = {}): Promise<{ port: number; host: string; cookie: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tee-limits-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title><div id="root"></div>');
  const server = await startBrowserServer({ port: 0, staticDir: dir, limits, dispatch: async (method, payload) => ({ method, payload }) });
  servers.push(server);
  const host = `127.0.0.1:${server.port}`;
  const launch = new URL(server.url);
  const r = await raw(server.port, [`GET ${launch.pathname}${launch.search} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
  const cookie = /^set-cookie: ([^;\r\n]+)/im.exec(r.head)?.[1];
  assert.equal(r.status, 303, r.head);
  return { port: server.port, host, cookie: cookie! };
}

const apiHead = (host: string, cookie: string, extra: string) =>
  `POST /api/appInfo HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\n${extra}\r\n`;

test('an oversized body is a clean 413 JSON error and the connection is closed: by its declared length, and as it grows', async () => {
  const { port, host, cookie } = await signedIn({ bodyBytes: 1024 });
  const declared = await raw(port, [apiHead(host, cookie, 'Content-Length: 50000000\r\n'), 'x'.repeat(2000)]);
  assert.equal(declared.status, 413, declared.head);
  assert.match(declared.head, /connection: close/i);
  assert.equal(JSON.parse(declared.body).error.code, 'PAYLOAD_TOO_LARGE');
  assert.match(JSON.parse(declared.body).error.message, /larger than 1024 bytes/);
  assert.equal(declared.closed, true);
  const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`;
  const grown = await raw(port, [apiHead(host, cookie, 'Transfer-Encoding: chunked\r\n'), chunk('"' + 'y'.repeat(700)), chunk('z'.repeat(700)), '0\r\n\r\n'], {
    gapMs: 50,
  });
  assert.equal(grown.status, 413, grown.head);
  assert.equal(JSON.parse(grown.body).error.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(grown.closed, true);
  const fits = await raw(port, [apiHead(host, cookie, 'Content-Length: 2\r\nConnection: close\r\n') + '{}']);
  assert.equal(fits.status, 200, 'a body within the limit is served');
});

test('malformed paths are 400 before any routing: bad %-escapes, dot segments, NUL, backslashes, encoded slashes, absolute forms', async () => {
  const { port, host } = await signedIn();
  const paths = [
    '/%zz',
    '/assets/%E0%A4%A',
    '/..',
    '/a/../index.html',
    '/%2e%2e/etc/passwd',
    '/%00',
    '/a%2fb',
    '/a%5cb',
    '/a\\b',
    '//evil.example/x',
    'http://evil.example/',
  ];
  for (const path of paths) {
    const r = await raw(port, [`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    assert.equal(r.status, 400, `${path}: ${r.head}`);
    if (r.body.startsWith('{')) assert.equal(JSON.parse(r.body).error.code, 'BAD_REQUEST', path);
    assert.equal(r.closed, true, `${path}: the connection is closed`);
  }
  const nul = await raw(port, [Buffer.from(`GET /a\u0000b HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'latin1')]);
  assert.equal(nul.status, 400, 'a raw NUL is refused by the parser');
  assert.equal((await raw(port, [`GET /index.html HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`])).status, 200);
});

test('headers that never finish are cut off (408) after the header timeout', async () => {
  const { port, host } = await signedIn({ headersMs: 300, requestMs: 5000, checkEveryMs: 100 });
  const r = await raw(port, [`GET / HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: 1\r\n'], { gapMs: 100, waitMs: 3000 });
  assert.equal(r.status, 408, r.head);
  assert.equal(r.closed, true);
  assert.ok(r.ms < 1500, `closed after ${Math.round(r.ms)} ms`);
});

test('a body that stalls is refused: our body timeout (408 JSON), and node request timeout behind it', async () => {
  const ours = await signedIn({ bodyMs: 300, requestMs: 10_000, checkEveryMs: 100 });
  const stalled = await raw(ours.port, [apiHead(ours.host, ours.cookie, 'Content-Length: 100\r\n'), '{"a":'], { waitMs: 3000 });
  assert.equal(stalled.status, 408, stalled.head);
  assert.equal(JSON.parse(stalled.body).error.code, 'REQUEST_TIMEOUT');
  assert.equal(stalled.closed, true);
  assert.ok(stalled.ms < 1500, `closed after ${Math.round(stalled.ms)} ms`);
  const node = await signedIn({ bodyMs: 10_000, requestMs: 400, headersMs: 300, checkEveryMs: 100 });
  const trickle = await raw(node.port, [apiHead(node.host, node.cookie, 'Content-Length: 100\r\n'), '{', '"', 'a'], { gapMs: 150, waitMs: 3000 });
  assert.equal(trickle.status, 408, trickle.head);
  assert.equal(trickle.closed, true);
  assert.ok(trickle.ms < 2000, `closed after ${Math.round(trickle.ms)} ms`);
});

test('connections past the cap are dropped; once one closes, a new one is served', async () => {
  const { port, host } = await signedIn({ connections: 3, headersMs: 5000, requestMs: 10_000 });
  await new Promise((r) => setTimeout(r, 50)); // the sign-in socket is gone
  const held = await Promise.all([socket(port), socket(port), socket(port)]);
  await new Promise((r) => setTimeout(r, 50));
  const over = await raw(port, [`GET /index.html HTTP/1.1\r\nHost: ${host}\r\n\r\n`], { waitMs: 1500 });
  assert.equal(over.status, 0, 'no answer past the cap');
  assert.equal(over.closed, true, 'the fourth connection is closed at once');
  held.pop()!.destroy();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await raw(port, [`GET /index.html HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`])).status, 200);
  held.forEach((s) => s.destroy());
});
