import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { recheckReport } from '../../app/report/recheck.js';
import { parseReport } from '../../app/report/parse.js';
import type { ReportV2 } from '../../app/report/report.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { SNP, TDX, TDX_REFERENCE, flipInputByte, snpReference, vectorReport } from '../support/report-fixture.js';

const verifier = createVerifier({ crypto: nodeCryptoProvider() });
/** Through JSON and the strict parser, as recheck reads a report from a file. */
const reread = (r: ReportV2) => parseReport(JSON.parse(JSON.stringify(r)));

test('build then recheck agrees: TDX and SEV-SNP, plain, with reference values and with a nonce', async () => {
  const cases = [
    vectorReport(TDX),
    vectorReport(SNP),
    vectorReport(TDX, { reference: TDX_REFERENCE, nonce: TDX.reportData }),
    vectorReport(SNP, { reference: snpReference(), nonce: SNP.reportData }),
  ];
  for (const p of cases) {
    const report = await p;
    const o = await recheckReport(reread(report), verifier);
    assert.deepEqual(o.errors, [], report.result.technology);
    assert.equal(o.agrees, true);
    assert.equal(o.schema, 'tee-inspect/recheck/v1');
    assert.equal(o.at, report.result.at);
    assert.deepEqual(o.recomputed, o.recorded);
  }
});

test('the nonce and the reference are redone, not copied: the recheck result checked them', async () => {
  const report = await vectorReport(TDX, { reference: TDX_REFERENCE, nonce: TDX.reportData });
  const o = await recheckReport(reread(report), verifier);
  assert.equal(o.recomputed!.checks.find((c) => c.id === 'dcap.nonce')!.status, 'pass');
  assert.ok(o.recomputed!.checks.filter((c) => c.id.startsWith('reference.')).length > 0);
  const noNonce = reread(report);
  delete noNonce.nonce;
  const without = await recheckReport(noNonce, verifier);
  assert.equal(without.agrees, false, 'dropping the nonce from the report changes the checks');
});

test("a flipped byte in an input's data: does not agree, naming the input", async () => {
  const report = await vectorReport(TDX);
  for (const index of [0, 1]) {
    const o = await recheckReport(reread(flipInputByte(report, index)), verifier);
    assert.equal(o.agrees, false);
    const name = report.inputs[index]!.name;
    const digest = o.errors.find((e) => e.input === name && /SHA-256/.test(e.message));
    assert.ok(digest, JSON.stringify(o.errors));
    assert.equal(digest.code, 'REPORT_MISMATCH');
  }
});

test('data that is not canonical base64 is an altered input, named', async () => {
  const report = reread(await vectorReport(SNP));
  report.inputs[1]!.data = report.inputs[1]!.data.replace(/=*$/, '') + '\n';
  const o = await recheckReport(report, verifier);
  assert.equal(o.agrees, false);
  assert.equal(o.recomputed, null);
  assert.equal(o.errors[0]!.input, report.inputs[1]!.name);
});

test('a changed recorded verdict, tier, check or claim does not agree', async () => {
  const base = await vectorReport(TDX);
  const edits: [string, (r: ReportV2) => void, RegExp][] = [
    ['verdict', (r) => (r.result.verdict = 'rejected'), /^verdict: recorded rejected, recomputed verified$/],
    ['tier', (r) => (r.result.appraisal.tier = 'warning'), /^tier: recorded warning/],
    ['check', (r) => (r.result.checks[7]!.status = 'warn'), /^check 8: recorded dcap.quote.signature warn, recomputed dcap.quote.signature pass$/],
    ['claim', (r) => (r.result.claims['mrTd'] = '00'.repeat(48)), /^claims differ: mrTd$/],
    ['boundary', (r) => (r.trustBoundary.layers[4]!.items[0]!.state = 'proven'), /trust boundary differs/],
    ['threats', (r) => (r.threats[2]!.status = 'mitigated'), /threat rows differ/],
  ];
  for (const [what, edit, message] of edits) {
    const r = reread(base);
    edit(r);
    const o = await recheckReport(r, verifier);
    assert.equal(o.agrees, false, what);
    assert.ok(
      o.errors.some((e) => e.code === 'REPORT_MISMATCH' && message.test(e.message)),
      `${what}: ${JSON.stringify(o.errors)}`,
    );
  }
});

test('an input the result lists but the report does not carry cannot be rechecked', async () => {
  const r = reread(await vectorReport(SNP));
  r.inputs = r.inputs.filter((i) => i.role === 'evidence');
  const o = await recheckReport(r, verifier);
  assert.equal(o.agrees, false);
  assert.ok(o.errors.some((e) => e.input === 'trustee-milan-vcek.vcek.der' && /carries no data/.test(e.message)));
});

test('--at re-verifies at another time: the TDX collateral has expired a year later', async () => {
  const o = await recheckReport(reread(await vectorReport(TDX)), verifier, { at: new Date('2026-07-19T00:00:00Z') });
  assert.equal(o.at, '2026-07-19T00:00:00Z');
  assert.equal(o.agrees, false);
  assert.equal(o.recomputed!.verdict, 'rejected');
  assert.ok(o.recomputed!.errors.includes('COLLATERAL_EXPIRED'));
});
