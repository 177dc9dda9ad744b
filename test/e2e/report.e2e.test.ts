import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { hasCommand } from '../support/commands.js';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { runCli } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** Opening what `verify --report/--ear` wrote: the app rechecks it offline and says whether it agrees. */
const OUT = 'test-results/e2e/opened';
const skip = e2eSkipReason();
let s: Session;

// The PDF is read back with poppler (pdftoppm, pdftotext); without it that test skips, and says so loudly.
const pdfSkip =
  skip ?? (['pdftoppm', 'pdftotext'].every(hasCommand) ? undefined : 'pdftoppm/pdftotext not installed (poppler-utils): the PDF cannot be read back');
if (pdfSkip && !skip) console.warn(`\n*** SKIPPING the PDF rasterising test: ${pdfSkip} ***\n`);
const keys = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/sign.pem`, keys.privateKey);
  const verify = await runCli([
    'verify',
    `${VECTORS_DIR}tdx/dcapqvl-v4.quote`,
    '--collateral',
    `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`,
    '--at',
    '2025-07-19T10:00:34Z',
    '--offline',
    // Names that say nothing: the app recognises a report and a token by their content.
    '--report',
    `${OUT}/first.dat`,
    '--ear',
    `${OUT}/second.dat`,
    '--sign-key',
    `${OUT}/sign.pem`,
  ]);
  assert.equal(verify.code, 0, verify.err);
  s = await openApp();
});
after(async () => {
  if (s) await s.close();
});

const banner = () => s.page.getByTestId('opened-banner');
const tone = async () => (await banner().getAttribute('class'))?.split(' ').find((c) => ['ok', 'warn', 'bad'].includes(c));

test('a dropped report is opened and rechecked: recheck agrees, the verdict is the recheck', { skip }, async () => {
  await s.page.getByTestId('evidence-input').setInputFiles(`${OUT}/first.dat`);
  await s.page.getByTestId('recheck-state').getByText('recheck agrees').waitFor();
  assert.match((await banner().textContent()) ?? '', /Opened report from tee-inspect [\d.]+, created \d{4}-/);
  assert.equal(await tone(), 'ok');
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.equal(await s.page.locator('[data-check-id="dcap.quote.signature"]').getAttribute('data-status'), 'pass');
  await s.page.screenshot({ path: `${OUT}/01-report-agrees.png` });
});

test("the HTML export of an opened report draws the report's own trust boundary and threats", { skip }, async () => {
  const report = JSON.parse(readFileSync(`${OUT}/first.dat`, 'utf8'));
  await s.page.getByTestId('tab-export').click();
  const [html] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-html').click()]);
  await html.saveAs(`${OUT}/opened.html`);
  const text = readFileSync(`${OUT}/opened.html`, 'utf8');
  for (const l of report.trustBoundary.layers) assert.match(text, new RegExp(`data-layer="${l.id}" data-state="${l.state}"`));
  for (const t of report.threats) assert.match(text, new RegExp(`data-threat="${t.id}" data-status="${t.status}"`));
  assert.ok(text.includes(report.threats[0].source.author.replace(/&/g, '&amp;')), 'threat sources cite their author');
  await s.page.getByTestId('tab-inspector').click();
});

test('the PDF of an opened report: states in words, long hex wrapped, the report SHA-256 and page numbers on every page', { skip: pdfSkip }, async () => {
  await s.page.getByTestId('tab-export').click();
  const [json] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-json').click()]);
  await json.saveAs(`${OUT}/opened.json`);
  const digest = createHash('sha256')
    .update(readFileSync(`${OUT}/opened.json`))
    .digest('hex');
  await s.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await s.page.emulateMedia({ media: 'print' });
  // The margins are the app's own (@page in print.css), as Electron's printToPDF and the browser's print use them.
  await s.page.pdf({ path: `${OUT}/opened.pdf`, format: 'A4', printBackground: true });
  // The browser's default print drops backgrounds: every state must still read, in words.
  await s.page.pdf({ path: `${OUT}/opened-no-backgrounds.pdf`, format: 'A4', printBackground: false });
  await s.page.emulateMedia({ media: 'screen' });
  await s.page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const text = execFileSync('pdftotext', ['-layout', `${OUT}/opened.pdf`, '-'], { encoding: 'utf8' });
  const pages = text.split('\f').filter((p) => p.trim());
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  pages.forEach((p, i) => {
    assert.ok(p.includes(`Report SHA-256 (JSON export): ${digest}`), `page ${i + 1} carries the report's SHA-256`);
    assert.match(p, new RegExp(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} is numbered`);
  });
  assert.match(text, /measured, not compared/, 'boundary states are printed in words');
  assert.match(text, /Verified/);
  assert.match(text, /PASSED/i, 'check statuses are printed in words');
  rmSync(`${OUT}/pdf-pages`, { recursive: true, force: true });
  mkdirSync(`${OUT}/pdf-pages`);
  execFileSync('pdftoppm', ['-png', '-r', '60', `${OUT}/opened.pdf`, `${OUT}/pdf-pages/page`]);
  assert.equal(readdirSync(`${OUT}/pdf-pages`).length, pages.length);
  // Long hex wraps instead of running off the page: pdftotext keeps each printed line, none wider than A4 allows.
  const widest = Math.max(...text.split('\n').map((l) => l.length));
  assert.ok(widest < 200, `widest printed line ${widest} characters`);
  const plain = execFileSync('pdftotext', ['-layout', `${OUT}/opened-no-backgrounds.pdf`, '-'], { encoding: 'utf8' });
  for (const word of [/measured, not compared/, /PASSED/i, /Verified/, /Report SHA-256/]) assert.match(plain, word, 'readable without backgrounds');
  rmSync(`${OUT}/pdf-no-backgrounds`, { recursive: true, force: true });
  mkdirSync(`${OUT}/pdf-no-backgrounds`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '3', `${OUT}/opened-no-backgrounds.pdf`, `${OUT}/pdf-no-backgrounds/page`]);
  await s.page.getByTestId('tab-inspector').click();
});

test('a tampered report does not agree and says what differs', { skip }, async () => {
  const report = JSON.parse(readFileSync(`${OUT}/first.dat`, 'utf8'));
  report.result.verdict = 'rejected';
  writeFileSync(`${OUT}/tampered.dat`, JSON.stringify(report));
  await s.page.getByTestId('evidence-input').setInputFiles(`${OUT}/tampered.dat`);
  await s.page.getByTestId('recheck-state').getByText('recheck DOES NOT AGREE').waitFor();
  assert.equal(await tone(), 'bad');
  assert.match((await s.page.getByTestId('recheck-differences').textContent()) ?? '', /verdict: recorded rejected, recomputed verified/);
  await s.page.screenshot({ path: `${OUT}/02-report-tampered.png` });
});

test('an EAR token without a key: claims shown, signature not verified, never green', { skip }, async () => {
  await s.page.getByTestId('evidence-input').setInputFiles(`${OUT}/second.dat`);
  await s.page.getByTestId('signature-state').getByText('Signature not verified: no key given').waitFor();
  assert.equal(await s.page.getByTestId('signature-state').getAttribute('data-state'), 'no-key');
  assert.match((await banner().textContent()) ?? '', /Opened EAR token from tee-inspect .* recheck agrees/);
  assert.notEqual(await tone(), 'ok');
  assert.equal(await s.page.locator('[data-testid="ear-claims"] [data-submod="tdx"] td:nth-child(2)').textContent(), 'affirming');
  await s.page.screenshot({ path: `${OUT}/03-token-unverified.png` });
});

test('the public key pasted: the token is opened again and its signature verified', { skip }, async () => {
  await s.page.getByTestId('key-input').fill(keys.publicKey);
  await s.page.getByTestId('key-apply').click();
  await s.page.getByTestId('signature-state').getByText('Signature verified with the public key you gave').waitFor();
  assert.equal(await tone(), 'ok');
  await s.page.screenshot({ path: `${OUT}/04-token-verified.png` });
  await s.page.getByTestId('key-input').fill('not a key');
  await s.page.getByTestId('key-apply').click();
  await s.page
    .getByRole('alert')
    .getByText(/USAGE_ERROR/)
    .waitFor();
  assert.equal(await s.page.getByTestId('signature-state').getAttribute('data-state'), 'verified', 'a bad key leaves the opened token as it was');
});

test('evidence dropped after a report is verified as usual, and the banner goes', { skip }, async () => {
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.equal(await banner().count(), 0);
});

test('no console errors or CSP violations while opening reports', { skip }, async () => {
  const unexpected = s.errors.filter((e) => !/status of 400/.test(e));
  assert.deepEqual(unexpected, []);
});
