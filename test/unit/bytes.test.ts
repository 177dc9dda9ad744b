import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latin1Key, fromHex, toHex } from '../../app/bytes/hex.js';
import { fromBase64, toBase64 } from '../../app/bytes/base64.js';
import { prng } from '../support/prng.js';

test('latin1Key maps every byte value to a distinct character (exact cache keys)', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const key = latin1Key(all);
  assert.equal(key.length, 256);
  assert.equal(new Set(key).size, 256);
  assert.notEqual(latin1Key(new Uint8Array([0x81])), latin1Key(new Uint8Array([0x8d])));
});

test('hex and base64 round-trip and reject junk', () => {
  const r = prng(1);
  for (let i = 0; i < 200; i++) {
    const b = r.bytes(r.int(100));
    assert.deepEqual(fromHex(toHex(b)), b);
    assert.deepEqual(fromBase64(toBase64(b)), b);
  }
  assert.equal(fromHex('abc'), undefined);
  assert.equal(fromHex('zz'), undefined);
  assert.equal(fromBase64('ab!d'), undefined);
  assert.equal(fromBase64('a'), undefined);
  assert.equal(fromBase64('ab\u000bcd'), undefined, 'only PEM whitespace is skipped');
});
