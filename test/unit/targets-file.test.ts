import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TeeError } from '../../app/errors.js';
import { MAX_TARGETS, parseTargets, parseTargetsBytes, serializeTargets, targetSource, TARGETS_SCHEMA } from '../../app/acquire/targets-file.js';

const doc = (targets: unknown[]) => ({ schema: TARGETS_SCHEMA, targets });
const ssh = { name: 'db-1', url: 'ssh://ops@10.0.0.5:2222' };

/** Asserts a USAGE_ERROR whose message matches and whose detail names the field (and index when given). */
function refused(value: unknown, message: RegExp, field?: string, index?: number): void {
  assert.throws(
    () => parseTargets(value),
    (e: unknown) => {
      assert.ok(e instanceof TeeError, String(e));
      assert.equal(e.code, 'USAGE_ERROR');
      assert.match(e.message, message);
      if (field !== undefined) assert.equal(e.detail.field, field);
      if (index !== undefined) assert.equal(e.detail.index, index);
      return true;
    },
  );
}

test('the documented example parses, with every field', () => {
  const file = parseTargetsBytes(readFileSync(new URL('../../docs/examples/targets.json', import.meta.url)));
  assert.ok(file.targets.length >= 3);
  const full = file.targets.find((t) => t.reference && t.collateral && t.product);
  assert.ok(full, 'the example shows reference, collateral and product');
  assert.ok(
    file.targets.some((t) => t.adapter),
    'the example shows an https target',
  );
});

test('a minimal file and a full target', () => {
  assert.deepEqual(parseTargets(doc([ssh])).targets, [ssh]);
  const full = {
    ...ssh,
    identity: 'keys/ops',
    collector: 'cat /tmp/q | base64 -w0\n',
    nonce: false,
    reference: 'refs/db.json',
    collateral: ['vcek.pem'],
    product: 'Genoa',
  };
  assert.deepEqual(parseTargets(doc([full])).targets[0], full);
  const https = { name: 'web', url: 'https://agent.example/aa', adapter: 'coco-aa' };
  assert.deepEqual(parseTargets(doc([https])).targets[0], https);
  assert.deepEqual(parseTargets(doc([])).targets, [], 'an empty list is a valid (saved) fleet');
});

test('the file itself: JSON, schema, no unknown fields, a bounded array', () => {
  assert.throws(() => parseTargetsBytes(new TextEncoder().encode('{"schema": ')), /not UTF-8 JSON/);
  assert.throws(() => parseTargetsBytes(Uint8Array.from([0xff, 0xfe])), /not UTF-8 JSON/);
  refused([], /must be a JSON object/);
  refused({ schema: 'tee-inspect/targets/v2', targets: [] }, /"schema" must be "tee-inspect\/targets\/v1"/, 'schema');
  refused({ schema: TARGETS_SCHEMA }, /"targets" must be an array/, 'targets');
  refused({ schema: TARGETS_SCHEMA, targets: [], hosts: [] }, /unknown field "hosts"/, 'hosts');
  refused(doc(Array.from({ length: MAX_TARGETS + 1 }, (_, i) => ({ name: `t${i}`, url: 'ssh://a@b' }))), /10001 targets; at most 10000/);
  assert.equal(parseTargets(doc(Array.from({ length: MAX_TARGETS }, (_, i) => ({ name: `t${i}`, url: 'ssh://a@b' })))).targets.length, MAX_TARGETS);
});

