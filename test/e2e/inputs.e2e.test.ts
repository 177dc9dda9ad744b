import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** The inputs panel: expected nonce, sizes checked in the page, each file's role, and "verify as of" help. */
const OUT = 'test-results/e2e/inputs';
const skip = e2eSkipReason();
const QUOTE = `${VECTORS_DIR}tdx/dcapqvl-v4.quote`;
const COLLATERAL = `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`;
const AT = '2025-07-19T10:00:34Z';
/** The first 8 bytes of this quote's REPORT_DATA. */
const NONCE = '9a9d48e7f6799642';
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  await s.page.getByTestId('evidence-input').waitFor({ state: 'attached' });
});
after(async () => {
  if (s) await s.close();
});

const verdict = () => s.page.getByTestId('verdict');
const checkStatus = (id: string) => s.page.locator(`[data-check-id="${id}"]`).getAttribute('data-status');

async function loadQuote(extra: Parameters<Session['page']['setInputFiles']>[1] = []): Promise<void> {
  await s.page
    .getByRole('button', { name: 'Clear all' })
    .click({ timeout: 500 })
    .catch(() => undefined);
  await s.page.getByTestId('nonce-input').fill('');
  await s.page.getByTestId('verify-at').fill(AT);
  await s.page.getByTestId('evidence-input').setInputFiles([QUOTE, COLLATERAL]);
  await verdict().getByText('Verified', { exact: true }).waitFor();
  if (Array.isArray(extra) && extra.length) await s.page.getByTestId('evidence-input').setInputFiles(extra);
}

test('expected nonce: validated in the page, sent with the request, re-verified on change', { skip }, async () => {
  await loadQuote();
  assert.equal(await checkStatus('dcap.nonce'), 'skip', 'no nonce: freshness not established');
  await s.page.getByTestId('nonce-input').fill('abc');
  await s.page.getByTestId('nonce-hint').getByText('odd number').waitFor();
  assert.equal(await s.page.getByTestId('nonce-input').getAttribute('aria-invalid'), 'true');
  await s.page.getByTestId('nonce-input').fill('a'.repeat(130));
  await s.page.getByTestId('nonce-hint').getByText('at most 64 bytes').waitFor();
  await s.page.getByTestId('nonce-input').fill('zz');
  await s.page.getByTestId('nonce-hint').getByText('hex digits only').waitFor();
  await s.page.getByTestId('nonce-input').fill(NONCE);
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.equal(await checkStatus('dcap.nonce'), 'pass');
  assert.match((await s.page.getByTestId('nonce-hint').textContent()) ?? '', /8 bytes/);
  await s.page.getByTestId('nonce-input').fill('00112233');
  await verdict().getByText('Rejected', { exact: true }).waitFor();
  assert.match((await verdict().textContent()) ?? '', /NONCE_MISMATCH/);
  assert.equal(await checkStatus('dcap.nonce'), 'fail');
  await s.page.screenshot({ path: `${OUT}/01-nonce-mismatch.png`, fullPage: true });
  await s.page.getByTestId('nonce-input').fill('');
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.equal(await checkStatus('dcap.nonce'), 'skip');
});

test('a file over the size limit is named at once in human terms, before any request', { skip }, async () => {
  await loadQuote();
  const requests: string[] = [];
  s.page.on('request', (r) => r.url().includes('/api/verify') && requests.push(r.url()));
  writeFileSync(`${OUT}/big.bin`, '');
  truncateSync(`${OUT}/big.bin`, 50 * 1024 * 1024);
  const t0 = performance.now();
  await s.page.getByTestId('evidence-input').setInputFiles(`${OUT}/big.bin`);
  await s.page.getByTestId('file-problems').getByText('big.bin is 50 MB; the limit is 16 MB per file').waitFor();
  const ms = performance.now() - t0;
  assert.ok(ms < 3000, `shown after ${Math.round(ms)} ms`);
  assert.deepEqual(requests, [], 'no request was sent for the refused file');
  assert.equal(await s.page.locator('[data-file="big.bin"]').count(), 0);
  assert.match((await verdict().textContent()) ?? '', /Verified/, 'the shown verdict stands');
  assert.doesNotMatch((await verdict().textContent()) ?? '', /Failed to fetch/);
  await s.page.screenshot({ path: `${OUT}/02-too-big.png`, fullPage: true });
});

