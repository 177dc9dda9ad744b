import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { runCli } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { FLEET_AT, VECTOR, closedPort, hostKeyFingerprint, pinnedStore, tempDir, tsmCollector, vectorTarget, writeTargets } from '../support/fleet.js';
import { FleetHistory } from '../../main/fleet/history.js';
import { fleetCommand } from '../../main/cli/fleet-command.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';

const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
let sshd: Sshd;
let dir: string;
let store: string;
let mixed: TargetSpec[];
let tsmEntry: string;
before(async () => {
  if (skip) return;
  sshd = await startSshd();
  dir = tempDir('tee-fleet-');
  process.env.XDG_CONFIG_HOME = join(dir, 'xdg'); // the default history directory, never the user's
  store = await pinnedStore(sshd, dir);
  // Relative paths start from the targets file's directory.
  copyFileSync(`${VECTORS_DIR}${VECTOR.tdx.collateral}`, join(dir, 'tdx.collateral.json'));
  copyFileSync(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url), join(dir, 'tdx.reference.json'));
  tsmEntry = join(dir, 'tsm-entry');
  mkdirSync(tsmEntry);
  writeFileSync(join(tsmEntry, 'outblob'), readFileSync(`${VECTORS_DIR}${VECTOR.tdx.quote}`));
  writeFileSync(join(tsmEntry, 'generation'), '1\n');
  writeFileSync(join(tsmEntry, 'provider'), 'tdx_guest\n');
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
  mixed = [
    vectorTarget(sshd, 'tdx-1', VECTOR.tdx, { collateral: ['tdx.collateral.json'], reference: 'tdx.reference.json' }),
    vectorTarget(sshd, 'sgx-1', VECTOR.sgx),
    vectorTarget(sshd, 'snp-1', VECTOR.snp),
    vectorTarget(sshd, 'tampered', VECTOR.tdxTampered),
    { name: 'unreachable', url: `ssh://${sshd.user}@127.0.0.1:${await closedPort()}`, identity: sshd.identityFile, nonce: false },
    { ...vectorTarget(sshd, 'new-host', VECTOR.tdx), url: `ssh://${sshd.user}@localhost:${sshd.port}` },
    { name: 'tsm', url, identity: sshd.identityFile, collector: tsmCollector(dir, tsmEntry), collateral: ['tdx.collateral.json'] },
    vectorTarget(sshd, 'no-reference', VECTOR.tdx, { reference: 'absent.json' }),
    { ...vectorTarget(sshd, 'garbage', VECTOR.tdx), collector: 'echo not evidence' },
  ];
});
after(() => sshd?.stop());

const common = () => ['--host-key-store', store, '--at', FLEET_AT, '--offline', '--cache-dir', join(dir, 'cache')];
const fleet = (targets: TargetSpec[], ...extra: string[]) =>
  runCli(['fleet', 'verify', writeTargets(dir, targets, `t-${targets.length}-${Math.random()}.json`), ...common(), ...extra]);

test('fleet verify: one line per target in order, typed errors, a summary, exit 1 unless all verified', { skip }, async () => {
  const historyDir = join(dir, 'history-mixed');
  const r = await fleet(mixed, '--history-dir', historyDir, '--concurrency', '4');
  assert.equal(r.code, 1, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, mixed.length + 1, r.out);
  const expect: [string, RegExp][] = [
    ['tdx-1', /^tdx-1 +verified\/affirming +UpToDate +- +\(\d+ ms\)$/],
    ['sgx-1', /^sgx-1 +verified\/warning +ConfigurationAndSWHardeningNeeded +- +\(\d+ ms\)$/],
    ['snp-1', /^snp-1 +verified\/warning +NotEvaluated +- /],
    ['tampered', /^tampered +rejected\/contraindicated +- +QUOTE_SIGNATURE_INVALID Failed: Quote is signed/],
    ['unreachable', /^unreachable +error\/none +- +FETCH_FAILED ssh 127\.0\.0\.1:\d+: .*ECONNREFUSED/],
    [
      'new-host',
      /^new-host +error\/none +- +HOST_KEY_UNKNOWN ssh localhost:\d+ presented an unknown host key SHA256:\S+ .* — .*tee-inspect hosts pin localhost:\d+ SHA256:/,
    ],
    ['tsm', /^tsm +rejected\/contraindicated +UpToDate +NONCE_MISMATCH /],
    ['no-reference', /^no-reference +error\/none +- +FILE_UNREADABLE cannot read \S+absent\.json: ENOENT/],
    ['garbage', /^garbage +error\/none +- +MALFORMED_EVIDENCE /],
  ];
  expect.forEach(([name, re], i) => assert.match(lines[i]!, re, `line ${i} (${name})`));
  assert.ok(lines[5]!.includes(hostKeyFingerprint(sshd)), 'the fingerprint to confirm is shown');
  assert.match(lines.at(-1)!, /^summary: 3 verified, 2 rejected, 4 errors of 9 targets in \d+\.\d\d s$/);
  assert.equal(readFileSync(join(tsmEntry, 'inblob')).length, 64, 'the configfs-tsm stand-in received a fresh 64-byte nonce');
  const tdx = await new FleetHistory(historyDir).latest(mixed[0]!);
  assert.equal(tdx.length, 1);
  assert.equal(readdirSync(historyDir).length, mixed.length, 'one history file per target');
});

