import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hasCommand } from '../support/commands.js';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';

const OUT = 'test-results/e2e';
const skip = e2eSkipReason();
let s: Session;
const timings: Record<string, number> = {};

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
});
after(async () => {
  if (s) await s.close();
  if (!skip) writeFileSync(`${OUT}/timings.json`, JSON.stringify(timings, null, 2));
});

test('first render of the app', { skip }, async () => {
  const t0 = performance.now();
  await s.page.goto(s.server.url);
  await s.page.getByTestId('evidence-input').waitFor({ state: 'attached' });
  await s.page.getByText('Drop a quote to begin').waitFor();
  timings.firstRenderMs = performance.now() - t0;
  assert.equal(await s.page.getByTestId('verdict').textContent(), 'No evidence loaded');
  assert.ok(!s.page.url().includes('token='), 'the token is removed from the address bar');
  await s.page.screenshot({ path: `${OUT}/01-empty.png` });
});

test('drop a TDX quote with its collateral: verdict and every check', { skip }, async () => {
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  const t0 = performance.now();
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  timings.dropToVerdictMs = performance.now() - t0;
  const verdict = await s.page.getByTestId('verdict').textContent();
  assert.match(verdict ?? '', /Verified/);
  assert.match(verdict ?? '', /affirming/);
  assert.match(verdict ?? '', /UpToDate/);
  const checks = await s.page.locator('[data-check-id]').count();
  assert.ok(checks >= 18, `${checks} checks shown`);
  assert.equal(await s.page.locator('[data-check-id="dcap.quote.signature"]').getAttribute('data-status'), 'pass');
  await s.page.screenshot({ path: `${OUT}/02-verified-tdx.png`, fullPage: true });
});

test('changing the verification time re-verifies: expired collateral is rejected', { skip }, async () => {
  await s.page.getByTestId('verify-at').fill('2025-08-01T00:00:00Z');
  await s.page.getByTestId('verdict').getByText('Rejected').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /COLLATERAL_EXPIRED/);
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
});

test('trust boundary and threat matrix views', { skip }, async () => {
  await s.page.getByTestId('tab-boundary').click();
  const layers = s.page.locator('[data-testid="trust-boundary"] [data-layer]');
  assert.ok((await layers.count()) >= 6);
  assert.equal(await s.page.locator('[data-layer="host-os-hypervisor"]').getAttribute('data-inside'), 'false');
  await s.page.screenshot({ path: `${OUT}/03-trust-boundary.png`, fullPage: true });
  await s.page.getByTestId('tab-threats').click();
  assert.ok((await s.page.locator('[data-testid="threat-matrix"] tbody tr').count()) >= 5);
  await s.page.screenshot({ path: `${OUT}/04-threats.png`, fullPage: true });
});

test('golden values: a matching file keeps the tier, a differing one shows the diff and rejects', { skip }, async () => {
  await s.page.getByTestId('reference-input').setInputFiles('docs/examples/tdx-dcapqvl-v4.reference.json');
  await s.page.getByTestId('tab-reference').click();
  await s.page.getByText('all claims match').waitFor();
  assert.match((await s.page.getByTestId('tier').textContent()) ?? '', /affirming/);
  const ref = JSON.parse(readFileSync('docs/examples/tdx-dcapqvl-v4.reference.json', 'utf8'));
  ref.sets[0].claims.rtmr1 = [ref.sets[0].claims.rtmr1[0].replace(/^..../, 'ffff')];
  writeFileSync(`${OUT}/differing.reference.json`, JSON.stringify(ref));
  await s.page.getByTestId('reference-input').setInputFiles(`${OUT}/differing.reference.json`);
  await s.page.getByTestId('verdict').getByText('Rejected').waitFor();
  assert.match((await s.page.getByTestId('tier').textContent()) ?? '', /contraindicated/);
  assert.equal(await s.page.locator('[data-claim="rtmr1"]').getAttribute('data-match'), 'false');
  assert.equal(await s.page.locator('[data-claim="rtmr1"] td:nth-child(3) .byte-diff').count(), 2, 'the two changed bytes are highlighted');
  await s.page.screenshot({ path: `${OUT}/06-reference-diff.png`, fullPage: true });
  await s.page.getByTestId('reference-input').setInputFiles('docs/examples/tdx-dcapqvl-v4.reference.json');
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
});

