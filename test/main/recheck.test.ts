import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TeeError } from '../../app/errors.js';
import type { ReportV2 } from '../../app/report/report.js';
import { parseVerifyArgs } from '../../main/cli/args.js';
import { writeReportOutputs } from '../../main/report/index.js';
import { runCli, runCliJson } from '../support/cli.js';
import { SNP, TDX, TDX_REFERENCE, flipInputByte, vectorReport } from '../support/report-fixture.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** `tee-inspect recheck`, on reports and EAR tokens written by writeReportOutputs (what verify --report/--ear calls). */
const dir = mkdtempSync(join(tmpdir(), 'tee-recheck-'));
const path = (name: string) => join(dir, name);
const keyPair = (namedCurve = 'P-256') =>
  generateKeyPairSync('ec', { namedCurve, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const signer = keyPair();
writeFileSync(path('pub.pem'), signer.publicKey);
writeFileSync(path('other.pem'), keyPair().publicKey);

/** The tiny local wrapper the brief allows: verify (as the pipeline will), then write what the flags ask for. */
async function verifyTo(name: string, report: ReportV2, ear = false): Promise<string> {
  const out = ear ? { earFile: path(`${name}.jwt`), signKeyPem: signer.privateKey } : { reportFile: path(`${name}.json`) };
  await writeReportOutputs(report, out);
  return ear ? out.earFile! : out.reportFile!;
}

test('a written report rechecks: exit 0, the recheck/v1 object, agreeing', async () => {
  const file = await verifyTo('tdx', await vectorReport(TDX, { reference: TDX_REFERENCE, nonce: TDX.reportData }));
  const { code, json } = await runCliJson(['recheck', file]);
  assert.equal(code, 0, JSON.stringify(json.errors));
  assert.equal(json.schema, 'tee-inspect/recheck/v1');
  assert.equal(json.agrees, true);
  assert.equal(json.recorded.verdict, 'verified');
  assert.deepEqual(json.recomputed, json.recorded);
  const text = await runCli(['recheck', await verifyTo('snp', await vectorReport(SNP))]);
  assert.equal(text.code, 0);
  assert.match(text.out, /Result: +AGREES/);
});

test('a flipped byte in an input: exit 1, the input named', async () => {
  const report = await vectorReport(SNP);
  const { code, json } = await runCliJson(['recheck', await verifyTo('flipped', flipInputByte(report, 1, 50))]);
  assert.equal(code, 1);
  assert.equal(json.agrees, false);
  assert.ok(
    json.errors.some((e: { input?: string; message: string }) => e.input === 'trustee-milan-vcek.vcek.der' && /altered/.test(e.message)),
    JSON.stringify(json.errors),
  );
});

test('a changed recorded verdict: exit 1', async () => {
  const report = structuredClone(await vectorReport(TDX));
  report.result.verdict = 'rejected';
  const { code, json } = await runCliJson(['recheck', await verifyTo('verdict', report)]);
  assert.equal(code, 1);
  assert.match(json.errors.map((e: { message: string }) => e.message).join('\n'), /verdict: recorded rejected, recomputed verified/);
});

test('an EAR token signs and rechecks with the key: exit 0, the signature verified', async () => {
  const token = await verifyTo('signed', await vectorReport(TDX), true);
  assert.match(readFileSync(token, 'utf8'), /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const header = JSON.parse(Buffer.from(readFileSync(token, 'utf8').split('.')[0]!, 'base64url').toString());
  assert.deepEqual(header, { alg: 'ES256', typ: 'JWT' });
  const { code, json } = await runCliJson(['recheck', token, '--key', path('pub.pem')]);
  assert.equal(code, 0, JSON.stringify(json.errors));
  assert.equal(json.token.signatureVerified, true);
  assert.equal(json.token.claims.submods.tdx.status, 'affirming');
});

test('a token checked with another key fails; without --key it is not trusted', async () => {
  const token = await verifyTo('other', await vectorReport(SNP), true);
  const other = await runCliJson(['recheck', token, '--key', path('other.pem')]);
  assert.equal(other.code, 1);
  assert.equal(other.json.errors[0].code, 'EAR_UNVERIFIED');
  assert.equal(other.json.token.signatureVerified, false);
  const none = await runCli(['recheck', token]);
  assert.equal(none.code, 1);
  assert.match(none.out, /signature NOT verified/);
  assert.match(none.out, /sev-snp: ear.status warning/);
});

test('a token whose payload was swapped under a valid header does not verify', async () => {
  const token = readFileSync(await verifyTo('swap', await vectorReport(TDX), true), 'utf8')
    .trim()
    .split('.');
  const payload = JSON.parse(Buffer.from(token[1]!, 'base64url').toString());
  payload.submods.tdx['ear.status'] = 'contraindicated';
  writeFileSync(path('swap2.jwt'), `${token[0]}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${token[2]}`);
  assert.equal((await runCli(['recheck', path('swap2.jwt'), '--key', path('pub.pem')])).code, 1);
});

test('usage errors exit 2: unparseable report, missing file, --key with a report, bad --at', async () => {
  writeFileSync(path('junk.json'), '{"schema": "tee-inspect/report/v2", "tool": 1}');
  const junk = await runCliJson(['recheck', path('junk.json')]);
  assert.equal(junk.code, 2);
  assert.equal(junk.json.errors[0].code, 'MALFORMED_REPORT');
  assert.equal((await runCli(['recheck', path('absent.json')])).code, 2);
  assert.equal((await runCli(['recheck', `${VECTORS_DIR}${TDX.evidence}`])).code, 2);
  const report = await verifyTo('plain', await vectorReport(TDX));
  assert.equal((await runCli(['recheck', report, '--key', path('pub.pem')])).code, 2);
  assert.equal((await runCli(['recheck', report, '--at', 'soon'])).code, 2);
  assert.equal((await runCli(['recheck'])).code, 2);
});

test('writeReportOutputs refuses an EAR without a key, and a key that is not P-256 PKCS#8', async () => {
  const report = await vectorReport(TDX);
  const usage = (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR';
  await assert.rejects(writeReportOutputs(report, { earFile: path('x.jwt') }), usage);
  await assert.rejects(writeReportOutputs(report, { earFile: path('x.jwt'), signKeyPem: keyPair('P-384').privateKey }), /P-256/);
  await assert.rejects(writeReportOutputs(report, { earFile: path('x.jwt'), signKeyPem: signer.publicKey }), /PKCS#8/);
});

test('verify --report/--ear/--sign-key: --ear needs --sign-key, outputs must be writable and not inputs', () => {
  const now = () => new Date('2025-07-19T10:00:00Z');
  const base = [`${VECTORS_DIR}${TDX.evidence}`, '--collateral', `${VECTORS_DIR}${TDX.collateral}`];
  writeFileSync(path('key.pem'), signer.privateKey);
  const ok = parseVerifyArgs([...base, '--report', path('r.json'), '--ear', path('r.jwt'), '--sign-key', path('key.pem')], now);
  assert.deepEqual([ok.reportFile, ok.earFile, ok.signKey], [path('r.json'), path('r.jwt'), path('key.pem')]);
  const usage = (args: string[], message: RegExp) =>
    assert.throws(
      () => parseVerifyArgs([...base, ...args], now),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message),
    );
  usage(['--ear', path('r.jwt')], /--ear needs --sign-key/);
  usage(['--sign-key', path('key.pem')], /goes with --ear/);
  usage(['--report', join(dir, 'no-such-dir', 'r.json')], /cannot be written/);
  usage(['--report', dir], /is a directory/);
  usage(['--report', `${VECTORS_DIR}${TDX.collateral}`], /is also an input/);
  usage(['--ear', path('r.jwt'), '--sign-key', path('missing.pem')], /cannot be read/);
});
