import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedSender, isTrustedSenderUrl, parseIpcCall } from '../../main/electron/ipc.js';
import { createApi } from '../../main/api/handlers.js';
import { tempApiOptions } from '../support/api-options.js';

const INDEX = 'app://tee-inspector/index.html';

test("IPC is accepted only from the app's own page on the app:// origin", () => {
  assert.equal(isTrustedSenderUrl(INDEX), true);
  assert.equal(isTrustedSenderUrl(`${INDEX}#token`), true);
  assert.equal(isTrustedSenderUrl(`${INDEX}?view=fleet`), true);
  for (const url of [
    undefined,
    '',
    'https://evil.example/index.html',
    'file:///opt/TEE%20Inspector/resources/app.asar/dist/renderer/index.html',
    'file:///tmp/evil/index.html',
    'http://127.0.0.1:8080/index.html',
    'devtools://devtools/bundled/x.html',
    'app://tee-inspector.evil/index.html',
    'app://evil/index.html',
    'app://user@tee-inspector/index.html',
    'app://tee-inspector:8080/index.html',
    'app://tee-inspector/other.html',
    'app://tee-inspector/',
    'apps://tee-inspector/index.html',
    'blob:app://tee-inspector/1234',
    'data:text/html,<h1>x</h1>',
    'not a url',
  ]) {
    assert.equal(isTrustedSenderUrl(url), false, String(url));
  }
});

test('IPC is accepted only from a top frame that is still there', () => {
  assert.equal(isTrustedSender({ url: INDEX, parent: null }), true);
  assert.equal(isTrustedSender({ url: INDEX, parent: { url: INDEX } }), false, 'a sub-frame, even on the app origin');
  assert.equal(isTrustedSender({ url: 'https://evil.example/', parent: null }), false);
  assert.equal(isTrustedSender(null), false, 'a destroyed frame');
  assert.equal(isTrustedSender(undefined), false);
});

test('IPC calls name a known method and carry one payload', () => {
  assert.deepEqual(parseIpcCall(['verify', { a: 1 }]), { method: 'verify', payload: { a: 1 } });
  assert.ok('error' in parseIpcCall(['eval', {}]));
  assert.ok('error' in parseIpcCall([{}, {}]));
  assert.ok('error' in parseIpcCall(['verify', {}, 'extra']));
});

test('the shared dispatcher validates payloads at runtime', async () => {
  const { dispatch } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'electron' }, tempApiOptions());
  await assert.rejects(dispatch('verify', { files: 'no' }), /invalid request/);
  await assert.rejects(
    dispatch('verify', { files: [{ name: 'a', base64: 'AA==' }], at: '2025-01-01T00:00:00Z' }),
    /none of a is a quote or report TEE Inspector reads/,
  );
  await assert.rejects(dispatch('appInfo', { unexpected: true }), /takes no arguments/);
  assert.equal(((await dispatch('appInfo', {})) as { mode: string }).mode, 'electron');
});

test('the preload exposes exactly the API methods, and errors keep host-key details only', async () => {
  const { readFileSync } = await import('node:fs');
  const { API_METHODS } = await import('../../main/api/schema.js');
  const { errorBody } = await import('../../main/api/errors.js');
  const { TeeError } = await import('../../app/errors.js');
  const preload = readFileSync(new URL('../../main/electron/preload.cts', import.meta.url), 'utf8');
  const listed = JSON.parse(
    /const METHODS = (\[[^\]]*\])/
      .exec(preload)![1]!
      .replace(/'/g, '"')
      .replace(/,\s*\]$/, ']'),
  ); // the formatter leaves a trailing comma
  assert.deepEqual(listed, [...API_METHODS]);
  for (const m of API_METHODS) assert.deepEqual(parseIpcCall([m, {}]), { method: m, payload: {} });
  const hostKey = new TeeError('HOST_KEY_UNKNOWN', 'unknown key', { host: 'h', port: 22, fingerprint: 'SHA256:x', extra: '/home/me/.ssh' });
  assert.deepEqual(errorBody(hostKey), { code: 'HOST_KEY_UNKNOWN', message: 'unknown key', detail: { host: 'h', port: 22, fingerprint: 'SHA256:x' } });
  assert.deepEqual(errorBody(new TeeError('FILE_UNREADABLE', 'nope', { file: '/secret/path' })), { code: 'FILE_UNREADABLE', message: 'nope' });
  const { dispatch, close } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'electron' }, tempApiOptions());
  await assert.rejects(dispatch('setSecret', { name: 'nobody', kind: 'token', value: 'v' }), /no saved target/);
  await assert.rejects(
    dispatch('trustHostKey', { host: '127.0.0.1', port: 22, fingerprint: 'SHA256:' + 'A'.repeat(43) }),
    /has not presented/,
    'only a key a target presented can be trusted',
  );
  close();
});
