import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** `verify --report/--ear` through the pipeline, then `recheck` of what it wrote: the round trip a user makes. */
const dir = mkdtempSync(join(tmpdir(), 'tee-verify-report-'));
const V = VECTORS_DIR;
const TDX = [
  `${V}tdx/dcapqvl-v4.quote`,
  '--collateral',
  `${V}tdx/dcapqvl-v4.collateral.json`,
  '--at',
  '2025-07-19T10:00:34Z',
  '--offline',
  '--cache-dir',
  join(dir, 'cache'),
];
const keys = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
writeFileSync(join(dir, 'key.pem'), keys.privateKey);
writeFileSync(join(dir, 'pub.pem'), keys.publicKey);

test('verify --report writes a v2 report with every input; recheck agrees; an altered verdict does not', async () => {
  const file = join(dir, 'report.json');
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'not collateral');
  const verified = await runCli(['verify', ...TDX, '--collateral', notes, '--report', file]);
  assert.equal(verified.code, 0, verified.err);
  assert.match(verified.err, /wrote .*report\.json/);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(report.schema, 'tee-inspect/report/v2');
  assert.deepEqual(
    report.inputs.map((i: { name: string; role: string }) => [i.name, i.role]),
    [
      ['dcapqvl-v4.quote', 'evidence'],
      ['dcapqvl-v4.collateral.json', 'collateral'],
      ['notes.txt', 'ignored'],
    ],
  );
  assert.ok(report.inputs.every((i: { data: string }) => i.data.length > 0));
  assert.ok(report.trustBoundary.layers.some((l: { state: string }) => l.state === 'proven'));
  const again = await runCliJson(['recheck', file]);
  assert.equal(again.code, 0, JSON.stringify(again.json.errors));
  assert.equal(again.json.agrees, true);
  report.result.verdict = 'rejected';
  writeFileSync(join(dir, 'altered.json'), JSON.stringify(report));
  const altered = await runCliJson(['recheck', join(dir, 'altered.json')]);
  assert.equal(altered.code, 1);
  assert.equal(altered.json.agrees, false);
});

test('verify --ear --sign-key writes an EAR token that rechecks with the public key', async () => {
  const token = join(dir, 'ear.jwt');
  const verified = await runCli(['verify', ...TDX, '--ear', token, '--sign-key', join(dir, 'key.pem')]);
  assert.equal(verified.code, 0, verified.err);
  assert.ok(/^[\w-]+\.[\w-]+\.[\w-]+$/.test(readFileSync(token, 'utf8').trim()), 'a JWS compact token');
  const ok = await runCliJson(['recheck', token, '--key', join(dir, 'pub.pem')]);
  assert.equal(ok.code, 0, JSON.stringify(ok.json.errors));
  assert.equal(ok.json.agrees, true);
  assert.equal((await runCli(['verify', ...TDX, '--ear', join(dir, 'x.jwt')])).code, 2, '--ear needs --sign-key');
});
