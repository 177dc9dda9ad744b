import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_INDEX_URL, APP_SCHEME_PRIVILEGES, isAppUrl } from '../../main/electron/app-origin.js';
import { isInside, nodeAppFiles, packagedRendererDir, resolveAppPath, serveAppRequest } from '../../main/electron/app-protocol.js';
import { APP_CSP } from '../../main/electron/csp.js';

/** A renderer folder like the build's, with a secret beside it and symlinks that try to reach it. */
function fixture() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tee-app-protocol-')));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>TEE Inspector</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'icon.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  writeFileSync(join(root, 'notes.txt'), 'no served type');
  writeFileSync(join(base, 'secret.js'), 'the secret');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling');
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'link-out.js'));
  symlinkSync(base, join(root, 'up'));
  symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'link-in.js'));
  return { base, root };
}

test('app:// URLs resolve to files inside the renderer folder, with their type', () => {
  const root = '/opt/app/renderer';
  assert.deepEqual(resolveAppPath('app://tee-inspector/index.html', root), {
    ok: true,
    path: '/opt/app/renderer/index.html',
    mime: 'text/html; charset=utf-8',
  });
  assert.deepEqual(resolveAppPath('app://tee-inspector/', root), { ok: true, path: '/opt/app/renderer/index.html', mime: 'text/html; charset=utf-8' });
  assert.deepEqual(resolveAppPath('app://tee-inspector/assets/index-abc.js?v=1#x', root), {
    ok: true,
    path: '/opt/app/renderer/assets/index-abc.js',
    mime: 'text/javascript; charset=utf-8',
  });
  assert.equal((resolveAppPath('app://tee-inspector/assets/a%20b.css', root) as { path: string }).path, '/opt/app/renderer/assets/a b.css');
  assert.equal((resolveAppPath('app://tee-inspector/icon.PNG', root) as { mime: string }).mime, 'image/png');
});

test('app:// refuses traversal, encoded separators, other origins and unserved types', () => {
  const root = '/opt/app/renderer';
  const refused: [string, number][] = [
    ['app://tee-inspector/..%2f..%2fetc%2fpasswd', 400],
    ['app://tee-inspector/assets%2F..%2F..%2Fsecret.js', 400],
    ['app://tee-inspector/..%5c..%5csecret.js', 400],
    ['app://tee-inspector/assets/..\\..\\secret.js', 400],
    ['app://tee-inspector/index.html%00.js', 400],
    ['app://tee-inspector/%E0%A4%A.js', 400],
    ['app://tee-inspector/assets//index-abc.js', 400],
    ['app://tee-inspector/C:/Windows/win.ini', 400],
    ['app://tee-inspector/index.html::$DATA', 400],
    ['app://other/index.html', 403],
    ['app://tee-inspector.evil/index.html', 403],
    ['app://user@tee-inspector/index.html', 403],
    ['app://tee-inspector:99/index.html', 403],
    ['file:///opt/app/renderer/index.html', 403],
    ['https://tee-inspector/index.html', 403],
    ['app://tee-inspector/notes.txt', 404],
    ['app://tee-inspector/assets/index-abc.js.map', 404],
    ['app://tee-inspector/assets', 404],
  ];
  for (const [url, status] of refused) {
    const r = resolveAppPath(url, root);
    assert.equal(r.ok, false, url);
    assert.equal(!r.ok && r.status, status, `${url}: ${JSON.stringify(r)}`);
  }
  // The URL parser itself folds literal and %2e dot segments at the root: they can only land inside it.
  for (const url of ['app://tee-inspector/../../etc/passwd.js', 'app://tee-inspector/%2e%2e/%2e%2e/secret.js']) {
    const r = resolveAppPath(url, root);
    assert.ok(!r.ok || isInside(root, r.path), url);
  }
});

test('isInside tells the folder from a sibling that shares its prefix', () => {
  assert.equal(isInside('/a/renderer', '/a/renderer/x.js'), true);
  assert.equal(isInside('/a/renderer', '/a/renderer'), true);
  assert.equal(isInside('/a/renderer', '/a/renderer-evil/x.js'), false);
  assert.equal(isInside('/a/renderer', '/a/secret.js'), false);
  assert.equal(isInside('/a/renderer', '/a/renderer/..secret.js'), true, 'a name starting with two dots is still inside');
});

test('the handler serves the folder with the strict CSP on every response, and no symlink leads out', async () => {
  const { root } = fixture();
  const logs: string[] = [];
  const get = (url: string, method = 'GET') => serveAppRequest(new Request(url, { method }), root, nodeAppFiles(), (l) => logs.push(l));

  const index = await get(APP_INDEX_URL);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('content-security-policy'), APP_CSP);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await index.text(), /TEE Inspector/);

  const js = await get('app://tee-inspector/assets/index-abc.js');
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await js.text(), 'export {};');
  assert.equal((await get('app://tee-inspector/assets/index-abc.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.deepEqual(new Uint8Array(await (await get('app://tee-inspector/icon.png')).arrayBuffer()), new Uint8Array(Buffer.from('89504e470d0a1a0a', 'hex')));
  assert.equal(await (await get('app://tee-inspector/assets/link-in.js')).text(), 'export {};', 'a link that stays inside is served');

  const head = await get(APP_INDEX_URL, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal((await head.arrayBuffer()).byteLength, 0);

  for (const [url, status, method] of [
    ['app://tee-inspector/assets/link-out.js', 403, 'GET'],
    ['app://tee-inspector/up/secret.js', 403, 'GET'],
    ['app://tee-inspector/up/renderer-evil/x.js', 403, 'GET'],
    ['app://tee-inspector/..%2fsecret.js', 400, 'GET'],
    ['app://tee-inspector/missing.js', 404, 'GET'],
    ['app://tee-inspector/notes.txt', 404, 'GET'],
    ['app://evil/index.html', 403, 'GET'],
    [APP_INDEX_URL, 405, 'POST'],
  ] as const) {
    const r = await get(url, method);
    assert.equal(r.status, status, `${method} ${url}`);
    assert.equal(r.headers.get('content-security-policy'), APP_CSP, `refusals carry the CSP too: ${url}`);
    assert.doesNotMatch(await r.text(), /the secret|sibling/, url);
  }
  assert.ok(
    logs.some((l) => l.includes('link-out.js') && l.includes('resolves outside')),
    logs.join('\n'),
  );
});

test('the scheme is registered standard and secure, without CSP bypass or service workers', () => {
  assert.equal(APP_SCHEME_PRIVILEGES.scheme, 'app');
  const p = APP_SCHEME_PRIVILEGES.privileges!;
  assert.equal(p.standard, true);
  assert.equal(p.secure, true);
  assert.equal(p.bypassCSP, false);
  assert.equal(p.allowServiceWorkers, false);
  assert.equal(p.supportFetchAPI, false);
  assert.equal(isAppUrl(APP_INDEX_URL), true);
  assert.equal(isAppUrl('app://tee-inspector'), true, 'the permission check handler passes an origin, without a path');
});

test('a packaged app serves dist/renderer beside its compiled main, never a folder named by the environment', () => {
  assert.equal(
    packagedRendererDir('file:///opt/TEE%20Inspector/resources/app.asar/dist/main/electron/main.js'),
    '/opt/TEE Inspector/resources/app.asar/dist/renderer',
  );
  process.env.TEE_RENDERER_OUT = '/tmp/elsewhere';
  try {
    assert.equal(packagedRendererDir('file:///opt/app.asar/dist/main/electron/main.js'), '/opt/app.asar/dist/renderer');
  } finally {
    delete process.env.TEE_RENDERER_OUT;
  }
});
