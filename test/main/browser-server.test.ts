import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer } from '../../main/server/browser-server.js';
import type { BrowserServer } from '../../main/server/browser-server.js';
import { createApi } from '../../main/api/handlers.js';
import { tempApiOptions } from '../support/api-options.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { readFileSync } from 'node:fs';

let server: BrowserServer;
let cookie = '';
const dir = mkdtempSync(join(tmpdir(), 'tee-static-'));

before(async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>TEE Inspector</title>');
  server = await startBrowserServer({
    port: 0,
    staticDir: dir,
    dispatch: createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions()).dispatch,
  });
  const launch = new URL(server.url);
  const signedIn = await call(launch.pathname + launch.search);
  cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
});
after(() => server.close());

function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json' };
const auth = () => ({ ...json, cookie });

test('prints a loopback launch URL with a 64-hex-digit one-time secret', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/launch\?once=[0-9a-f]{64}$/);
  assert.match(cookie, /^tee_session_\d+=[0-9a-f]{64}$/);
});

test('the launch link works once: a session cookie (HttpOnly, SameSite=Strict, Path=/) and a redirect; its reuse is a 403 page', async () => {
  const launch = new URL(server.newLaunchUrl());
  const path = launch.pathname + launch.search;
  const foreign = await call(path, { headers: { host: 'evil.example' } });
  assert.equal(foreign.status, 403, 'a foreign Host is refused before the link is looked at');
  const first = await call(path);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/', 'the secret leaves the address bar');
  const set = String(first.headers['set-cookie']);
  assert.match(set, /^tee_session_\d+=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
  assert.ok(!set.includes(launch.searchParams.get('once')!), 'the cookie is not the launch secret');
  const again = await call(path);
  assert.equal(again.status, 403);
  assert.match(String(again.headers['content-type']), /text\/html/);
  assert.match(again.body, /already been used/);
  assert.equal(again.headers['set-cookie'], undefined, 'a second use grants nothing');
  assert.equal((await call('/launch?once=' + 'a'.repeat(64))).status, 403, 'a made-up secret');
  assert.equal((await call('/launch')).status, 403);
  assert.equal((await call(path, { method: 'POST', headers: json, body: '{}' })).status, 405);
  const own = set.split(';')[0]!;
  const ok = await call('/api/appInfo', { method: 'POST', headers: { ...json, cookie: own }, body: '{}' });
  assert.equal(ok.status, 200, 'the new session works');
});

test('serves the page with a strict CSP and no CORS', async () => {
  const r = await call('/');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(r.headers['access-control-allow-origin'], undefined);
  assert.equal(r.headers['x-frame-options'], 'DENY');
});

test('a foreign Host header is refused, the page itself included (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.2:${server.port}`]) {
    assert.equal((await call('/', { headers: { host } })).status, 403, host);
    assert.equal(
      (await call('/api/appInfo', { method: 'POST', headers: { ...auth(), host }, body: '{}' })).status,
      403,
      `${host}: refused although the cookie is good`,
    );
  }
  assert.equal((await call('/', { headers: { host: `localhost:${server.port}` } })).status, 200);
});

