import { test } from 'node:test';
import assert from 'node:assert/strict';
import { earClaims, trustVector, AFFIRMING, CONTRAINDICATED, WARNING } from '../../app/report/ear.js';
import { readEar } from '../../app/report/ear-read.js';
import { SNP, TDX, TDX_REFERENCE, snpReference, vectorReport } from '../support/report-fixture.js';

test('EAR claims: profile, iat, verifier id, one submodule per technology, the report as a private claim', async () => {
  const report = await vectorReport(TDX);
  const c = earClaims(report, 1752919234.9);
  assert.equal(c.eat_profile, 'tag:github.com,2023:veraison/ear');
  assert.equal(c.iat, 1752919234);
  assert.deepEqual(c['ear.verifier-id'], { build: 'tee-inspect 0.1.0', developer: 'TEE Inspector' });
  assert.deepEqual(Object.keys(c.submods), ['tdx']);
  assert.equal(c.submods.tdx!['ear.status'], 'affirming');
  assert.equal(c.submods.tdx!['ear.appraisal-policy-id'], 'tee-inspect/default');
  assert.equal(c['tee-inspect.report'], report);
  assert.equal(c.eat_nonce, undefined, 'no nonce checked, no eat_nonce');
});

test('trustworthiness vector: only claims a check supports, with the AR4SI values', async () => {
  const plain = trustVector((await vectorReport(TDX)).result);
  assert.deepEqual(plain, { 'instance-identity': AFFIRMING, configuration: AFFIRMING, 'runtime-opaque': AFFIRMING, hardware: AFFIRMING });
  assert.equal(trustVector((await vectorReport(TDX, { reference: TDX_REFERENCE })).result).executables, AFFIRMING);
  assert.equal(trustVector((await vectorReport(SNP, { reference: snpReference('11'.repeat(48)) })).result).executables, CONTRAINDICATED);
  const sgx = await vectorReport({
    evidence: 'sgx/dcapqvl-v3.quote',
    collateral: 'sgx/dcapqvl-v3.collateral.json',
    at: '2025-07-19T10:01:17Z',
    reportData: '',
  });
  assert.equal(trustVector(sgx.result).hardware, WARNING, 'ConfigurationAndSWHardeningNeeded');
  assert.equal(trustVector(sgx.result).configuration, WARNING);
  const forged = await vectorReport({ ...TDX, evidence: 'tdx/dcapqvl-v4-bad-signature.quote' });
  assert.deepEqual(trustVector(forged.result), { 'instance-identity': CONTRAINDICATED });
  for (const v of [plain, trustVector(sgx.result)]) for (const k of ['file-system', 'storage-opaque', 'sourced-data']) assert.equal(k in v, false, k);
});

test('eat_nonce is the base64url nonce, only when the nonce check passed', async () => {
  const c = earClaims(await vectorReport(SNP, { nonce: SNP.reportData }), 0);
  assert.equal(c.eat_nonce, Buffer.from(SNP.reportData, 'hex').toString('base64url'));
});

test('reading accepts the veraison names and the older draft names', async () => {
  const report = await vectorReport(SNP);
  const current = readEar(JSON.parse(JSON.stringify(earClaims(report, 5))));
  assert.deepEqual(current.submods['sev-snp'], { status: 'warning', trustVector: trustVector(report.result), policyId: 'tee-inspect/default' });
  const old = readEar({
    'verifier-id': { build: 'x' },
    submods: { 'sev-snp': { status: 'warning', 'trust-vector': { hardware: 2 }, 'appraisal-policy-id': 'p' } },
    'tee-inspect.report': JSON.parse(JSON.stringify(report)),
  });
  assert.deepEqual(old.submods['sev-snp'], { status: 'warning', trustVector: { hardware: 2 }, policyId: 'p' });
  assert.deepEqual(old.verifierId, { build: 'x' });
  assert.throws(() => readEar({ submods: { x: { status: 'great' } }, 'tee-inspect.report': {} }), /must be one of affirming/);
  assert.throws(
    () => readEar({ submods: { x: { status: 'none', 'trust-vector': { hardware: 300 } } }, 'tee-inspect.report': JSON.parse(JSON.stringify(report)) }),
    /AR4SI value/,
  );
});
