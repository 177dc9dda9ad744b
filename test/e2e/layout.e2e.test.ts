import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR, manifest } from '../support/vectors.js';

/** Narrow windows: no page wider than the window, long names and values wrap, and the inputs column folds away below 1280 px. */
const OUT = 'test-results/e2e/layout';
const TABS = ['inspector', 'collateral', 'boundary', 'boot', 'threats', 'reference', 'export', 'connect', 'fleet'] as const;
const SHOT_TABS = ['inspector', 'collateral', 'threats'] as const;
// A file name with no place to break, as a long URL or hex value would be.
const LONG_NAME = `collateral-${'b0c06f000000'.repeat(12)}.json`;
const skip = e2eSkipReason();
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  const v = manifest().vectors.find((e) => e.id === 'tdx/dcapqvl-v4')!;
  await s.page.getByTestId('verify-at').fill(v.expect.at);
  await s.page.getByTestId('evidence-input').setInputFiles([
    { name: v.path.split('/').pop()!, mimeType: 'application/octet-stream', buffer: readFileSync(VECTORS_DIR + v.path) },
    { name: LONG_NAME, mimeType: 'application/json', buffer: readFileSync(VECTORS_DIR + v.collateral!) },
  ]);
  await s.page.getByTestId('verdict').getByText('Verified', { exact: true }).waitFor();
  await s.page.getByTestId('reference-input').setInputFiles('docs/examples/tdx-dcapqvl-v4.reference.json');
  await s.page.getByTestId('tab-reference').click();
  await s.page.getByText('all claims match').waitFor();
});
after(async () => {
  if (s) await s.close();
});

async function showTab(page: Page, tab: string) {
  await page.getByTestId(`tab-${tab}`).click();
  await page.locator(`[role="tabpanel"][aria-labelledby="view-tab-${tab}"]`).waitFor();
}

/** Elements of a column whose box or content passes the column's right edge (clipped and scrolled boxes excepted). */
function overflowingElements(page: Page, column: string): Promise<string[]> {
  // No named helpers inside: the function runs in the page, without the test runner's transpiler helpers.
  return page.evaluate((selector) => {
    const main = document.querySelector(selector)!;
    const limit = main.getBoundingClientRect().right + 1;
    const found: string[] = [];
    for (const e of main.querySelectorAll('*')) {
      if (!e.getClientRects().length) continue;
      // The box itself, or its content spilling out of it (text that cannot wrap widens scrollWidth, not the box).
      const right = e.getBoundingClientRect().right + Math.max(0, e.scrollWidth - e.clientWidth);
      if (right <= limit) continue;
      let clipped = getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth && e.getBoundingClientRect().right <= limit;
      for (let a = e.parentElement; a && a !== main && !clipped; a = a.parentElement) clipped = getComputedStyle(a).overflowX !== 'visible';
      if (!clipped) found.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(right)} > ${Math.round(limit)}`);
    }
    return found;
  }, column);
}

for (const width of [1024, 1280, 1440]) {
  test(`no horizontal overflow on any tab at ${width} px`, { skip }, async () => {
    await s.page.setViewportSize({ width, height: 900 });
    for (const tab of TABS) {
      await showTab(s.page, tab);
      const [scrollWidth, innerWidth] = await s.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `${tab} at ${width} px: page ${scrollWidth} px wide in a ${innerWidth} px window`);
      for (const column of ['main', 'aside.inputs', 'header']) {
        assert.deepEqual(await overflowingElements(s.page, column), [], `${tab} at ${width} px: content wider than ${column}`);
      }
      if ((SHOT_TABS as readonly string[]).includes(tab)) await s.page.screenshot({ path: `${OUT}/${tab}-${width}.png` });
    }
  });
}

test('a long file name is cut in the file list and stays inside the collateral timeline', { skip }, async () => {
  await s.page.setViewportSize({ width: 1024, height: 900 });
  const name = s.page.locator('[data-testid="file-list"] .fname', { hasText: LONG_NAME.slice(0, 30) });
  const [scroll, client] = await name.evaluate((e) => [e.scrollWidth, e.clientWidth]);
  assert.ok(scroll > client, 'shortened with an ellipsis');
  await showTab(s.page, 'collateral');
  const cell = s.page.locator('table.timeline td', { hasText: LONG_NAME.slice(0, 30) }).first();
  await cell.waitFor();
  const box = (await cell.boundingBox())!;
  const table = (await s.page.locator('table.timeline').boundingBox())!;
  assert.ok(box.x + box.width <= table.x + table.width + 1, 'inside the table');
});

test('below 1280 px the inputs fold away with a disclosure button, by mouse and keyboard', { skip }, async () => {
  const toggle = s.page.getByTestId('inputs-toggle');
  const dropzone = s.page.getByTestId('dropzone');
  await s.page.setViewportSize({ width: 1024, height: 900 });
  await showTab(s.page, 'inspector');
  assert.equal(await toggle.isVisible(), true);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await toggle.getAttribute('aria-controls'), await s.page.locator('.drawer-body').getAttribute('id'));
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await dropzone.isVisible(), false, 'folded');
  await s.page.screenshot({ path: `${OUT}/inputs-folded-1024.png` });
  // One column: with the inputs folded the verdict sits right under the button.
  const verdictTop = (await s.page.getByTestId('verdict').boundingBox())!.y;
  const toggleBottom = (await toggle.boundingBox())!.y + (await toggle.boundingBox())!.height;
  assert.ok(verdictTop - toggleBottom < 40, `verdict ${verdictTop - toggleBottom} px below the button`);

  await toggle.focus();
  await s.page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await dropzone.isVisible(), true);
  await s.page.keyboard.press('Space');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await s.page.keyboard.press('Space');
  assert.equal(
    await s.page.getByTestId('verify-at').inputValue(),
    manifest().vectors.find((e) => e.id === 'tdx/dcapqvl-v4')!.expect.at,
    'folding keeps what was typed',
  );

  // Wide windows: two columns, the inputs always shown, no button.
  await toggle.click();
  for (const width of [1280, 1440]) {
    await s.page.setViewportSize({ width, height: 900 });
    assert.equal(await toggle.isVisible(), false, `no button at ${width} px`);
    assert.equal(await dropzone.isVisible(), true, `inputs shown at ${width} px even when folded on a narrow window`);
    const inputs = (await s.page.locator('aside.inputs').boundingBox())!;
    const main = (await s.page.locator('main').boundingBox())!;
    assert.ok(inputs.x + inputs.width <= main.x, `side by side at ${width} px`);
  }
  assert.equal(await s.page.getByRole('heading', { name: 'Evidence and settings', exact: true }).count(), 1, 'the column keeps its heading for screen readers');
});

test('with prefers-reduced-motion, transitions and animations are cut to nothing', { skip }, async () => {
  const probe = () =>
    s.page.evaluate(() => {
      const e = document.createElement('div');
      e.className = 'progress-fill';
      document.body.append(e);
      const ms = parseFloat(getComputedStyle(e).transitionDuration) * 1000;
      e.remove();
      return ms;
    });
  await s.page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.ok((await probe()) >= 100, 'the progress bar animates by default');
  await s.page.emulateMedia({ reducedMotion: 'reduce' });
  assert.ok((await probe()) < 1, 'and not when the user asks for less motion');
  await s.page.emulateMedia({ reducedMotion: 'no-preference' });
});
