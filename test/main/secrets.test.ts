import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptedFileSecretStore } from '../../main/secrets/encrypted-file.js';
import { testCipher } from '../support/test-cipher.js';
import { memorySecretStore } from '../../main/secrets/memory.js';

test('secrets are written only as ciphertext, in a 0600 file, and read back', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tee-secrets-')), 'sub', 'secrets.json');
  const cipher = testCipher();
  const store = encryptedFileSecretStore(path, cipher);
  assert.equal(store.persistent, true);
  await store.set('db-1/passphrase', 'correct horse battery staple');
  await store.set('api/token', 'tok-123456');
  const onDisk = readFileSync(path, 'utf8');
  assert.doesNotMatch(onDisk, /correct horse|tok-123456/);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const again = encryptedFileSecretStore(path, cipher);
  assert.equal(await again.get('db-1/passphrase'), 'correct horse battery staple');
  await again.delete('db-1/passphrase');
  assert.equal(await encryptedFileSecretStore(path, cipher).get('db-1/passphrase'), undefined);
  assert.equal(await encryptedFileSecretStore(path, cipher).get('api/token'), 'tok-123456');
  assert.equal(await encryptedFileSecretStore(path, testCipher()).get('api/token'), undefined, 'another keychain cannot decrypt: asked again, no crash');
});

test('without OS encryption nothing is saved (no clear-text fallback); the memory store says it does not persist', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tee-secrets-')), 'secrets.json');
  await assert.rejects(encryptedFileSecretStore(path, testCipher(false)).set('x', 'secret'), /no secret encryption/);
  assert.throws(() => statSync(path));
  const mem = memorySecretStore();
  assert.equal(mem.persistent, false);
  await mem.set('x', 'y');
  assert.equal(await mem.get('x'), 'y');
});
