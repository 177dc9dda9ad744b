import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run, runCliJson as runJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { signReference } from '../../main/reference/sign.js';
import { EXAMPLE_JSON, EXAMPLE_PATH, b64url, sha256, testKey } from './signed-reference-support.js';

/** `verify --reference SIGNED --reference-key PUB.pem` through main(), on a real TDX quote. */
const V = VECTORS_DIR;
const TDX = [`${V}tdx/dcapqvl-v4.quote`, '--collateral', `${V}tdx/dcapqvl-v4.collateral.json`, '--at', '2025-07-19T10:00:34Z'];
const dir = mkdtempSync(join(tmpdir(), 'tee-signed-ref-'));
const key = testKey('P-256');
const other = testKey('P-256');

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const token = await signReference(EXAMPLE_JSON, key.privatePem);
const SIGNED = file('golden.jws', `${token}\n`);
const PUB = file('pub.pem', key.publicPem);
const OTHER = file('other.pem', other.publicPem);

test('signed set and the right key: the verdict of the unsigned set, with the file, digest and key recorded', async () => {
  const plain = await runJson(['verify', ...TDX, '--reference', EXAMPLE_PATH]);
  const signed = await runJson(['verify', ...TDX, '--reference', SIGNED, '--reference-key', PUB]);
  assert.equal(signed.code, 0);
  assert.equal(signed.json.verdict, plain.json.verdict);
  assert.equal(signed.json.appraisal.tier, plain.json.appraisal.tier);
  assert.deepEqual(signed.json.appraisal.diffs, plain.json.appraisal.diffs);
  assert.deepEqual(signed.json.checks, plain.json.checks);
  assert.deepEqual(signed.json.appraisal.reference, {
    name: 'dcap-qvl sample TD',
    set: 'dcapqvl-v4-td',
    matched: true,
    sha256: sha256(`${token}\n`),
    signature: { alg: 'ES256', keySha256: key.spkiSha256, publicKeyPem: key.publicPem, verified: true },
  });
  const input = signed.json.inputs.find((i: { role: string }) => i.role === 'reference');
  assert.deepEqual(input, { name: 'golden.jws', role: 'reference', sha256: sha256(`${token}\n`), bytes: token.length + 1 });
});

test('text output names the file, its digest prefix, the set and the signature state', async () => {
  const verified = await run(['verify', ...TDX, '--reference', SIGNED, '--reference-key', `${PUB}`]);
  assert.equal(verified.code, 0);
  assert.match(verified.out, /Reference values: "dcap-qvl sample TD", set "dcapqvl-v4-td": MATCH/);
  const digest = sha256(`${token}\n`).slice(0, 16);
  assert.match(
    verified.out,
    new RegExp(`Reference file: golden\\.jws \\(sha256:${digest}…\\), signed \\(ES256\\) by key sha256:${key.spkiSha256} \\(verified\\)`),
  );
  const unchecked = await run(['verify', ...TDX, '--reference', SIGNED]);
  assert.equal(unchecked.code, 0);
  assert.match(unchecked.out, /Reference file: golden\.jws .*, signed \(ES256\), signature not checked \(no --reference-key\)/);
  const unsigned = await run(['verify', ...TDX, '--reference', EXAMPLE_PATH]);
  assert.match(unsigned.out, new RegExp(`Reference file: tdx-dcapqvl-v4\\.reference\\.json \\(sha256:${sha256(EXAMPLE_JSON).slice(0, 16)}…\\), unsigned`));
});

test('the key given as --reference-key=FILE works as well', async () => {
  const r = await runJson(['verify', ...TDX, '--reference', SIGNED, `--reference-key=${PUB}`]);
  assert.equal(r.code, 0);
  assert.equal(r.json.appraisal.reference.signature.verified, true);
});

test('refused before any verification (exit 2): another key, an unsigned set, an altered payload', async () => {
  const [h, p, s] = token.split('.') as [string, string, string];
  const altered = Buffer.from(p, 'base64url').toString().replace('"allowDebug": false', '"allowDebug": true ');
  assert.notEqual(altered, Buffer.from(p, 'base64url').toString(), 'the example has allowDebug false');
  const cases: [string[], string, RegExp][] = [
    [['--reference', SIGNED, '--reference-key', OTHER], 'REFERENCE_SIGNATURE_INVALID', /golden\.jws: .*altered or signed with another key/],
    [['--reference', EXAMPLE_PATH, '--reference-key', PUB], 'REFERENCE_UNSIGNED', /not signed, but a reference key was given/],
    [
      ['--reference', file('altered.jws', `${h}.${b64url(altered)}.${s}`), '--reference-key', PUB],
      'REFERENCE_SIGNATURE_INVALID',
      /altered\.jws: .*does not verify/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const json = await runJson(['verify', ...TDX, ...args]);
    assert.equal(json.code, 2, code);
    assert.equal(json.json.errors[0].code, code);
    assert.match(json.json.errors[0].message, message);
    assert.equal(json.json.checks.length, 0, 'nothing was verified');
    const text = await run(['verify', ...TDX, ...args]);
    assert.equal(text.code, 2);
    assert.equal(text.out, '');
    assert.match(text.err, message);
    assert.doesNotMatch(text.err, /usage:/, 'a refused set is not a usage mistake');
  }
});

test('usage errors: a key without --reference, two keys, a missing value, a key that is no public key, an output over the key', async () => {
  const cases: [string[], RegExp][] = [
    [['--reference-key', PUB], /--reference-key goes with --reference FILE/],
    [['--reference', SIGNED, '--reference-key', PUB, '--reference-key', OTHER], /--reference-key takes one file/],
    [['--reference', SIGNED, '--reference-key'], /--reference-key needs a file/],
    [['--reference', SIGNED, '--reference-key', '--strict'], /--reference-key needs a file/],
    [['--reference', SIGNED, '--reference-key', SIGNED], /reference key .* not a usable public key: it must hold exactly one "PUBLIC KEY" block/],
    [['--reference', SIGNED, '--reference-key', file('priv.pem', key.privatePem)], /found "PRIVATE KEY"/],
    [['--reference', SIGNED, '--reference-key', PUB, '--report', PUB], /may not be the --reference-key file/],
    [['--reference', SIGNED, '--reference-key', join(dir, 'missing.pem')], /reference key .*missing\.pem/],
  ];
  for (const [args, message] of cases) {
    const r = await run(['verify', ...TDX, ...args]);
    assert.equal(r.code, 2, String(message));
    assert.match(r.err, message);
  }
  const usage = await run(['verify', ...TDX, '--reference-key', PUB]);
  assert.match(usage.err, /usage: .*\[--reference FILE \[--reference-key PUB\.pem\]\]/);
});
