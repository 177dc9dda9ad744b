import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as run, runCliJson as runJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** `tee-inspect verify --reference FILE`: exit 0 on a match, 1 on a mismatch, 2 on a malformed file. */
const V = VECTORS_DIR;
const TDX = [`${V}tdx/dcapqvl-v4.quote`, '--collateral', `${V}tdx/dcapqvl-v4.collateral.json`, '--at', '2025-07-19T10:00:34Z'];
const SGX = [`${V}sgx/dcapqvl-v3.quote`, '--collateral', `${V}sgx/dcapqvl-v3.collateral.json`, '--at', '2025-07-19T10:01:17Z'];
const EXAMPLE = fileURLToPath(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url));
const MRTD = '91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7';
const MRENCLAVE = '33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb';
const dir = mkdtempSync(join(tmpdir(), 'tee-ref-'));

function refFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const golden = (set: Record<string, unknown>) => ({ schema: 'tee-inspect/reference/v1', name: 'golden', sets: [{ name: 'prod', technology: 'tdx', ...set }] });

test('matching reference: exit 0, affirming, diffs and the set in the JSON', async () => {
  const { code, json } = await runJson(['verify', ...TDX, '--reference', EXAMPLE]);
  assert.equal(code, 0);
  assert.equal(json.verdict, 'verified');
  assert.equal(json.appraisal.tier, 'affirming');
  const sha256 = createHash('sha256').update(readFileSync(EXAMPLE)).digest('hex');
  assert.deepEqual(json.appraisal.reference, { name: 'dcap-qvl sample TD', set: 'dcapqvl-v4-td', matched: true, sha256 });
  assert.deepEqual(json.appraisal.diffs[0], { claim: 'mrTd', expected: [MRTD], actual: MRTD, match: true });
  assert.ok(json.appraisal.diffs.every((d: { match: boolean }) => d.match));
  assert.deepEqual(
    json.checks.filter((c: { id: string }) => c.id.startsWith('reference.')).map((c: { status: string }) => c.status),
    ['pass', 'pass', 'pass', 'pass'],
  );
});

test('text output shows the diff: claim, actual, expected, match', async () => {
  const ok = await run(['verify', ...TDX, '--reference', EXAMPLE]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /Reference values: "dcap-qvl sample TD", set "dcapqvl-v4-td": MATCH \(10 of 10 claims as expected\)/);
  assert.match(ok.out, new RegExp(`match  mrTd +actual +${MRTD}\\n +expected +${MRTD}`));
  const bad = await run(['verify', ...TDX, '--reference', refFile('bad.json', golden({ claims: { mrTd: ['00'.repeat(48), '11'.repeat(48)] } }))]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /set "prod": MISMATCH \(0 of 1 claims as expected\)/);
  assert.match(bad.out, new RegExp(`DIFF   mrTd +actual +${MRTD}\\n +expected  ${'00'.repeat(48)}\\n +${'11'.repeat(48)}`));
  assert.match(bad.out, /FAIL\s+Measurements match the reference values\s+\[REFERENCE_MISMATCH\]/);
});

test('mismatching reference: exit 1, REFERENCE_MISMATCH in the JSON', async () => {
  const { code, json } = await runJson(['verify', ...TDX, '--reference', refFile('mismatch.json', golden({ claims: { mrTd: ['00'.repeat(48)] } }))]);
  assert.equal(code, 1);
  assert.equal(json.verdict, 'rejected');
  assert.equal(json.appraisal.tier, 'contraindicated');
  assert.equal(json.cryptoValid, true);
  assert.deepEqual(
    json.errors.map((e: { code: string }) => e.code),
    ['REFERENCE_MISMATCH'],
  );
  assert.match(json.errors[0].message, /mrTd is 91eb2b44.*but the set allows only 0000/);
  assert.deepEqual(json.appraisal.diffs, [{ claim: 'mrTd', expected: ['00'.repeat(48)], actual: MRTD, match: false }]);
});

test('SGX with a status-narrowing set: UpToDate only is exit 1; listing the status is exit 0, or 1 with --strict', async () => {
  const set = (allowedTcbStatuses: string[]) => ({
    schema: 'tee-inspect/reference/v1',
    name: 'g',
    sets: [{ name: 'e', technology: 'sgx', claims: { mrEnclave: [MRENCLAVE] }, allowedTcbStatuses }],
  });
  const strict = await runJson(['verify', ...SGX, '--reference', refFile('sgx-strict.json', set(['UpToDate']))]);
  assert.equal(strict.code, 1);
  assert.equal(strict.json.errors[0].check, 'reference.tcb-status');
  const listed = refFile('sgx-listed.json', set(['UpToDate', 'ConfigurationAndSWHardeningNeeded']));
  assert.equal((await run(['verify', ...SGX, '--reference', listed])).code, 0);
  assert.equal((await run(['verify', ...SGX, '--reference', listed, '--strict'])).code, 1);
});

test('malformed or unreadable reference file: exit 2 with the JSON path, before any verification', async () => {
  const cases: [string, RegExp, string][] = [
    [
      refFile('short.json', golden({ claims: { mrTd: [MRTD.slice(2)] } })),
      /reference file .*short\.json: \$\.sets\[0\]\.claims\.mrTd\[0\] must be 48 bytes \(96 hex digits\), not 94 digits/,
      'MALFORMED_REFERENCE',
    ],
    [
      refFile('typo.json', golden({ claims: { mrTd: [MRTD] }, alowDebug: true })),
      /\$\.sets\[0\]\.alowDebug is not a tee-inspect\/reference\/v1 member/,
      'MALFORMED_REFERENCE',
    ],
    [refFile('text.json', 'mrTd = 91eb2b44'), /is not UTF-8 JSON/, 'MALFORMED_REFERENCE'],
    [join(dir, 'missing.json'), /cannot read .*missing\.json: ENOENT/, 'FILE_UNREADABLE'],
  ];
  for (const [path, message, errCode] of cases) {
    const text = await run(['verify', ...TDX, '--reference', path]);
    assert.equal(text.code, 2, path);
    assert.match(text.err, message);
    assert.equal(text.out, '');
    const { code, json } = await runJson(['verify', ...TDX, '--reference', path]);
    assert.equal(code, 2);
    assert.equal(json.errors[0].code, errCode);
    assert.match(json.errors[0].message, message);
  }
});

test('--reference takes one file', async () => {
  const r = await run(['verify', ...TDX, '--reference', EXAMPLE, '--reference', EXAMPLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--reference takes one file/);
});
