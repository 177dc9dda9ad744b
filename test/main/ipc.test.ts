import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedSenderUrl, parseIpcCall } from '../../main/electron/ipc.js';
import { createApi } from '../../main/api/handlers.js';

const INDEX = 'file:///opt/TEE%20Inspector/resources/app.asar/dist/renderer/index.html';

test('IPC is accepted only from the app\'s own page', () => {
  assert.equal(isTrustedSenderUrl(INDEX, INDEX), true);
  assert.equal(isTrustedSenderUrl(`${INDEX}#token`, INDEX), true);
  for (const url of [undefined, '', 'https://evil.example/index.html', 'file:///tmp/evil/index.html', 'http://127.0.0.1:8080/index.html', 'devtools://devtools/bundled/x.html', 'not a url']) {
    assert.equal(isTrustedSenderUrl(url, INDEX), false, String(url));
  }
});

test('IPC calls name a known method and carry one payload', () => {
  assert.deepEqual(parseIpcCall(['verify', { a: 1 }]), { method: 'verify', payload: { a: 1 } });
  assert.ok('error' in parseIpcCall(['eval', {}]));
  assert.ok('error' in parseIpcCall([{}, {}]));
  assert.ok('error' in parseIpcCall(['verify', {}, 'extra']));
});

test('the shared dispatcher validates payloads at runtime', async () => {
  const { dispatch } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'electron' });
  await assert.rejects(dispatch('verify', { files: 'no' }), /invalid request/);
  await assert.rejects(dispatch('verify', { files: [{ name: 'a', base64: 'AA==' }], at: '2025-01-01T00:00:00Z' }), /none of a is attestation evidence/);
  await assert.rejects(dispatch('appInfo', { unexpected: true }), /takes no arguments/);
  assert.equal(((await dispatch('appInfo', {})) as { mode: string }).mode, 'electron');
});
