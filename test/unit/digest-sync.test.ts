import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestSync } from '../../app/crypto/digest-sync.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { prng } from '../support/prng.js';

test('the synchronous digest (node:crypto, and @noble/hashes behind WebCrypto) equals the async one', async () => {
  const r = prng(7);
  const node = nodeCryptoProvider();
  const web = webCryptoProvider();
  for (let i = 0; i < 60; i++) {
    const data = new Uint8Array(r.int(300)).map(() => r.int(256));
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const want = await web.digest(hash, data);
      assert.deepEqual(digestSync(node, hash, data), want);
      assert.deepEqual(digestSync(web, hash, data), want);
    }
  }
});