test('each error names the target by index and name, and the field', () => {
  refused(doc([ssh, { ...ssh, name: 'db-2', refrence: 'x.json' }]), /targets\[1\] \("db-2"\): unknown field "refrence"/, 'refrence', 1);
  refused(doc([JSON.parse('{"name": "p", "url": "ssh://a@b", "__proto__": {"nonce": false}}')]), /\("p"\): unknown field "__proto__"/, '__proto__', 0);
  refused(doc([ssh, { ...ssh }]), /targets\[1\] \("db-1"\)\.name repeats the name of targets\[0\]/, 'name', 1);
  refused(doc([{ url: 'ssh://a@b' }]), /targets\[0\]: "name" is required/, 'name', 0);
  refused(doc([{ name: 'x' }]), /targets\[0\] \("x"\): "url" is required/, 'url', 0);
  refused(doc([{ ...ssh, name: ' db' }]), /must not begin or end with spaces/);
  refused(doc([{ ...ssh, name: 'a\nb' }]), /name must not hold control characters/, 'name');
  refused(doc([{ ...ssh, name: 'x'.repeat(129) }]), /name must be 1 to 128 characters/);
  refused(doc([{ ...ssh, name: '' }]), /name must be 1 to 128 characters/);
  refused(doc([{ ...ssh, name: 7 }]), /name must be a string/);
  refused(doc([{ ...ssh, nonce: 'no' }]), /\("db-1"\)\.nonce must be true or false/, 'nonce', 0);
  refused(doc([{ ...ssh, product: 'Rome' }]), /product must be one of Milan, Genoa, Turin/, 'product');
  refused(doc([{ ...ssh, collateral: 'vcek.pem' }]), /collateral must be an array/, 'collateral');
  refused(doc([{ ...ssh, collateral: ['a', 3] }]), /collateral\[1\] must be a string/, 'collateral');
  refused(doc([{ ...ssh, collateral: Array.from({ length: 65 }, () => 'c') }]), /more than 64 files/);
  refused(doc([{ ...ssh, identity: 'x'.repeat(4097) }]), /identity must be 1 to 4096 characters/);
  refused(doc([{ ...ssh, collector: 'a\u0000b' }]), /collector must not hold control characters/);
  refused(doc([{ ...ssh, url: 'x'.repeat(2049) }]), /url must be 1 to 2048/);
});

test('URLs go through parseSourceUrl: scheme, credentials, options that fit the scheme', () => {
  refused(doc([{ ...ssh, url: 'http://h/x' }]), /\("db-1"\)\.url: .*plain http is refused/, 'url', 0);
  refused(doc([{ ...ssh, url: 'ssh://h' }]), /expected ssh:\/\/USER@HOST/, 'url');
  refused(doc([{ ...ssh, url: 'ssh://u:pw@h' }]), /passwords in URLs are refused/);
  refused(doc([{ ...ssh, adapter: 'dstack' }]), /"adapter" goes with an https:\/\/ target/);
  refused(doc([{ name: 'w', url: 'https://h/a' }]), /name the endpoint's protocol with "adapter"/);
  refused(doc([{ name: 'w', url: 'https://h/a', adapter: 'dstack', identity: 'k' }]), /"identity" and "collector" go with an ssh:\/\/ target/);
  refused(doc([{ name: 'w', url: 'https://h/a', adapter: 'grpc' }]), /adapter must be one of coco-aa, dstack, template/, 'adapter');
  assert.equal(parseTargets(doc([{ name: 't', url: 'https://h/q?n={nonce}' }])).targets[0]?.adapter, undefined, 'a template URL needs no adapter');
});

test('targetSource resolves the identity path through the caller', () => {
  const s = targetSource({ ...ssh, identity: 'keys/ops', collector: 'c' }, (p) => `/etc/fleet/${p}`);
  assert.deepEqual(s, { kind: 'ssh', host: '10.0.0.5', port: 2222, user: 'ops', identityFile: '/etc/fleet/keys/ops', collector: 'c' });
});

test('serializeTargets writes what parseTargets reads back, in a fixed key order, and refuses an invalid list', () => {
  const targets = [
    { product: 'Milan' as const, url: 'ssh://a@b', name: 'z', nonce: true },
    { name: 'w', url: 'https://h/a', adapter: 'dstack' as const },
  ];
  const text = serializeTargets(targets);
  assert.deepEqual(parseTargetsBytes(new TextEncoder().encode(text)).targets, targets);
  assert.deepEqual(Object.keys(JSON.parse(text).targets[0]), ['name', 'url', 'nonce', 'product']);
  assert.match(text, /^\{\n {2}"schema": "tee-inspect\/targets\/v1"/);
  assert.throws(() => serializeTargets([...targets, { name: 'z', url: 'ssh://c@d' }]), /repeats the name/);
});

test('garbage never escapes as anything but USAGE_ERROR', () => {
  const samples: unknown[] = [
    null,
    1,
    'x',
    [1],
    { schema: TARGETS_SCHEMA, targets: [null] },
    { schema: TARGETS_SCHEMA, targets: [[]] },
    { schema: TARGETS_SCHEMA, targets: [{ name: {}, url: [] }] },
    { schema: TARGETS_SCHEMA, targets: 'x' },
  ];
  for (const s of samples)
    assert.throws(
      () => parseTargets(s),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR',
    );
});
