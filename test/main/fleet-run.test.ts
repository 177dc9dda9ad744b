import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { FLEET_AT, VECTOR, pinnedHosts, tempDir, vectorTarget } from '../support/fleet.js';
import { runFleet } from '../../main/fleet/run.js';
import type { FleetProgress } from '../../main/fleet/run.js';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { toHex } from '../../app/bytes/hex.js';
import { build } from '../synthetic/scenario.js';
import { AT } from '../synthetic/test-pki.js';

const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
let sshd: Sshd;
let dir: string;
before(async () => {
  if (skip) return;
  sshd = await startSshd();
  dir = tempDir('tee-fleet-run-');
});
after(() => sshd?.stop());

const options = async () => ({ knownHosts: await pinnedHosts(sshd), at: new Date(FLEET_AT), offline: true, cacheDir: join(dir, 'cache') });

test('concurrency is bounded: never more collectors at once than asked, and more than one', { skip }, async () => {
  const live = join(dir, 'live');
  const log = join(dir, 'concurrent.log');
  mkdirSync(live);
  // Each collector registers itself while it runs and logs how many are running.
  const collector = `touch ${live}/$$; ls ${live} | wc -l >> ${log}; sleep 0.3; rm ${live}/$$; base64 -w0 ${VECTORS_DIR}${VECTOR.tdx.quote}`;
  const targets = Array.from({ length: 8 }, (_, i) => vectorTarget(sshd, `t${i}`, VECTOR.tdx, { collector }));
  const events: FleetProgress[] = [];
  const outcomes = await runFleet(targets, { ...(await options()), concurrency: 3, onProgress: (e) => events.push(e) });
  assert.deepEqual(
    outcomes.map((o) => o.verdict),
    new Array(8).fill('verified'),
  );
  assert.deepEqual(
    outcomes.map((o) => o.name),
    targets.map((t) => t.name),
    'in target order',
  );
  const counts = readFileSync(log, 'utf8').trim().split('\n').map(Number);
  assert.equal(counts.length, 8);
  assert.ok(Math.max(...counts) <= 3, `at most 3 at once: ${counts}`);
  assert.ok(Math.max(...counts) >= 2, `in parallel: ${counts}`);
  assert.deepEqual(
    events.filter((e) => e.type === 'finished').map((e) => e.done),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.ok(events.every((e) => e.total === 8));
  assert.equal(events.filter((e) => e.type === 'started').length, 8);
});

test('cancellation: nothing new starts, unfinished targets return at once as cancelled', { skip }, async () => {
  const targets = Array.from({ length: 14 }, (_, i) =>
    vectorTarget(sshd, `slow${i}`, VECTOR.tdx, { collector: `sleep 3; base64 -w0 ${VECTORS_DIR}${VECTOR.tdx.quote}` }),
  );
  const controller = new AbortController();
  const started: string[] = [];
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  const t0 = performance.now();
  setTimeout(() => controller.abort(), 400);
  const outcomes = await runFleet(targets, {
    ...(await options()),
    concurrency: 12,
    signal: controller.signal,
    onProgress: (e) => e.type === 'started' && started.push(e.name),
  });
  assert.ok(performance.now() - t0 < 1500, 'did not wait for the running collectors');
  assert.deepEqual(
    started,
    targets.slice(0, 12).map((t) => t.name),
  );
  assert.equal(outcomes.length, 14);
  for (const o of outcomes) {
    assert.equal(o.cancelled, true);
    assert.equal(o.verdict, 'error');
    assert.equal(o.error?.code, 'CANCELLED');
    assert.match(o.error!.message, /cancelled/);
  }
  const already = await runFleet(targets, { ...(await options()), signal: AbortSignal.abort() });
  assert.ok(already.every((o) => o.cancelled && o.elapsedMs === 0));
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.deepEqual(
    warnings.map((w) => w.message),
    [],
    'one abort listener per run, not one per target',
  );
});

test('configfs-tsm stand-in that answers the nonce: the fresh nonce reaches REPORT_DATA and the target verifies', { skip }, async () => {
  // FIFOs make the stand-in behave like configfs-tsm: inblob is read as the collector writes it, outblob is made from it.
  const entry = join(dir, 'tsm-fifo');
  mkdirSync(entry);
  execFileSync('mkfifo', [join(entry, 'inblob'), join(entry, 'outblob')]);
  writeFileSync(join(entry, 'generation'), '1\n');
  writeFileSync(join(entry, 'provider'), 'tdx_guest\n');
  const synthetic = await build({ kind: 'tdx-v4' });
  writeFileSync(join(dir, 'synthetic.collateral.json'), synthetic.collateral[0]!.bytes);
  let seen: Uint8Array | undefined;
  const served = (async () => {
    seen = new Uint8Array(await readFile(join(entry, 'inblob')));
    if (seen.length !== 64) return;
    await writeFile(join(entry, 'outblob'), (await build({ kind: 'tdx-v4', td: { reportData: seen } })).evidence);
  })();
  const target = { name: 'tsm-live', url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, identity: sshd.identityFile, collateral: ['synthetic.collateral.json'] };
  try {
    const verifier = createVerifier({ crypto: nodeCryptoProvider(), roots: { intel: [synthetic.pki.root.der] } });
    const [o] = await runFleet([target], {
      ...(await options()),
      at: AT,
      baseDir: dir,
      verifier,
      env: () => ({ TSM_ROOT: entry, TSM_ENTRY: entry }),
      timeoutMs: 10_000,
    });
    assert.equal(o!.verdict, 'verified', JSON.stringify(o!.error));
    assert.equal(o!.tier, 'affirming');
    assert.equal(o!.result?.claims.reportData, toHex(seen!), 'REPORT_DATA is the nonce the runner sent');
    assert.equal(o!.result?.checks.find((c) => c.id.endsWith('nonce'))?.status, 'pass');
    await served;
  } finally {
    // Release a stand-in still waiting in open(2), so the test process can exit whatever happened.
    for (const f of ['inblob', 'outblob']) closeSync(openSync(join(entry, f), constants.O_RDWR | constants.O_NONBLOCK));
  }
});

test('per-target failures stay per target: unreadable collateral, a malformed reference, an unparsable URL', { skip }, async () => {
  writeFileSync(join(dir, 'bad.reference.json'), '{"schema": "tee-inspect/reference/v1"}');
  const targets = [
    vectorTarget(sshd, 'ok', VECTOR.tdx),
    vectorTarget(sshd, 'no-collateral-file', VECTOR.tdx, { collateral: ['nope.json'] }),
    vectorTarget(sshd, 'bad-reference', VECTOR.tdx, { reference: 'bad.reference.json' }),
    { name: 'bad-url', url: 'ftp://x' },
    vectorTarget(sshd, 'ok-again', VECTOR.tdx),
  ];
  const o = await runFleet(targets, { ...(await options()), baseDir: dir });
  assert.deepEqual(
    o.map((x) => [x.verdict, x.error?.code]),
    [
      ['verified', undefined],
      ['error', 'FILE_UNREADABLE'],
      ['error', 'MALFORMED_REFERENCE'],
      ['error', 'USAGE_ERROR'],
      ['verified', undefined],
    ],
  );
  assert.match(o[2]!.error!.message, /reference file bad\.reference\.json: /);
  assert.equal(o[3]!.source, 'ftp://x');
});

test('a throwing progress callback does not stop the run', { skip }, async () => {
  const o = await runFleet([vectorTarget(sshd, 'a', VECTOR.tdx)], {
    ...(await options()),
    onProgress: () => {
      throw new Error('display broke');
    },
  });
  assert.equal(o[0]!.verdict, 'verified');
});
