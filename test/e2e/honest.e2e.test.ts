import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';

/**
 * The app says exactly what the evidence proves: measurements without golden values are "measured, not
 * compared" in the trust boundary and open in the threat matrix (both from the report), matched once the
 * reference file is given; a forged quote has no TCB status and lists every failure in words.
 */
const OUT = 'test-results/e2e/honest';
const AT = '2025-07-19T10:00:34Z';
const QUOTE = `${VECTORS_DIR}tdx/dcapqvl-v4.quote`;
const COLLATERAL = `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`;
const REFERENCE = 'docs/examples/tdx-dcapqvl-v4.reference.json';
const MEASUREMENTS = ['mrTd', 'rtmr0', 'rtmr1', 'rtmr2'];
const skip = e2eSkipReason();
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  await s.page.getByTestId('verify-at').fill(AT);
  await s.page.getByTestId('evidence-input').setInputFiles([QUOTE, COLLATERAL]);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
});
after(async () => {
  if (s) await s.close();
});

const boundary = () => s.page.getByTestId('trust-boundary');
const item = (claim: string) => boundary().locator(`li.item[data-claim="${claim}"]`);
const threat = (id: string) => s.page.locator(`[data-testid="threat-matrix"] tr[data-threat="${id}"]`);

async function screenshotBoundary(name: string): Promise<void> {
  for (const width of [1440, 1024]) {
    await s.page.setViewportSize({ width, height: 1000 });
    await boundary().screenshot({ path: `${OUT}/${name}-${width}.png` });
  }
  await s.page.setViewportSize({ width: 1440, height: 1000 });
}

test('verified TDX quote, no golden values: MRTD and RTMRs are "measured, not compared", never proven', { skip }, async () => {
  await s.page.getByTestId('tab-boundary').click();
  for (const claim of MEASUREMENTS) {
    assert.equal(await item(claim).getAttribute('data-state'), 'measured', claim);
    assert.match((await item(claim).textContent()) ?? '', /measured, not compared/, claim);
    assert.doesNotMatch((await item(claim).textContent()) ?? '', /proven/i, claim);
    assert.equal(await item(claim).locator('.state-badge').getAttribute('class'), 'state-badge tone-neutral', `${claim} is amber, not green`);
  }
  assert.equal(await boundary().locator('[data-layer="guest-firmware"]').getAttribute('data-state'), 'measured');
  // Readable at 1024 px: HTML text at its CSS size (the old SVG shrank to ~7 px), no horizontal overflow.
  await s.page.setViewportSize({ width: 1024, height: 1000 });
  const px = await item('mrTd')
    .locator('.item-label')
    .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(px >= 12, `${px}px label text at 1024 px`);
  const overflow = await boundary().evaluate((e) => e.scrollWidth - e.clientWidth);
  assert.ok(overflow <= 0, `${overflow}px horizontal overflow`);
  assert.doesNotMatch((await boundary().textContent()) ?? '', /[{]"/, 'no raw JSON');
  assert.doesNotMatch((await boundary().textContent()) ?? '', /\.txt/, 'the seed is cited by title and author, not by file name');
  await screenshotBoundary('boundary-measured');
});

test('the threat matrix agrees: measurements are open (not established), not mitigated', { skip }, async () => {
  await s.page.getByTestId('tab-threats').click();
  for (const id of ['tdx.boot-tampering', 'tdx.kernel-tampering', 'cc.what-runs']) {
    assert.equal(await threat(id).getAttribute('data-status'), 'open-by-policy', id);
    assert.match((await threat(id).textContent()) ?? '', /open: not established/, id);
  }
  const ids = await s.page.locator('[data-testid="threat-matrix"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-threat')));
  assert.equal(new Set(ids).size, ids.length, 'no threat shown twice');
  assert.doesNotMatch((await s.page.getByTestId('threat-matrix').textContent()) ?? '', /\d{3}_[0-9a-f]{16}\.txt/, 'no seed file names');
  await s.page.getByTestId('threat-matrix').screenshot({ path: `${OUT}/threats-measured.png` });
});

test('what is not established is said in words', { skip }, async () => {
  const open = s.page.getByTestId('not-established');
  assert.match((await open.locator('[data-gap="freshness"]').textContent()) ?? '', /^Freshness: no nonce was given, so this could be a replay of an old quote/);
  assert.match((await open.locator('[data-gap="measurements"]').textContent()) ?? '', /^Measurements: no reference values were compared/);
});

test('jargon is explained on keyboard focus as well as hover', { skip }, async () => {
  const word = s.page.getByTestId('tier').locator('.term-word');
  await word.focus();
  const tip = s.page.locator(`#${(await word.getAttribute('aria-describedby'))!.replace(/:/g, '\\:')}`);
  await tip.waitFor({ state: 'visible' });
  assert.match((await tip.textContent()) ?? '', /^Affirming: every mandatory check passed/);
  await s.page.getByTestId('tab-inspector').click();
  await s.page.locator('[data-testid="fields"] th .term-word').first().hover();
  assert.equal(await s.page.locator('[data-testid="fields"] th .term-tip').first().isVisible(), true);
});