test('export: self-contained HTML, JSON with input digests, and a PDF with pages', { skip }, async () => {
  await s.page.getByTestId('tab-export').click();
  const [html] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-html').click()]);
  await html.saveAs(`${OUT}/report.html`);
  const text = readFileSync(`${OUT}/report.html`, 'utf8');
  assert.match(text, /Verified/);
  assert.match(text, /data-testid="report-trust-boundary"/);
  assert.match(text, /measured, not compared|matched reference/);
  assert.doesNotMatch(text, /<script/i);
  assert.match(text, /c42f9164325024bca2757bc8819b11879a0a369132ea4e2b7c85df4805ea72db/, 'evidence digest');
  assert.match(text, /Collateral timeline/, 'the collateral timeline travels with the report');
  const [json] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-json').click()]);
  await json.saveAs(`${OUT}/report.json`);
  const report = JSON.parse(readFileSync(`${OUT}/report.json`, 'utf8'));
  assert.equal(report.schema, 'tee-inspect/report/v2');
  assert.equal(report.result.verdict, 'verified');
  assert.deepEqual(
    report.inputs.map((i: { role: string }) => i.role),
    ['evidence', 'collateral', 'reference'],
  );
  assert.ok(
    report.collateral.some((i: { kind: string; tcbEvaluationDataNumber?: number }) => i.kind === 'tcb-info' && i.tcbEvaluationDataNumber !== undefined),
  );
  // The app's export is the pipeline's report: the CLI rechecks it offline and agrees.
  const { runCliJson } = await import('../support/cli.js');
  const recheck = await runCliJson(['recheck', `${OUT}/report.json`]);
  assert.equal(recheck.json.agrees, true, JSON.stringify(recheck.json.errors));
  assert.equal(recheck.code, 0);
  // The same report as a signed EAR token, with a key chosen for this export; the CLI checks it with the public key.
  const { generateKeyPairSync } = await import('node:crypto');
  const keys = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(`${OUT}/ear-key.pem`, keys.privateKey);
  writeFileSync(`${OUT}/ear-pub.pem`, keys.publicKey);
  assert.equal(await s.page.getByTestId('export-ear').isDisabled(), true, 'no key, no EAR export');
  await s.page.getByTestId('ear-key').setInputFiles(`${OUT}/ear-key.pem`);
  await s.page.getByTestId('export-ear').and(s.page.locator(':enabled')).waitFor();
  const [ear] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-ear').click()]);
  await ear.saveAs(`${OUT}/report.ear.jwt`);
  const earCheck = await runCliJson(['recheck', `${OUT}/report.ear.jwt`, '--key', `${OUT}/ear-pub.pem`]);
  assert.equal(earCheck.code, 0, JSON.stringify(earCheck.json.errors));
  assert.equal(earCheck.json.agrees, true);
  // What the browser's print (Save as PDF) produces: the printable report, mounted on beforeprint.
  await s.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await s.page.emulateMedia({ media: 'print' });
  await s.page.pdf({ path: `${OUT}/report.pdf`, format: 'A4', printBackground: true });
  await s.page.emulateMedia({ media: 'screen' });
  await s.page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  if (!hasCommand('pdftoppm')) {
    console.warn('\n*** SKIPPING the PDF rasterising step: pdftoppm not installed (poppler-utils) ***\n');
    return;
  }
  rmSync(`${OUT}/pdf-pages`, { recursive: true, force: true });
  mkdirSync(`${OUT}/pdf-pages`);
  execFileSync('pdftoppm', ['-png', '-r', '50', `${OUT}/report.pdf`, `${OUT}/pdf-pages/page`]);
  const pages = readdirSync(`${OUT}/pdf-pages`).length;
  assert.ok(pages >= 2, `${pages} PDF pages`);
  timings.pdfPages = pages;
});

test('an SGX quote with an out-of-date TCB shows its advisories', { skip }, async () => {
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:01:17Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}sgx/dcapqvl-v3.quote`, `${VECTORS_DIR}sgx/dcapqvl-v3.collateral.json`]);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.match((await s.page.getByTestId('advisories').textContent()) ?? '', /INTEL-SA-00289.*INTEL-SA-00615/);
  assert.match((await s.page.getByTestId('tier').textContent()) ?? '', /warning/);
  await s.page.screenshot({ path: `${OUT}/07-sgx-warning.png`, fullPage: true });
});

test('a tampered quote is rejected with its reason', { skip }, async () => {
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page
    .getByTestId('evidence-input')
    .setInputFiles([`${VECTORS_DIR}sgx/dcapqvl-v3-tampered-mrenclave.quote`, `${VECTORS_DIR}sgx/dcapqvl-v3.collateral.json`]);
  await s.page.getByTestId('verdict').getByText('Rejected').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /QUOTE_SIGNATURE_INVALID/);
  await s.page.getByTestId('fields-not-attested').waitFor();
  await s.page.screenshot({ path: `${OUT}/08-rejected.png`, fullPage: true });
});

test('drag and drop of several files at once', { skip }, async () => {
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill('2026-03-20T10:41:14Z');
  const files = ['tdx/gotdx-v5.quote', 'tdx/pcs-fmspc-90c06f000000-2026-02-18.collateral.json'].map((p) => ({
    name: p.split('/')[1]!,
    b64: readFileSync(VECTORS_DIR + p).toString('base64'),
  }));
  await s.page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    document.querySelector('[data-testid="dropzone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /tdx-quote-v5/);
  assert.equal(await s.page.locator('[data-testid="file-list"] li .fname').count(), 2);
});

test('a quote pasted as hex verifies like the file', { skip }, async () => {
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('evidence-input').setInputFiles(`${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`);
  await s.page.getByTestId('verdict').getByText('Cannot verify').waitFor();
  await s.page.getByText('Paste a quote as hex or base64').click();
  await s.page.getByTestId('paste-input').fill(readFileSync(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`).toString('hex'));
  await s.page.getByRole('button', { name: 'Add pasted evidence' }).click();
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
});

test('no console errors or CSP violations during the whole session', { skip }, async () => {
  // The API's 400 for "no evidence" (collateral without a quote) is expected and shown in the banner.
  const unexpected = s.errors.filter((e) => !/status of 400/.test(e));
  assert.deepEqual(unexpected, []);
});
