import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR, manifest } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';

/** WCAG 2.1 A/AA (axe-core) on every view with real evidence loaded, at a wide and a narrow window; and the app by keyboard alone. */
const OUT = 'test-results/e2e';
const TABS = ['inspector', 'collateral', 'boundary', 'boot', 'threats', 'reference', 'export', 'connect', 'fleet'] as const;
const WIDTHS = [1440, 1024] as const;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const REFERENCE = 'docs/examples/tdx-dcapqvl-v4.reference.json';
const skip = e2eSkipReason();
let s: Session;
const results: Record<string, string[]> = {};

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  await load(s.page, vector('tdx/dcapqvl-v4'), 'Verified');
  // Golden values that match, so the Golden values view shows its claim table and the verdict stays Verified.
  await s.page.getByTestId('reference-input').setInputFiles(REFERENCE);
  await s.page.getByTestId('tab-reference').click();
  await s.page.getByText('all claims match').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /Verified/);
});
after(async () => {
  if (s) await s.close();
  if (!skip) writeFileSync(`${OUT}/a11y.json`, JSON.stringify(results, null, 2));
});

function vector(id: string): VectorEntry {
  const v = manifest().vectors.find((e) => e.id === id);
  assert.ok(v?.collateral, `${id} with collateral in the manifest`);
  return v;
}

/** Drops a vector and its collateral at the manifest's verification time and waits for the expected verdict word. */
async function load(page: Page, v: VectorEntry, verdict: string) {
  const clear = page.getByRole('button', { name: 'Clear all' });
  if (await clear.count()) await clear.click();
  await page.getByTestId('verify-at').fill(v.expect.at);
  await page.getByTestId('evidence-input').setInputFiles([VECTORS_DIR + v.path, VECTORS_DIR + v.collateral!]);
  await page.getByTestId('verdict').getByText(verdict, { exact: true }).waitFor();
}

/** Serious and critical WCAG violations on the page as shown, one line per element: rule, selector, what axe says. */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

async function showTab(page: Page, tab: string) {
  await page.getByTestId(`tab-${tab}`).click();
  await page.locator(`[role="tabpanel"][aria-labelledby="view-tab-${tab}"]`).waitFor();
}

for (const width of WIDTHS) {
  for (const tab of TABS) {
    test(`axe: no serious or critical WCAG 2.1 AA violation on ${tab} at ${width} px`, { skip }, async () => {
      await s.page.setViewportSize({ width, height: 900 });
      await showTab(s.page, tab);
      const found = await seriousViolations(s.page);
      results[`${tab}@${width}`] = found;
      assert.deepEqual(found, []);
    });
  }
}

// The same checks with the other status colours on screen: an SGX quote with an out-of-date TCB (warning tier,
// advisories), then a tampered one (rejected, fields not attested).
for (const [id, verdict, tabs] of [
  ['sgx/dcapqvl-v3', 'Verified', ['inspector', 'threats', 'collateral', 'boundary']],
  ['sgx/dcapqvl-v3-tampered-mrenclave', 'Rejected', ['inspector', 'threats', 'boundary', 'reference']],
] as const) {
  test(`axe: no serious or critical violation with ${id} (${verdict}) loaded`, { skip }, async () => {
    await s.page.setViewportSize({ width: 1440, height: 900 });
    await showTab(s.page, 'inspector');
    await load(s.page, vector(id), verdict);
    const found: string[] = [];
    for (const tab of tabs) {
      await showTab(s.page, tab);
      const here = await seriousViolations(s.page);
      results[`${id}:${tab}@1440`] = here;
      found.push(...here.map((line) => `${tab}: ${line}`));
    }
    assert.deepEqual(found, []);
  });
}

// The Measured boot view with content: a CC event log that matches its quote, one that does not (untrusted rows),
// and Azure's linked parts with the vTPM's PCRs; offline, as no collateral is needed for what the view shows.
const MEASURED_BOOT = [
  ['a matching event log', ['eventlog/gotdx-cos113-tdx.quote', 'eventlog/gotdx-ccel-data.bin'], '2024-07-03T00:00:00Z'],
  ['a mismatching event log', ['eventlog/gotdx-cos113-tdx.quote', 'eventlog/trustee-ccel-ovmf.bin'], '2024-07-03T00:00:00Z'],
  ["Azure's linked parts", ['azure/snp-milan-evidence-v2.json'], '2025-05-28T21:48:51Z'],
] as const;
for (const [what, files, at] of MEASURED_BOOT) {
  test(`axe: no serious or critical violation on the Measured boot view with ${what}, at 1440 and 1024 px`, { skip }, async () => {
    const page = await s.page.context().newPage();
    try {
      await page.goto(s.server.url);
      await page.getByTestId('offline-toggle').check();
      await page.getByTestId('verify-at').fill(at);
      await page.getByTestId('evidence-input').setInputFiles(files.map((f) => VECTORS_DIR + f));
      await page.getByTestId('verdict').locator('.verdict-word').waitFor();
      await showTab(page, 'boot');
      await page.getByTestId('measured-boot').waitFor();
      const found: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        const here = await seriousViolations(page);
        results[`boot:${what}@${width}`] = here;
        found.push(...here.map((line) => `${width}: ${line}`));
      }
      assert.deepEqual(found, []);
    } finally {
      await page.close();
    }
  });
}