test('with the reference file the measurements are matched, and the threat rows follow', { skip }, async () => {
  await s.page.getByTestId('reference-input').setInputFiles(REFERENCE);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  await s.page.getByTestId('tab-boundary').click();
  await item('mrTd').and(s.page.locator('[data-state="matched"]')).waitFor();
  for (const claim of MEASUREMENTS) {
    assert.equal(await item(claim).getAttribute('data-state'), 'matched', claim);
    assert.match((await item(claim).textContent()) ?? '', /matched reference/, claim);
  }
  await screenshotBoundary('boundary-matched');
  await s.page.getByTestId('tab-threats').click();
  for (const id of ['tdx.boot-tampering', 'tdx.kernel-tampering'])
    assert.notEqual(await threat(id).getAttribute('data-status'), 'open-by-policy', `${id}: its measurements are matched now`);
});

test('a forged quote: TCB status not determined, every failure as "Failed: … — …"', { skip }, async () => {
  const bytes = readFileSync(QUOTE);
  bytes[636 + 10] = bytes[636 + 10]! ^ 0x01; // a byte of the ECDSA signature over header and TD report
  writeFileSync(`${OUT}/forged.quote`, bytes);
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill(AT);
  await s.page.getByTestId('evidence-input').setInputFiles([`${OUT}/forged.quote`, COLLATERAL]);
  await s.page.getByTestId('verdict').getByText('Rejected').waitFor();
  assert.equal(await s.page.getByTestId('tcb-status').locator('.fact-value').textContent(), 'not determined (signature invalid)');
  const lines = await s.page.locator('[data-testid="verdict-failures"] li').allTextContents();
  const failing = await s.page.locator('[data-check-id][data-status="fail"]').count();
  assert.ok(lines.length >= 1 && lines.length === failing, `${lines.length} failures listed, ${failing} checks failed`);
  for (const l of lines) assert.match(l, /^Failed: .+ — .+/);
  assert.match(lines[0]!, /^Failed: Quote is signed by the attestation key — /);
  const checkLines = await s.page.locator('[data-check-id][data-status="fail"] .check-title').allTextContents();
  for (const l of checkLines) assert.match(l, /^Failed: .+ — .+/);
  assert.equal(await s.page.locator('[data-check-id]').first().getAttribute('data-status'), 'fail', 'failures first');
  assert.match((await s.page.getByTestId('not-established').textContent()) ?? '', /Freshness: no nonce was given/);
  await s.page.getByTestId('verdict').screenshot({ path: `${OUT}/forged-verdict.png` });
  await s.page.getByTestId('tab-boundary').click();
  assert.equal(await item('mrTd').getAttribute('data-state'), 'failed');
  assert.equal(await boundary().locator('.tone-good').count(), 0, 'nothing green for a forged quote');
});

test('SEV-SNP without a minimum TCB: "not evaluated", and TCB rollback is not mitigated', { skip }, async () => {
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill('2024-07-03T13:10:40Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}snp/trustee-milan-vcek.report`, `${VECTORS_DIR}snp/trustee-milan-vcek.vcek.der`]);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.equal(await s.page.getByTestId('tcb-status').locator('.term-word').textContent(), 'not evaluated (no minimum TCB given)');
  assert.match((await s.page.getByTestId('verdict-warnings').textContent()) ?? '', /TCB not evaluated: no minimum TCB was given/);
  const collateral = (await s.page.getByTestId('verdict-collateral').textContent()) ?? '';
  assert.doesNotMatch(collateral, /--\w/, 'no command-line flags in the app');
  await s.page.getByTestId('tab-threats').click();
  assert.notEqual(await threat('sev.tcb-rollback').getAttribute('data-status'), 'mitigated');
  assert.match((await threat('sev.tcb-rollback').textContent()) ?? '', /not established/);
  await s.page.getByTestId('tab-boundary').click();
  assert.doesNotMatch((await boundary().textContent()) ?? '', /[{]"/, 'the reported TCB reads as key value pairs');
  await screenshotBoundary('boundary-snp');
});

test('axe (WCAG 2.1 AA) finds nothing in the verdict, trust boundary and threat matrix', { skip }, async () => {
  const found: string[] = [];
  for (const [tab, sel] of [
    ['boundary', '[data-testid="trust-boundary"]'],
    ['threats', '[data-testid="threat-matrix"]'],
  ] as const) {
    await s.page.getByTestId(`tab-${tab}`).click();
    const r = await new AxeBuilder({ page: s.page })
      .include(sel)
      .include('[data-testid="verdict"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    found.push(...r.violations.map((v) => `${tab}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`));
  }
  assert.deepEqual(found, []);
});

test('no console errors or CSP violations', { skip }, async () => {
  assert.deepEqual(s.errors, []);
});
