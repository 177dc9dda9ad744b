import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../main/api/handlers.js';
import { runCli, runCliJson } from '../support/cli.js';
import { tempApiOptions } from '../support/api-options.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const QUOTE = `${VECTORS_DIR}eventlog/gotdx-cos113-tdx.quote`;
const LOG = `${VECTORS_DIR}eventlog/gotdx-ccel-data.bin`;
const NONCE = Buffer.from(vectorBytes('eventlog/gotdx-nonce.bin')).toString('hex');
const AT = ['--at', '2024-07-03T00:00:00Z', '--offline', '--cache-dir', mkdtempSync(join(tmpdir(), 'tee-mb-cache-'))];

const checkOf = (json: Record<string, any>, id: string) => (json['checks'] as { id: string; status: string; code?: string }[]).find((c) => c.id === id);

test('verify QUOTE --eventlog CCEL replays the log against the quote and lists it as an event log', async () => {
  const { json } = await runCliJson(['verify', QUOTE, '--eventlog', LOG, '--nonce', NONCE, ...AT]);
  assert.equal(checkOf(json, 'eventlog.replay')?.status, 'pass');
  assert.equal(checkOf(json, 'dcap.nonce')?.status, 'pass');
  assert.deepEqual(
    json['inputs'].map((i: { name: string; role: string }) => [i.name, i.role]),
    [
      ['gotdx-cos113-tdx.quote', 'evidence'],
      ['gotdx-ccel-data.bin', 'eventlog'],
    ],
  );
});

test('verify --eventlog with a log of another boot is EVENTLOG_REPLAY_MISMATCH naming the register (exit 1)', async () => {
  const other = `${VECTORS_DIR}eventlog/trustee-ccel-ovmf.bin`;
  const { code, json } = await runCliJson(['verify', QUOTE, '--eventlog', other, ...AT]);
  assert.equal(code, 1);
  const err = json['errors'].find((e: { code: string }) => e.code === 'EVENTLOG_REPLAY_MISMATCH');
  assert.ok(err, JSON.stringify(json['errors']));
  assert.match(err.message, /RTMR0 replays to/);
  const text = await runCli(['verify', QUOTE, '--eventlog', other, ...AT]);
  assert.match(text.out, /RTMR0 replays to/);
});

test('a second --tpm-quote is a usage error', async () => {
  const { code, json } = await runCliJson(['verify', QUOTE, '--tpm-quote', LOG, '--tpm-quote', LOG, ...AT]);
  assert.equal(code, 2);
  assert.match(json['errors'][0].message, /--tpm-quote takes one file/);
});

test('a report with an event log rechecks offline and agrees', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tee-mb-'));
  const reportFile = join(dir, 'report.json');
  await runCli(['verify', QUOTE, '--eventlog', LOG, '--nonce', NONCE, '--report', reportFile, ...AT]);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  assert.deepEqual(
    report.inputs.map((i: { role: string }) => i.role),
    ['evidence', 'eventlog'],
  );
  const { code, json } = await runCliJson(['recheck', reportFile]);
  assert.equal(json['agrees'], true, JSON.stringify(json['errors']));
  assert.equal(code, 0);
});

test('the app: a dropped CCEL log beside its quote is an event log, replayed; a log alone asks for its quote', async () => {
  const { api } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
  const file = (path: string) => ({ name: path.split('/').pop()!, base64: readFileSync(path).toString('base64') });
  const res = await api.verify({ files: [file(LOG), file(QUOTE)], at: '2024-07-03T00:00:00Z', nonce: NONCE, offline: true });
  assert.equal(res.result.checks.find((c) => c.id === 'eventlog.replay')?.status, 'pass');
  assert.equal(res.result.inputs.find((i) => i.name === 'gotdx-ccel-data.bin')?.role, 'eventlog');
  assert.equal(res.report.inputs.find((i) => i.name === 'gotdx-ccel-data.bin')?.role, 'eventlog');
  await assert.rejects(
    () => api.verify({ files: [file(LOG)], at: '2024-07-03T00:00:00Z', offline: true }),
    (e: Error) => /gotdx-ccel-data\.bin is an event log: add the quote or report it belongs to/.test(e.message),
  );
});