test('a foreign Origin or a cross-site fetch is refused', async () => {
  const r = await call('/api/appInfo', { method: 'POST', headers: { ...auth(), origin: 'https://evil.example' }, body: '{}' });
  assert.equal(r.status, 403);
  const s = await call('/api/appInfo', { method: 'POST', headers: { ...auth(), 'sec-fetch-site': 'cross-site' }, body: '{}' });
  assert.equal(s.status, 403);
  const own = await call('/api/appInfo', { method: 'POST', headers: { ...auth(), origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
  assert.equal(own.status, 200);
});

test('API calls need the session cookie', async () => {
  const name = cookie.split('=')[0]!;
  assert.equal((await call('/api/appInfo', { method: 'POST', headers: json, body: '{}' })).status, 401);
  assert.equal((await call('/api/appInfo', { method: 'POST', headers: { ...json, cookie: `${name}=${'0'.repeat(64)}` }, body: '{}' })).status, 401);
  const launchSecret = new URL(server.url).searchParams.get('once')!;
  assert.equal(
    (await call('/api/appInfo', { method: 'POST', headers: { ...json, cookie: `${name}=${launchSecret}` }, body: '{}' })).status,
    401,
    'the launch secret is no session',
  );
  assert.equal(
    (await call('/api/appInfo', { method: 'POST', headers: { ...json, authorization: `Bearer ${cookie.split('=')[1]}` }, body: '{}' })).status,
    401,
    'only as a cookie',
  );
  const ok = await call('/api/appInfo', { method: 'POST', headers: auth(), body: '{}' });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).value.mode, 'browser');
});

test('invalid API arguments are rejected with a typed error, unknown methods with 404', async () => {
  const bad = [
    { files: [] },
    { files: [{ name: 'x', base64: '!!' }], at: '2025-01-01T00:00:00Z' },
    { files: [{ name: 'x', base64: 'AA==' }], at: 'yesterday' },
    { files: [{ name: 'x', base64: 'AA==' }], at: '2025-01-01T00:00:00Z', extra: 1 },
    [1, 2],
  ];
  for (const body of bad) {
    const r = await call('/api/verify', { method: 'POST', headers: auth(), body: JSON.stringify(body) });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(JSON.parse(r.body).error.code, 'USAGE_ERROR');
  }
  assert.equal((await call('/api/__proto__', { method: 'POST', headers: auth(), body: '{}' })).status, 404);
  assert.equal((await call('/api/verify', { method: 'GET', headers: auth() })).status, 405);
  assert.equal((await call('/api/verify', { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: '{}' })).status, 415);
});

test('path traversal is a malformed request (400), never a file lookup', async () => {
  for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc/passwd', '/a/%2E%2E/b'])
    assert.equal((await call(path)).status, 400, path);
  assert.equal((await call('/nothing-here.js')).status, 404);
});

test('verify over the API: evidence and collateral given together are told apart', async () => {
  const b64 = (p: string) => readFileSync(VECTORS_DIR + p).toString('base64');
  const body = {
    files: [
      { name: 'c.json', base64: b64('tdx/dcapqvl-v4.collateral.json') },
      { name: 'q.quote', base64: b64('tdx/dcapqvl-v4.quote') },
    ],
    at: '2025-07-19T10:00:34Z',
  };
  const r = await call('/api/verify', { method: 'POST', headers: auth(), body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  const v = JSON.parse(r.body).value;
  assert.equal(v.result.verdict, 'verified');
  assert.deepEqual(
    v.inputs.map((i: { role: string; name: string }) => `${i.role}:${i.name}`),
    ['evidence:q.quote', 'collateral:c.json'],
  );
  assert.match(v.inputs[0].sha256, /^c42f9164/);
});

test('the acquisition methods are validated at runtime too; host-key errors carry only host, port and fingerprint', async () => {
  const bad: [string, unknown][] = [
    ['targetSave', { target: { name: '', url: 'ssh://u@h' } }],
    ['targetSave', { target: { name: 'a', url: 'ssh://u@h', password: 'x' } }],
    ['targetSave', { target: { name: ' padded', url: 'ssh://u@h' } }],
    ['targetSave', { target: { name: 'a', url: 'ssh://u@h', nonce: 'yes' } }],
    ['targetSave', { target: { name: 'a', url: 'https://h/', adapter: 'soap' } }],
    ['targetRemove', { name: 'a\nb' }],
    ['verifyTarget', { name: 'a', at: 'tomorrow' }],
    ['trustHostKey', { host: '127.0.0.1', port: 22, fingerprint: 'MD5:aa:bb' }],
    ['trustHostKey', { host: 'h; rm -rf /', port: 22, fingerprint: 'SHA256:' + 'A'.repeat(43) }],
    ['trustHostKey', { host: '127.0.0.1', port: 70000, fingerprint: 'SHA256:' + 'A'.repeat(43) }],
    ['importKnownHosts', { text: 'x'.repeat(1024 * 1024 + 1) }],
    ['fleetStart', { concurrency: 0 }],
    ['fleetStart', { names: [] }],
    ['fleetStatus', { jobId: '../../etc' }],
    ['history', { name: 'a', limit: 10_000 }],
    ['setSecret', { name: 'a', kind: 'password', value: 'v3ry-s3cret' }],
    ['setSecret', { name: 'a', kind: 'token' }],
    ['clearSecret', { name: 'a', kind: 'token', value: 'v3ry-s3cret' }],
    ['setSecret', { name: 'a', kind: 'token', value: 'v3ry-s3cret'.repeat(1000) }],
  ];
  for (const [method, body] of bad) {
    const r = await call(`/api/${method}`, { method: 'POST', headers: auth(), body: JSON.stringify(body) });
    assert.equal(r.status, 400, `${method} ${JSON.stringify(body).slice(0, 80)}`);
    assert.equal(JSON.parse(r.body).error.code, 'USAGE_ERROR');
    assert.doesNotMatch(r.body, /v3ry-s3cret/, 'a refused secret is not echoed');
  }
  const unknown = await call('/api/verifyTarget', { method: 'POST', headers: auth(), body: JSON.stringify({ name: 'nobody' }) });
  assert.match(JSON.parse(unknown.body).error.message, /no saved target named "nobody"/);
  const list = await call('/api/targetsList', { method: 'POST', headers: auth(), body: '{}' });
  assert.deepEqual(JSON.parse(list.body).value, { targets: [], secretsPersist: false });
});

test("API errors: a body that is not JSON is USAGE_ERROR; a bug behind the API is INTERNAL_ERROR, never the user's fault", async () => {
  const { errorBody } = await import('../../main/api/errors.js');
  const notJson = await call('/api/appInfo', { method: 'POST', headers: auth(), body: '{nope' });
  assert.equal(JSON.parse(notJson.body).error.code, 'USAGE_ERROR');
  assert.equal(errorBody(new TypeError("Cannot read properties of null (reading 'x')")).code, 'INTERNAL_ERROR');
  assert.match(errorBody(new TypeError('x')).message, /bug in the verifier/);
  assert.equal(errorBody(new Error('ECONNRESET'), 'FETCH_FAILED').code, 'FETCH_FAILED');
});

test('API verify: dropping only an unsupported format names it instead of asking for a quote', async () => {
  const cca = readFileSync(`${VECTORS_DIR}cca/cca-example-token.cbor`).toString('base64');
  const res = await call('/api/verify', {
    method: 'POST',
    headers: auth(),
    body: JSON.stringify({ files: [{ name: 'token.cbor', base64: cca }], at: '2025-01-01T00:00:00Z' }),
  });
  const error = JSON.parse(res.body).error;
  assert.equal(error.code, 'UNSUPPORTED_EVIDENCE');
  assert.match(error.message, /token\.cbor: this looks like an Arm CCA attestation token/);
});