test('more files than the limit: the extra ones are named and not sent', { skip }, async () => {
  await loadQuote();
  const many = Array.from({ length: 31 }, (_, i) => ({ name: `extra-${i}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`note ${i}`) }));
  await s.page.getByTestId('evidence-input').setInputFiles(many);
  await s.page.getByTestId('file-problems').getByText('at most 32 files can be verified together; not added: extra-30.txt').waitFor();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.equal(await s.page.locator('[data-testid="file-list"] [data-file]').count(), 32);
});

test('an unrecognised extra file is listed as ignored, with why, and never blocks a valid quote', { skip }, async () => {
  await loadQuote([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('remember to rotate keys') }]);
  await s.page.locator('[data-file="notes.txt"][data-role="ignored"]').waitFor();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.match((await s.page.locator('[data-file="notes.txt"]').textContent()) ?? '', /ignored.*not recognised as collateral/);
  assert.equal(await s.page.locator('[data-file="dcapqvl-v4.quote"]').getAttribute('data-role'), 'evidence');
  assert.equal(await s.page.locator('[data-file="dcapqvl-v4.collateral.json"]').getAttribute('data-role'), 'collateral');
  await s.page.screenshot({ path: `${OUT}/03-ignored-file.png`, fullPage: true });
});

test('an unsupported format is named from the API, never "add the quote file"', { skip }, async () => {
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('evidence-input').setInputFiles(`${VECTORS_DIR}cca/cca-example-token.cbor`);
  await verdict().getByText('Cannot verify').waitFor();
  const text = (await verdict().textContent()) ?? '';
  assert.match(text, /looks like an Arm CCA attestation token.*not supported yet/);
  assert.doesNotMatch(text, /add the quote file/);
  await s.page.screenshot({ path: `${OUT}/04-unsupported.png`, fullPage: true });
});

test('verify as of: expired collateral offers its validity window; the button sets the time', { skip }, async () => {
  await loadQuote();
  await s.page.getByTestId('verify-at').fill('2025-08-01T00:00:00Z');
  await verdict().getByText('Rejected', { exact: true }).waitFor();
  const offer = s.page.getByTestId('window-offer');
  await offer.getByText('This collateral was valid 2025-06-19 to 2025-07-19: verify as of then?').waitFor();
  assert.match((await offer.textContent()) ?? '', /TDX TCB info.*expired 2025-07-19/);
  await s.page.screenshot({ path: `${OUT}/05-window-offer.png`, fullPage: true });
  await s.page.getByTestId('window-offer-use').click();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.match(await s.page.getByTestId('verify-at').inputValue(), /^2025-06-19T\d\d:\d\d:\d\dZ$/);
  assert.equal(await offer.count(), 0, 'nothing to offer once all collateral holds');
});

test('a time without a zone is read as UTC, and the field says so', { skip }, async () => {
  await loadQuote();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34');
  await s.page.getByTestId('verify-at-hint').getByText('No time zone given: read as UTC, 2025-07-19T10:00:34Z.').waitFor();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.match((await verdict().textContent()) ?? '', /As of2025-07-19T10:00:34Z/);
  await s.page.screenshot({ path: `${OUT}/06-utc-assumed.png`, fullPage: true });
  await s.page.getByTestId('verify-at').fill('19/07/2025');
  await s.page.getByTestId('verify-at-hint').getByText('Use an ISO-8601 time').waitFor();
});

test('the GUI never asks for a CLI flag such as --product', { skip }, async () => {
  for (const tab of ['inspector', 'collateral', 'reference', 'connect', 'fleet']) {
    await s.page.getByTestId(`tab-${tab}`).click();
    assert.doesNotMatch((await s.page.locator('body').textContent()) ?? '', /--product/, tab);
  }
});

test('no console errors beyond the expected refusals', { skip }, async () => {
  const unexpected = s.errors.filter((e) => !/status of 400/.test(e));
  assert.deepEqual(unexpected, []);
});
