import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHosts, parseHostPort } from '../../main/ssh/known-hosts.js';
import { TeeError } from '../../app/errors.js';
import { runCli } from '../support/cli.js';

const FP_A = 'SHA256:' + 'A'.repeat(43);
const FP_B = 'SHA256:' + 'B'.repeat(43);
// A real ed25519 public key (any will do) and its fingerprint as ssh-keygen -lf prints it.
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const KEY_FP = `SHA256:${(await import('node:crypto')).createHash('sha256').update(Buffer.from(KEY, 'base64')).digest('base64').replace(/=+$/, '')}`;

const fresh = () => join(mkdtempSync(join(tmpdir(), 'tee-pins-')), 'config', 'tee-inspector', 'known-hosts.json');
const hosts = (store: string, ...args: string[]) => runCli(['hosts', ...args, '--host-key-store', store]);

test('a pin is added only to a host without one: the same key is a no-op, a different one HOST_KEY_CHANGED', async () => {
  const path = fresh();
  const store = await KnownHosts.load(path);
  assert.equal(await store.trust('h.example', 22, FP_A), 'pinned');
  assert.equal(await store.trust('H.example', 22, FP_A), 'already pinned');
  await assert.rejects(
    store.trust('h.example', 22, FP_B),
    (e: unknown) => e instanceof TeeError && e.code === 'HOST_KEY_CHANGED' && /tee-inspect hosts unpin h\.example:22/.test(e.message),
  );
  assert.deepEqual((await KnownHosts.load(path)).list(), [{ host: 'h.example', port: 22, fingerprints: [FP_A] }], 'nothing added beside the pin');
  assert.deepEqual(await store.unpin('h.example', 22), [FP_A]);
  assert.equal(await store.trust('h.example', 22, FP_B), 'pinned');
});

test('a damaged pin store is a typed error, never read as empty and never overwritten', async () => {
  for (const damage of ['{"h:22": ["SHA256:', '[]', '{"h:22": "SHA256:x"}', '{"no port": []}', `{"h:22": ["${FP_A}", 7]}`]) {
    const path = fresh();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, damage);
    await assert.rejects(
      KnownHosts.load(path),
      (e: unknown) => e instanceof TeeError && e.code === 'FILE_UNREADABLE' && /pin store .* is damaged/.test(e.message),
      damage,
    );
    const pin = await hosts(path, 'pin', 'h', FP_A);
    assert.equal(pin.code, 2, damage);
    assert.match(pin.err, /damaged/);
    assert.equal(readFileSync(path, 'utf8'), damage, 'left as it was');
  }
});

test("the pin store's folders are created 0700 and the file 0600", async () => {
  const path = fresh();
  await (await KnownHosts.load(path)).trust('h', 22, FP_A);
  assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
  assert.equal(statSync(join(path, '..', '..')).mode & 0o777, 0o700, 'every level it had to create');
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('tee-inspect hosts pin / list / unpin: explicit acts with clear exit codes', async () => {
  const store = fresh();
  assert.match((await hosts(store, 'list')).out, /no pinned host keys/);
  assert.equal((await hosts(store, 'pin', 'h.example:2222', FP_A)).code, 0);
  assert.equal((await hosts(store, 'pin', '[fd00::1]:22', FP_B)).code, 0);
  const changed = await hosts(store, 'pin', 'h.example:2222', FP_B);
  assert.equal(changed.code, 1);
  assert.match(changed.err, /already has a different pinned host key.*hosts unpin h\.example:2222/s);
  assert.equal((await hosts(store, 'list')).out, `fd00::1:22  ${FP_B}\nh.example:2222  ${FP_A}\n`);
  const json = JSON.parse((await hosts(store, 'list', '--format', 'json')).out);
  assert.equal(json.schema, 'tee-inspect/hosts/v1');
  assert.deepEqual(json.hosts, [
    { host: 'fd00::1', port: 22, fingerprints: [FP_B] },
    { host: 'h.example', port: 2222, fingerprints: [FP_A] },
  ]);
  assert.equal((await hosts(store, 'unpin', 'h.example:2222')).code, 0);
  assert.equal((await hosts(store, 'unpin', 'h.example:2222')).code, 1, 'nothing to unpin');
  assert.equal(JSON.parse((await hosts(store, 'list', '--format', 'json')).out).hosts.length, 1);
});

test('tee-inspect hosts import: clear names pinned, pinned hosts skipped, hashed names counted', async () => {
  const store = fresh();
  const dir = mkdtempSync(join(tmpdir(), 'tee-kh-'));
  await hosts(store, 'pin', 'pinned.example', FP_A);
  writeFileSync(
    join(dir, 'known_hosts'),
    [
      `# comment`,
      `a.example,[b.example]:2222 ssh-ed25519 ${KEY}`,
      `pinned.example ssh-ed25519 ${KEY}`,
      `|1|c2FsdA==|aGFzaA== ssh-ed25519 ${KEY}`,
      `@cert-authority *.example ssh-ed25519 ${KEY}`,
      '',
    ].join('\n'),
  );
  const r = await hosts(store, 'import', join(dir, 'known_hosts'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 2 hosts: a\.example:22, b\.example:2222/);
  assert.match(r.out, /skipped 1 already pinned .*pinned\.example:22/);
  assert.match(r.out, /skipped 1 line with hashed names/);
  const pins = JSON.parse(readFileSync(store, 'utf8'));
  assert.deepEqual(pins, { 'pinned.example:22': [FP_A], 'a.example:22': [KEY_FP], 'b.example:2222': [KEY_FP] });
});

test('hosts usage errors exit 2 and change nothing', async () => {
  const store = fresh();
  for (const args of [
    [],
    ['frob'],
    ['pin', 'h'],
    ['pin', 'h', 'SHA256:short'],
    ['pin', 'bad host!', FP_A],
    ['unpin'],
    ['list', '--format', 'xml'],
    ['list', 'extra'],
    ['import', '/dev/zero'],
  ]) {
    const r = await hosts(store, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.err.length > 0);
  }
  assert.equal(existsSync(store), false);
  assert.deepEqual(parseHostPort('[::1]:2200'), { host: '::1', port: 2200 });
  assert.equal(parseHostPort('h:99999'), undefined);
});

test('the collateral cache and recent-files folders are created 0700, their files 0600', async () => {
  const { CollateralCache } = await import('../../main/collateral/cache.js');
  const { RecentFiles } = await import('../../main/electron/recent-files.js');
  const base = mkdtempSync(join(tmpdir(), 'tee-private-'));
  const cache = new CollateralCache(join(base, 'cache', 'tee-inspector', 'collateral'));
  await cache.put({ url: 'https://pcs.example/x', fetchedAt: new Date().toISOString(), body: '' });
  assert.equal(statSync(cache.dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(base, 'cache')).mode & 0o777, 0o700);
  const { readdirSync } = await import('node:fs');
  assert.equal(statSync(join(cache.dir, readdirSync(cache.dir)[0]!)).mode & 0o777, 0o600);
  const recentPath = join(base, 'data', 'recent.json');
  new RecentFiles(recentPath).add('/some/file');
  assert.equal(statSync(join(base, 'data')).mode & 0o777, 0o700);
  assert.equal(statSync(recentPath).mode & 0o777, 0o600);
});
