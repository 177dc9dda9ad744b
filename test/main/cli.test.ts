import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as run, runCliJson as runJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';

const V = VECTORS_DIR;
const SGX = [`${V}sgx/dcapqvl-v3.quote`, '--collateral', `${V}sgx/dcapqvl-v3.collateral.json`, '--at', '2025-07-19T10:01:17Z'];
const TDX = [`${V}tdx/dcapqvl-v4.quote`, '--collateral', `${V}tdx/dcapqvl-v4.collateral.json`, '--at', '2025-07-19T10:00:34Z'];

test('verified quote: exit 0, one JSON object in the contract shape', async () => {
  const { code, json } = await runJson(['verify', ...TDX]);
  assert.equal(code, 0);
  assert.equal(json.schema, 'tee-inspect/result/v1');
  assert.equal(json.technology, 'tdx');
  assert.equal(json.format, 'tdx-quote-v4');
  assert.equal(json.verdict, 'verified');
  assert.equal(json.cryptoValid, true);
  assert.equal(json.appraisal.tier, 'affirming');
  assert.equal(json.tcb.status, 'UpToDate');
  assert.equal(json.evidence.bytes, 5006);
  assert.match(json.evidence.sha256, /^c42f9164/);
  assert.equal(json.claims.mrTd, '91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7');
  for (const c of json.checks) assert.ok(c.id && c.status && c.title && c.explain, JSON.stringify(c));
});

test('text format is what an officer reads: verdict, TCB with advisories, every check', async () => {
  const { code, out } = await run(['verify', ...SGX]);
  assert.equal(code, 0);
  assert.match(out, /Verdict:\s+VERIFIED/);
  assert.match(out, /ConfigurationAndSWHardeningNeeded.*INTEL-SA-00289, INTEL-SA-00615/);
  assert.match(out, /WARN\s+TCB status/);
  assert.match(out, /PASS\s+Quote is signed by the attestation key/);
});

test('--strict turns an appraisal warning into exit 1', async () => {
  assert.equal((await run(['verify', ...SGX, '--strict'])).code, 1);
  assert.equal((await run(['verify', ...TDX, '--strict'])).code, 0);
});

test('rejected quote: exit 1 with the error code, JSON still printed', async () => {
  const { code, json } = await runJson(['verify', `${V}tdx/dcapqvl-v4-bad-signature.quote`, ...TDX.slice(1)]);
  assert.equal(code, 1);
  assert.equal(json.verdict, 'rejected');
  assert.equal(json.errors[0].code, 'QUOTE_SIGNATURE_INVALID');
});

test('--nonce must lead REPORT_DATA', async () => {
  const hello = Buffer.from('Hello, world!').toString('hex');
  assert.equal((await run(['verify', ...SGX, '--nonce', hello])).code, 0);
  const bad = await runJson(['verify', ...SGX, '--nonce', 'deadbeef']);
  assert.equal(bad.code, 1);
  assert.equal(bad.json.errors[0].code, 'NONCE_MISMATCH');
  assert.equal((await run(['verify', ...SGX, '--nonce', 'ab'.repeat(65)])).code, 2);
  assert.equal((await run(['verify', ...SGX, '--nonce', 'xyz'])).code, 2);
});

test('hex, base64 and JSON-bundle evidence verify like the raw bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tee-cli-'));
  const raw = execFileSync('cat', [`${V}tdx/dcapqvl-v4.quote`]);
  const forms = {
    'q.hex': raw.toString('hex'),
    'q.b64': raw.toString('base64').replace(/(.{76})/g, '$1\n'),
    'q.json': JSON.stringify({ quote: raw.toString('base64') }),
  };
  for (const [name, text] of Object.entries(forms)) {
    writeFileSync(join(dir, name), text);
    const { code, json } = await runJson(['verify', join(dir, name), ...TDX.slice(1)]);
    assert.equal(code, 0, name);
    assert.equal(json.evidence.encoding, { 'q.hex': 'hex', 'q.b64': 'base64', 'q.json': 'json' }[name]);
  }
});

test('raw Intel PCS responses are detected and combined like the bundle', async () => {
  const p = `${V}tdx/gotdx-pcs-2023/`;
  const files = [
    'tcbinfo-fmspc-50806f000000.json',
    'qe-identity-td-qe.json',
    'pckcrl-platform.der',
    'rootcrl.der',
    'tcb-info-issuer-chain.pem',
    'pck-crl-issuer-chain.pem',
  ];
  const { code, json } = await runJson([
    'verify',
    `${V}tdx/trustee-v4-debug-td.quote`,
    ...files.flatMap((f) => ['--collateral', p + f]),
    '--at',
    '2023-07-01T01:00:00Z',
  ]);
  assert.equal(code, 1);
  assert.equal(json.errors[0].code, 'DEBUG_ENABLED');
  assert.equal(json.cryptoValid, true);
  assert.equal(json.tcb.status, 'UpToDate');
  for (const c of json.checks.filter((x: { id: string }) => x.id !== 'dcap.policy.debug' && x.id !== 'dcap.nonce'))
    assert.equal(c.status, 'pass', `${c.id}: ${c.explain}`);
});

