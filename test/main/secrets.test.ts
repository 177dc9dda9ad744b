import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { encryptedFileSecretStore } from '../../main/secrets/encrypted-file.js';
import type { StringCipher } from '../../main/secrets/encrypted-file.js';
import { memorySecretStore } from '../../main/secrets/memory.js';

/** A stand-in for Electron's safeStorage with real encryption (AES-256-GCM under a per-test key). */
function testCipher(available = true): StringCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(enc) {
      const d = createDecipheriv('aes-256-gcm', key, enc.subarray(0, 12));
      d.setAuthTag(enc.subarray(12, 28));
      return Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

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