/** What has the keyboard focus: its role or tag, test id and selection state. */
function focused(page: Page) {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return {
      role: e?.getAttribute('role') ?? e?.tagName.toLowerCase(),
      testid: e?.dataset.testid,
      selected: e?.getAttribute('aria-selected'),
      text: e?.textContent?.trim(),
      inDropzone: Boolean(e?.closest('[data-testid="dropzone"]')),
    };
  });
}

test('keyboard only: skip link, tabs by arrow keys with one Tab stop, then the drop zone opens the file chooser', { skip }, async () => {
  const page = await s.page.context().newPage();
  // Playwright turns on file-chooser interception when the first listener is added, asynchronously: a listener
  // added just before Enter can miss a chooser that opens at once, so one listens for the whole test.
  page.on('filechooser', () => undefined);
  try {
    await page.goto(s.server.url);
    await page.getByTestId('evidence-input').waitFor({ state: 'attached' });

    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Skip to main content', 'the first Tab stop is the skip link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN', 'the skip link moves focus to the main content');

    await page.keyboard.press('Shift+Tab');
    await page.getByTestId('tab-inspector').focus();
    assert.deepEqual(await page.locator('[role="tab"][tabindex="0"]').evaluateAll((tabs) => tabs.map((t) => t.id)), ['view-tab-inspector'], 'one Tab stop');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await focused(page), { role: 'tab', testid: 'tab-collateral', selected: 'true', text: 'Collateral', inDropzone: false });
    await page.keyboard.press('End');
    assert.equal((await focused(page)).testid, 'tab-fleet');
    await page.getByTestId('fleet-start').waitFor();
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).testid, 'tab-inspector', 'arrows wrap around');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focused(page)).testid, 'tab-fleet');
    await page.keyboard.press('Home');
    assert.equal((await focused(page)).testid, 'tab-inspector');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focused(page)).testid, 'tab-connect');
    assert.equal(await page.getByTestId('tab-connect').getAttribute('tabindex'), '0', 'the selected tab is the Tab stop');
    assert.equal(await page.getByTestId('tab-inspector').getAttribute('tabindex'), '-1');
    assert.equal(await page.locator('[role="tabpanel"]').getAttribute('aria-labelledby'), 'view-tab-connect');
    await page.keyboard.press('Home');
    await page.getByText('Drop a quote to begin').waitFor();

    // Every Tab stop in the drop zone must do something: Enter opens the file chooser, whose files are then verified.
    let stops = 0;
    for (let i = 0; i < 6 && stops < 3; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f.inDropzone) {
        if (stops) break;
        continue;
      }
      stops++;
      const chooser = page.waitForEvent('filechooser', { timeout: 2000 }).catch(() => undefined);
      await page.keyboard.press('Enter');
      const picked = await chooser;
      assert.ok(picked, `Enter on the drop zone's Tab stop "${f.text?.slice(0, 40)}" (${f.role}) opens the file chooser`);
      if (stops === 1) {
        const v = vector('tdx/dcapqvl-v4');
        await page.getByTestId('verify-at').fill(v.expect.at);
        await picked.setFiles([VECTORS_DIR + v.path, VECTORS_DIR + v.collateral!]);
        await page.getByTestId('verdict').getByText('Verified').waitFor();
      }
    }
    assert.ok(stops > 0, 'the drop zone is reached with Tab from the tabs');
  } finally {
    await page.close();
  }
});

test('headings: one h1, and no level skipped', { skip }, async () => {
  await s.page.setViewportSize({ width: 1440, height: 900 });
  for (const tab of TABS) {
    await showTab(s.page, tab);
    const levels = await s.page
      .locator('h1, h2, h3, h4, h5, h6')
      .evaluateAll((hs) => hs.filter((h) => h.getClientRects().length).map((h) => Number(h.tagName[1])));
    assert.equal(levels.filter((l) => l === 1).length, 1, `${tab}: one h1`);
    assert.equal(levels[0], 1, `${tab}: the h1 comes first`);
    levels.forEach((l, i) => i && assert.ok(l <= levels[i - 1]! + 1, `${tab}: h${levels[i - 1]} followed by h${l}`));
  }
});