test('usage errors and unreadable or wrong inputs exit 2 with a clear message', async () => {
  const cases: [string[], RegExp][] = [
    [['verify'], /needs one EVIDENCE/],
    [['verify', ...SGX, '--bogus'], /Unknown option '--bogus'/],
    [['verify', ...SGX, '--at', 'yesterday'], /--at must be an ISO-8601 time/],
    [['verify', ...SGX, '--format', 'xml'], /--format must be text or json/],
    [['verify', `${V}does-not-exist.quote`], /cannot read .*ENOENT/],
    [['verify', `${V}sgx/dcapqvl-v3.collateral.json`], /holds no recognised quote/],
    [['verify', `${V}roots/intel-sgx-root-ca.der`], /not recognised as attestation evidence/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const text = await run(args);
    assert.equal(text.code, 2, `${args.join(' ')}: ${text.out.slice(0, 200)}`);
    assert.match(text.err + text.out, message, args.join(' '));
    if (args[0] === 'verify' && args.length > 1 && !args.includes('--format')) {
      const { code, json } = await runJson(args);
      assert.equal(code, 2);
      assert.ok(json.errors[0].code, 'JSON carries a typed code');
    }
  }
});

test('npx-style bin runs the built CLI', () => {
  const bin = fileURLToPath(new URL('../../bin/tee-inspect.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'verify', ...TDX, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).verdict, 'verified');
  const bad = spawnSync(process.execPath, [bin, 'verify', `${V}tdx/dcapqvl-v4-bad-pck-cert.quote`, ...TDX.slice(1)], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /REJECTED/);
});

test('serve prints one line with the loopback one-time launch link, serves the page, and stops on SIGTERM', async () => {
  const bin = fileURLToPath(new URL('../../bin/tee-inspect.mjs', import.meta.url));
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    // The secret in the printed link works once (browser-server.test.ts); the session itself is a cookie.
    assert.match(line, /^TEE Inspector: http:\/\/127\.0\.0\.1:\d+\/launch\?once=[0-9a-f]{64}$/);
    const url = new URL(line.slice('TEE Inspector: '.length));
    const page = await fetch(`http://127.0.0.1:${url.port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
  } finally {
    child.kill('SIGTERM'); // also when an assertion failed: never leave the server running
  }
  assert.equal(await exited, 0);
  assert.equal((await run(['serve', '--port', 'x'])).code, 2);
});

test('every input is listed with its role; an extra quote or note file is ignored and never blocks the verdict', async () => {
  const notes = join(mkdtempSync(join(tmpdir(), 'tee-cli-')), 'notes.txt');
  writeFileSync(notes, 'not collateral\n');
  const args = [
    'verify',
    ...TDX,
    '--collateral',
    `${V}sgx/dcapqvl-v3.quote`,
    '--collateral',
    notes,
    '--collateral',
    `${V}roots/intel-sgx-root-ca.der`,
    '--offline',
  ];
  const { code, json } = await runJson(args);
  assert.equal(code, 0);
  assert.deepEqual(
    json.inputs.map((i: { name: string; role: string }) => [i.name, i.role]),
    [
      ['dcapqvl-v4.quote', 'evidence'],
      ['dcapqvl-v4.collateral.json', 'collateral'],
      ['dcapqvl-v3.quote', 'ignored'],
      ['notes.txt', 'ignored'],
      ['intel-sgx-root-ca.der', 'unused'],
    ],
  );
  assert.match(json.inputs[2].note, /attestation evidence .* not collateral/);
  assert.deepEqual(json.notEstablished, ['freshness', 'measurements']);
  const text = await run(args);
  assert.match(text.out, /Not shown: freshness \(no nonce was checked/);
  assert.match(text.out, /IGNORED {2}notes\.txt/);
  assert.match(text.out, /UNUSED {3}intel-sgx-root-ca\.der\n\s+holds only certificates pinned in TEE Inspector/);
});

test('recognised but unsupported evidence is UNSUPPORTED_EVIDENCE naming the format (exit 2)', async () => {
  const { code, json } = await runJson(['verify', `${V}cca/cca-example-token.cbor`]);
  assert.equal(code, 2);
  assert.equal(json.errors[0].code, 'UNSUPPORTED_EVIDENCE');
  assert.match(json.errors[0].message, /Arm CCA attestation token/);
});

test('--strict makes a missing CRL a failure, not only a warning', async () => {
  const bundle = JSON.parse(readFileSync(`${V}tdx/dcapqvl-v4.collateral.json`, 'utf8')) as Record<string, unknown>;
  delete bundle['pck_crl'];
  const path = join(mkdtempSync(join(tmpdir(), 'tee-cli-')), 'no-crl.json');
  writeFileSync(path, JSON.stringify(bundle));
  const base = ['verify', `${V}tdx/dcapqvl-v4.quote`, '--collateral', path, '--at', '2025-07-19T10:00:34Z', '--offline'];
  const lenient = await runJson(base);
  assert.equal(lenient.json.verdict, 'verified');
  assert.ok(lenient.json.notEstablished.includes('revocation'));
  const strict = await runJson([...base, '--strict']);
  assert.equal(strict.code, 1);
  assert.equal(strict.json.verdict, 'rejected');
  assert.ok(strict.json.errors.some((e: { code: string }) => e.code === 'COLLATERAL_MISSING'));
});