test('fleet verify --format json: one fleet/v1 object with each result and the summary', { skip }, async () => {
  const r = await fleet(mixed, '--format', 'json', '--no-history');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out);
  assert.equal(doc.schema, 'tee-inspect/fleet/v1');
  assert.equal(doc.at, '2025-07-19T10:00:34.000Z');
  assert.deepEqual(
    doc.targets.map((t: { name: string }) => t.name),
    mixed.map((t) => t.name),
  );
  assert.deepEqual(
    doc.targets.map((t: { verdict: string }) => t.verdict),
    ['verified', 'verified', 'verified', 'rejected', 'error', 'error', 'rejected', 'error', 'error'],
  );
  const [tdx, , , tampered, unreachable, newHost] = doc.targets;
  assert.deepEqual(Object.keys(tdx).sort(), ['elapsedMs', 'name', 'result', 'source', 'startedAt', 'tcbStatus', 'tier', 'verdict']);
  assert.equal(tdx.source, `ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
  assert.equal(tdx.result.schema, 'tee-inspect/result/v1');
  assert.equal(tdx.result.appraisal.reference.matched, true, 'the reference file was applied');
  assert.equal(tampered.error.code, 'QUOTE_SIGNATURE_INVALID');
  assert.equal(unreachable.result, undefined);
  assert.equal(newHost.error.detail.fingerprint, hostKeyFingerprint(sshd));
  assert.match(newHost.error.hint, /tee-inspect hosts pin localhost:\d+ SHA256:/);
  assert.deepEqual({ ...doc.summary, elapsedMs: 0 }, { total: 9, verified: 3, rejected: 2, errors: 4, cancelled: 0, affirming: 1, elapsedMs: 0 });
  assert.ok(Number.isInteger(doc.summary.elapsedMs) && doc.summary.elapsedMs > 0);
});

test('exit 0 when every target verifies; --strict also needs affirming; the host key store is left alone', { skip }, async () => {
  const before = readFileSync(store, 'utf8');
  const good = mixed.slice(0, 3);
  assert.equal((await fleet(good, '--no-history')).code, 0);
  assert.equal((await fleet(good, '--no-history', '--strict')).code, 1, 'sgx-1 and snp-1 are warning');
  const strict = await fleet(good.slice(0, 1), '--no-history', '--strict');
  assert.equal(strict.code, 0, strict.out);
  assert.equal(readFileSync(store, 'utf8'), before);
});

test("--known-hosts is the run's trust file: its hosts verify, nothing is copied into the pin store", { skip }, async () => {
  const newHost = mixed[5]!;
  const [type, b64] = sshd.hostKeyPub.split(' ');
  const knownHosts = join(dir, 'ssh_known_hosts');
  writeFileSync(knownHosts, `[localhost]:${sshd.port} ${type} ${b64}\n`);
  const pins = readFileSync(store, 'utf8');
  const r = await fleet([newHost], '--no-history', '--known-hosts', knownHosts);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^new-host +verified\/affirming/);
  assert.equal(readFileSync(store, 'utf8'), pins, 'the pin store is unchanged');
  const again = await fleet([newHost], '--no-history');
  assert.match(
    again.out,
    /HOST_KEY_UNKNOWN .*tee-inspect hosts pin localhost:\d+ SHA256:/,
    'without the file the host is unknown again; the hint names `hosts pin`',
  );
});

test('history: each run appends a compact record per target', { skip }, async () => {
  const historyDir = join(dir, 'history-twice');
  const targets = [mixed[0]!, mixed[4]!];
  await fleet(targets, '--history-dir', historyDir);
  await fleet(targets, '--history-dir', historyDir);
  const h = new FleetHistory(historyDir);
  const good = await h.latest(targets[0]!);
  assert.equal(good.length, 2);
  assert.equal(good[1]!.verdict, 'verified');
  assert.equal(good[1]!.tier, 'affirming');
  assert.equal(good[1]!.technology, 'tdx');
  assert.match(good[1]!.sha256!, /^[0-9a-f]{64}$/);
  assert.equal(good[1]!.claims?.mrTd, '91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7');
  assert.equal(good[1]!.claims?.reportData, undefined, 'not the nonce-bearing report data');
  const bad = await h.latest(targets[1]!, 1);
  assert.deepEqual([bad.length, bad[0]!.verdict, bad[0]!.error], [1, 'error', 'FETCH_FAILED']);
  const defaultDir = join(process.env.XDG_CONFIG_HOME!, 'tee-inspector', 'history');
  await fleet(targets, '--no-history');
  assert.equal(existsSync(defaultDir), false, '--no-history writes nothing');
  await fleet(targets);
  assert.equal(readdirSync(defaultDir).length, 2, 'by default, beside the host key store');
});

test('the progress bar goes to stderr only when asked (a terminal), and ends cleared', { skip }, async () => {
  let out = '';
  let err = '';
  const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), color: false, now: () => new Date(FLEET_AT) };
  const file = writeTargets(dir, mixed.slice(0, 2), 'progress.json');
  assert.equal(await fleetCommand(['verify', file, ...common(), '--no-history'], io, { progress: true }), 0);
  assert.match(err, /\r\x1b\[K\[#{24}\] 2\/2 {2}2 verified, 0 not/);
  assert.ok(err.endsWith('\r\x1b[K'));
  assert.equal(out.split('\n').length, 4, 'stdout has only the result lines');
});

test('usage errors and a bad targets file exit 2 with a message that names the problem', { skip }, async () => {
  const bad = writeTargets(dir, [mixed[0]!, { ...mixed[1]!, name: 'tdx-1' }], 'dup.json');
  const cases: [string[], RegExp][] = [
    [['fleet'], /fleet needs a command: fleet verify TARGETS\.json/],
    [['fleet', 'check', 'x.json'], /unknown fleet command "check"/],
    [['fleet', 'verify'], /needs one TARGETS\.json/],
    [['fleet', 'verify', join(dir, 'absent.json')], /cannot read targets file .*absent\.json: ENOENT/],
    [['fleet', 'verify', bad], /targets\[1\] \("tdx-1"\)\.name repeats the name of targets\[0\]/],
    [['fleet', 'verify', writeTargets(dir, [], 'empty.json')], /lists no targets/],
    [['fleet', 'verify', bad, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 256/],
    [['fleet', 'verify', bad, '--history-dir', dir, '--no-history'], /exclude each other/],
    [['fleet', 'verify', bad, '--at', 'yesterday'], /--at must be an ISO-8601 time/],
    [['fleet', 'verify', bad, '--trust-host-key', 'SHA256:x'], /Unknown option '--trust-host-key'/],
    [['fleet', 'verify', bad, '--timeout', '0'], /--timeout takes seconds from 0.1 to 3600/],
    [['fleet', 'verify', bad, '--tcb-update', 'soon'], /--tcb-update must be standard or early/],
    [['fleet', 'verify', bad, '--report-dir', join(dir, 'absent')], /--report-dir .*absent is not an existing folder/],
    [['fleet', 'verify', bad, '--report-dir', bad], /--report-dir .*dup\.json is not a folder/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.out, '');
  }
  const json = await runCli(['fleet', 'verify', bad, '--format', 'json']);
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.out).errors[0].code, 'USAGE_ERROR');
  const usage = await runCli(['--help']);
  assert.match(usage.out, /tee-inspect fleet verify TARGETS\.json/);
});

test("--timeout bounds each target's evidence fetch", { skip }, async () => {
  const slow = { ...vectorTarget(sshd, 'slow', VECTOR.tdx), collector: 'sleep 5' };
  const t0 = performance.now();
  const r = await fleet([slow, mixed[1]!], '--timeout', '0.5', '--no-history');
  assert.ok(performance.now() - t0 < 4000, 'did not wait for the slow collector');
  assert.match(r.out, /^slow +error\/none +- +FETCH_FAILED ssh .*no evidence within 500 ms/m);
  assert.match(r.out, /^sgx-1 +verified/m);
});
