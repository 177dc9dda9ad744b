import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latin1Key, fromHex, toHex } from '../../app/bytes/hex.js';
import { fromBase64, toBase64 } from '../../app/bytes/base64.js';
import { prng } from '../support/prng.js';
import { iso } from '../../app/pki/chain.js';

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

test('iso() writes what toISOString does, without ".000" for whole seconds', () => {
  const r = prng(7);
  const samples = [0, -1, 1752919234000, 1752919234123, 253402300799999, -62167219200000, 8.64e15, -8.64e15];
  for (let i = 0; i < 2000; i++) samples.push((r.int(2 ** 30) * 2 ** 17 + r.int(2 ** 17)) * (r.int(2) ? 1 : -1));
  for (const ms of samples) assert.equal(iso(ms), new Date(ms).toISOString().replace('.000Z', 'Z'), String(ms));
  assert.throws(() => iso(NaN), RangeError);
});

test('fromBase64 agrees with Node Buffer on valid input and refuses what Buffer would silently skip', () => {
  const r = prng(11);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.';
  for (let i = 0; i < 3000; i++) {
    const b = r.bytes(r.int(70));
    const text = toBase64(b);
    assert.deepEqual(fromBase64(text), b);
    assert.deepEqual(fromBase64(text.replace(/=+$/, '')), b);
    const junk = Array.from({ length: r.int(12) }, () => abc[r.int(abc.length)]).join('');
    const ours = fromBase64(junk);
    const compact = junk.replace(/[ \n]/g, '');
    const valid = /^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) && compact.replace(/=+$/, '').length % 4 !== 1;
    if (!valid) assert.equal(ours, undefined, junk);
    else assert.deepEqual(ours, new Uint8Array(Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64')), junk);
  }
});

test('toHex agrees with Node Buffer at every length, short and long', () => {
  const r = prng(5);
  for (const n of [0, 1, 255, 256, 257, 1000, 4600]) {
    const b = r.bytes(n);
    assert.equal(toHex(b), Buffer.from(b).toString('hex'), `length ${n}`);
  }
});
