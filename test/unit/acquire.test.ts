import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSourceUrl, sourceLabel } from '../../app/acquire/target.js';
import { splitCollected } from '../../app/acquire/collected.js';
import { adapterEvidence, adapterRequest } from '../../app/acquire/adapters.js';
import { TeeError } from '../../app/errors.js';
import { prng } from '../support/prng.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('target URLs: ssh and https sources with their defaults and labels', () => {
  assert.deepEqual(parseSourceUrl('ssh://ops@10.0.0.5'), { kind: 'ssh', host: '10.0.0.5', port: 22, user: 'ops' });
  const v6 = parseSourceUrl('ssh://a%40b@[::1]:2222', { identityFile: 'k', collector: 'c {nonce}' });
  assert.deepEqual(v6, { kind: 'ssh', host: '::1', port: 2222, user: 'a@b', identityFile: 'k', collector: 'c {nonce}' });
  assert.equal(sourceLabel(v6), 'ssh://a@b@[::1]:2222');
  assert.deepEqual(parseSourceUrl('https://h/q?n={nonce}'), { kind: 'https', url: 'https://h/q?n={nonce}', adapter: 'template' });
  assert.equal(parseSourceUrl('https://h:8006', { adapter: 'coco-aa' }).kind, 'https');
  for (const bad of ['', 'nope', 'ftp://h/x', 'ssh://host-without-user', 'ssh://u:pw@h'])
    assert.throws(
      () => parseSourceUrl(bad),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR',
      bad,
    );
});

test('adapter requests: coco-aa runtime_data in URL-safe base64, dstack hex, template hex; existing paths kept', () => {
  const nonce = Uint8Array.from({ length: 64 }, (_, i) => 250 - i);
  const aa = new URL(adapterRequest({ kind: 'https', url: 'https://h:8006/', adapter: 'coco-aa' }, nonce).url);
  assert.equal(aa.pathname, '/aa/evidence');
  assert.deepEqual(new Uint8Array(Buffer.from(aa.searchParams.get('runtime_data')!, 'base64url')), nonce);
  assert.doesNotMatch(aa.searchParams.get('runtime_data')!, /[+/=]/);
  assert.equal(new URL(adapterRequest({ kind: 'https', url: 'https://h/prefix/aa/evidence', adapter: 'coco-aa' }, nonce).url).pathname, '/prefix/aa/evidence');
  const ds = new URL(adapterRequest({ kind: 'https', url: 'https://h/api', adapter: 'dstack' }, nonce).url);
  assert.equal(ds.pathname, '/api/GetQuote');
  assert.equal(ds.searchParams.get('report_data'), Buffer.from(nonce).toString('hex'));
  assert.equal(adapterRequest({ kind: 'https', url: 'https://h/{nonce}/{nonce}', adapter: 'template' }, Uint8Array.of(1, 255)).url, 'https://h/01ff/01ff');
  assert.throws(() => adapterRequest({ kind: 'https', url: 'https://h/{nonce}', adapter: 'template' }, new Uint8Array(65)), /at most 64 bytes/);
});

test('adapter answers: shape checked per adapter, template passes bytes through', () => {
  const src = (adapter: 'coco-aa' | 'dstack' | 'template') => ({ kind: 'https' as const, url: 'https://h', adapter });
  assert.equal(adapterEvidence(src('dstack'), enc('{"quote":"00"}')).length, 14);
  assert.equal(adapterEvidence(src('coco-aa'), enc('{"attestation_report":{}}')).length, 25);
  assert.equal(adapterEvidence(src('template'), Uint8Array.of(1, 2)).length, 2);
  for (const [a, body] of [
    ['dstack', '{"quote":1}'],
    ['coco-aa', '[]'],
    ['coco-aa', '\xff'],
    ['dstack', ''],
    ['template', ''],
  ] as const) {
    assert.throws(
      () => adapterEvidence(src(a), enc(body)),
      (e: unknown) => e instanceof TeeError && e.code === 'FETCH_FAILED',
      `${a} ${body}`,
    );
  }
});

test('collector output: configfs-tsm JSON splits into the quote and the auxblob; anything else passes through whole', () => {
  const out = enc(JSON.stringify({ provider: 'sev_guest', quote: Buffer.from([1, 2, 3]).toString('base64'), auxblob: Buffer.from([9, 9]).toString('base64') }));
  const s = splitCollected(out);
  assert.deepEqual(s.evidence, Uint8Array.of(1, 2, 3));
  assert.deepEqual(s.collateral[0]!.bytes, Uint8Array.of(9, 9));
  assert.equal(s.provider, 'sev_guest');
  const noAux = splitCollected(enc(JSON.stringify({ provider: 'unknown', quote: 'AQI=', auxblob: '' })));
  assert.equal(noAux.collateral.length, 0);
  assert.equal(noAux.provider, undefined);
  const other = enc('{"quote":"AQI="}');
  assert.equal(splitCollected(other).evidence, other);
  const rand = prng(5);
  for (let i = 0; i < 2000; i++) {
    const b = rand.bytes(rand.int(80));
    if (i % 2) b[0] = 0x7b;
    assert.doesNotThrow(() => splitCollected(b));
  }
});
