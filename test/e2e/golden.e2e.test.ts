import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';

/** Golden values: one count everywhere, remove, a broken file explained beside it, and saving measured values. */
const OUT = 'test-results/e2e/golden';
const skip = e2eSkipReason();
const EXAMPLE = 'docs/examples/tdx-dcapqvl-v4.reference.json';
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await verdict().getByText('Verified', { exact: true }).waitFor();
});
after(async () => {
  if (s) await s.close();
});

const verdict = () => s.page.getByTestId('verdict');

test('a differing reference: the banner and the tab give the same count', { skip }, async () => {
  const ref = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const set = ref.sets[0];
  for (const claim of ['rtmr1', 'rtmr2']) set.claims[claim] = [set.claims[claim][0].replace(/^..../, 'ffff')];
  writeFileSync(`${OUT}/two-differ.reference.json`, JSON.stringify(ref));
  await s.page.getByTestId('reference-input').setInputFiles(`${OUT}/two-differ.reference.json`);
  await verdict().getByText('Rejected', { exact: true }).waitFor();
  await s.page.getByTestId('tab-reference').click();
  const claims = Object.keys(set.claims).length;
  const counts = (await s.page.getByTestId('reference-counts').textContent()) ?? '';
  assert.match(counts, new RegExp(`2 of ${claims} claims differ · the minimum met`));
  assert.match((await verdict().textContent()) ?? '', new RegExp(`2 of ${claims} claims differ`), 'the banner quotes the same count');
  assert.doesNotMatch((await verdict().textContent()) ?? '', new RegExp(`2 of ${claims + 1}`));
  await s.page.screenshot({ path: `${OUT}/01-two-differ.png`, fullPage: true });
});

test('a loaded reference can be removed: the verdict returns to the evidence alone', { skip }, async () => {
  await s.page.getByTestId('reference-diff').getByTestId('reference-remove').click();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.equal(await s.page.getByTestId('reference-status').count(), 0);
  assert.equal(await s.page.locator('[data-check-id="reference.claims"]').count(), 0);
});

test('a broken reference file is explained beside it; the verification still shows', { skip }, async () => {
  const ref = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  ref.sets[0].claims.mrtd = ref.sets[0].claims.mrTd;
  writeFileSync(`${OUT}/typo.reference.json`, JSON.stringify(ref));
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByTestId('reference-input').setInputFiles(`${OUT}/typo.reference.json`);
  const error = s.page.locator('.inputs').getByTestId('reference-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /MALFORMED_REFERENCE: .*mrtd.*is not a tdx claim/);
  assert.match((await error.textContent()) ?? '', /verified without golden values/);
  await verdict().getByText('Verified', { exact: true }).waitFor();
  assert.ok((await s.page.locator('[data-check-id]').count()) >= 18, 'every check still shows');
  await s.page.screenshot({ path: `${OUT}/02-broken-reference.png`, fullPage: true });
  writeFileSync(`${OUT}/not-json.reference.json`, '{ "schema": ');
  await s.page.getByTestId('reference-input').setInputFiles(`${OUT}/not-json.reference.json`);
  await error.getByText('not UTF-8 JSON').waitFor();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  await s.page.locator('.inputs').getByTestId('reference-remove').click();
  assert.equal(await error.count(), 0);
});

test('save these measurements as golden values: a reference file with provenance that the same evidence matches', { skip }, async () => {
  await s.page.getByTestId('tab-reference').click();
  const panel = s.page.getByTestId('reference-diff');
  await panel.getByTestId('save-golden-who').fill('alice');
  await panel.getByTestId('save-golden-set').fill('prod');
  const [download] = await Promise.all([s.page.waitForEvent('download'), panel.getByTestId('save-golden-button').click()]);
  const file = `${OUT}/${download.suggestedFilename()}`;
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^golden-tdx-c42f91643250\.reference\.json$/);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const parsed = parseReferenceValues(json);
  assert.equal(parsed.sets[0]!.technology, 'tdx');
  assert.equal(parsed.sets[0]!.name, 'prod', 'the set is named for its environment');
  const provenance = parsed.sets[0]!.provenance?.[0];
  assert.equal(provenance?.source, 'evidence', 'the values record the evidence they were taken from');
  assert.equal(provenance?.evidence?.sha256, 'c42f9164325024bca2757bc8819b11879a0a369132ea4e2b7c85df4805ea72db');
  assert.match(json.note, /c42f9164325024bca2757bc8819b11879a0a369132ea4e2b7c85df4805ea72db/, 'evidence SHA-256');
  assert.match(json.note, /as of 2025-07-19T10:00:34Z/);
  assert.match(json.note, /TEE Inspector e2e/, 'tool version from appInfo');
  assert.match(json.note, /Saved on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by alice\./);
  await panel.getByTestId('save-golden-message').getByText('Review it before you rely on it').waitFor();
  await s.page.getByTestId('reference-input').setInputFiles(file);
  await panel
    .getByTestId('reference-counts')
    .getByText(/all claims match/)
    .waitFor();
  await verdict().getByText('Verified', { exact: true }).waitFor();
  await s.page.screenshot({ path: `${OUT}/03-saved-and-matched.png`, fullPage: true });
  await s.page.getByTestId('tab-inspector').click();
  assert.equal(await s.page.locator('[data-check-id="reference.claims"]').getAttribute('data-status'), 'pass');
});

test('evidence whose signatures fail offers no golden values', { skip }, async () => {
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page
    .getByTestId('evidence-input')
    .setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4-bad-signature.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await verdict().getByText('Rejected', { exact: true }).waitFor();
  await s.page.getByTestId('save-golden-unavailable').waitFor();
  assert.equal(await s.page.getByTestId('save-golden-button').count(), 0);
});

test('no console errors', { skip }, async () => {
  assert.deepEqual(s.errors, []);
});