const AZ = `${VECTORS_DIR}azure/`;
const AZ_ARGS = ['--collateral', `${AZ}snp-milan-vcek.pem`, '--at', '2024-07-03T13:10:40Z', '--offline'];

test('verify HCL --collateral VCEK --tpm-quote QUOTE: an Azure SNP CVM, with the quote listed as a TPM quote; its report rechecks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tee-az-'));
  const reportFile = join(dir, 'report.json');
  const args = ['verify', `${AZ}snp-milan-hcl-report.bin`, '--tpm-quote', `${AZ}snp-milan-tpm-quote.json`, '--nonce', '6368616c6c656e6765', ...AZ_ARGS];
  const { code, json } = await runCliJson([...args, '--report', reportFile]);
  assert.equal(json['verdict'], 'verified', JSON.stringify(json['errors']));
  assert.equal(code, 0);
  assert.equal(json['technology'], 'azure-snp-vtpm');
  for (const id of ['azure.hcl.binding', 'azure.ak.binding', 'tpm.quote.signature', 'tpm.pcr-digest', 'tpm.nonce', 'tpm.ak.trust'])
    assert.equal(checkOf(json, id)?.status, 'pass', id);
  assert.equal(json['inputs'].find((i: { name: string }) => i.name === 'snp-milan-tpm-quote.json').role, 'tpm-quote');
  assert.ok(!json['notEstablished'].includes('ak-trust'));
  assert.equal((await runCliJson(['recheck', reportFile])).json['agrees'], true);
  const wrong = await runCliJson(['verify', `${AZ}snp-milan-hcl-report.bin`, '--tpm-quote', `${AZ}snp-milan-tpm-quote.json`, '--nonce', '00', ...AZ_ARGS]);
  assert.equal(wrong.code, 1);
  assert.ok(wrong.json['errors'].some((e: { code: string }) => e.code === 'NONCE_MISMATCH'));
});

test('an HCL report without its vTPM quote is incomplete evidence (exit 2), with a fix naming --tpm-quote', async () => {
  const { code, json } = await runCliJson(['verify', `${AZ}snp-milan-hcl-report.bin`, ...AZ_ARGS]);
  assert.equal(code, 2);
  assert.equal(json['verdict'], 'rejected');
  assert.match(JSON.stringify(json['checks']), /--tpm-quote/);
});

test('the app: an Azure TDX HCL report, its TD quote and its vTPM quote dropped as three files verify as one Azure TDX VM', async () => {
  const doc = JSON.parse(readFileSync(new URL('../fixtures/trustee-az-vtpm/tdx-evidence-v1.json', import.meta.url), 'utf8'));
  const b64url = (s: string) => Buffer.from(s, 'base64url').toString('base64');
  const files = [
    { name: 'hcl.bin', base64: b64url(doc.hcl_report) },
    { name: 'td-quote.bin', base64: b64url(doc.td_quote) },
    { name: 'tpm-quote.json', base64: Buffer.from(JSON.stringify(doc.tpm_quote)).toString('base64') },
  ];
  const { api } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
  const res = await api.verify({ files, at: '2025-05-28T21:48:51Z', offline: true });
  assert.equal(res.result.technology, 'azure-tdx-vtpm');
  for (const id of ['azure.hcl.binding', 'azure.td-report', 'tpm.quote.signature', 'tpm.pcr-digest', 'dcap.quote.signature'])
    assert.equal(res.result.checks.find((c) => c.id === id)?.status, 'pass', id);
  const role = (name: string) => res.result.inputs.find((i) => i.name === name)?.role;
  assert.deepEqual([role('hcl.bin'), role('td-quote.bin'), role('tpm-quote.json')], ['evidence', 'collateral', 'tpm-quote']);
  await assert.rejects(
    () => api.verify({ files: [files[1]!, { name: 'again.bin', base64: files[1]!.base64 }], at: '2025-05-28T21:48:51Z', offline: true }),
    /several evidence files/,
  );
});
