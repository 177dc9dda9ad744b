import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';

/**
 * The "Measured boot" view against the real API: a TD quote with its own CC event log (every register
 * matches), the same quote with another guest's log (RTMR0 does not match: its first event is marked), a
 * 1 MiB log of thousands of events (render time), and Azure's three linked parts with their PCRs.
 */
const OUT = process.env.TEE_SHOTS_DIR ?? 'test-results/e2e';
const QUOTE = `${VECTORS_DIR}eventlog/gotdx-cos113-tdx.quote`;
const OWN_LOG = `${VECTORS_DIR}eventlog/gotdx-ccel-data.bin`;
const OTHER_LOG = `${VECTORS_DIR}eventlog/trustee-ccel-ovmf.bin`;
const AZURE = `${VECTORS_DIR}azure/snp-milan-evidence-v2.json`;
const TDX_AT = '2024-07-03T00:00:00Z';
const AZURE_AT = '2025-05-28T21:48:51Z';
const AZURE_NONCE = '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef';
const skip = e2eSkipReason();
let s: Session;
const figures: Record<string, number> = {};

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  // Offline: no collateral is fetched (no network here); the quote's signature and the replay do not need it.
  await s.page.getByTestId('offline-toggle').check();
});
after(async () => {
  if (s) await s.close();
  if (!skip) writeFileSync(join(OUT, 'eventlog-figures.json'), JSON.stringify(figures, null, 2));
});

async function drop(page: Page, files: (string | { name: string; mimeType: string; buffer: Buffer })[], at: string) {
  const clear = page.getByRole('button', { name: 'Clear all' });
  if (await clear.count()) await clear.click();
  await page.getByTestId('verify-at').fill(at);
  await page.getByTestId('evidence-input').setInputFiles(files as never);
  await page.getByTestId('verdict').waitFor();
}

async function showBoot(page: Page) {
  await page.getByTestId('tab-boot').click();
  await page.locator('[role="tabpanel"][aria-labelledby="view-tab-boot"]').waitFor();
}

const statusOf = (page: Page, register: string) => page.getByTestId('register-table').locator(`tr[data-register="${register}"]`).getAttribute('data-status');

test('the quote with its own CC event log: every register matches, events are shown in order with their basis', { skip }, async () => {
  const page = s.page;
  await page.setViewportSize({ width: 1440, height: 1000 });
  await drop(page, [QUOTE, OWN_LOG], TDX_AT);
  await showBoot(page);
  const log = page.getByTestId('event-log');
  await log.waitFor();
  assert.equal(await log.getAttribute('data-state'), 'matched');
  assert.match((await page.getByTestId('log-state').textContent()) ?? '', /replays to the signed values/);
  for (const r of ['rtmr0', 'rtmr1', 'rtmr2', 'rtmr3']) assert.equal(await statusOf(page, r), 'match', r);
  assert.equal(await page.getByTestId('first-untrusted').count(), 0, 'nothing is marked untrusted');
  assert.equal(await page.locator('tr.mb-event').count(), 43, 'all 43 events');

  // "checked" only where the digest is the hash of the data; an image load's "no" never reads as checked.
  const rows = await page
    .locator('tr.mb-event')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-basis'), tr.querySelector('.mb-match')?.textContent]));
  assert.ok(rows.some(([b]) => b === 'checked'));
  assert.ok(
    rows.some(([b, m]) => b === 'measured-only' && m === 'no'),
    'an event whose digest is not of its data',
  );
  for (const [b, m] of rows) if (b === 'checked') assert.equal(m, 'yes');
  const positions = await page
    .getByTestId('register-rtmr0')
    .locator('tr.mb-event')
    .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-position'))));
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
    'log order within a register',
  );

  // The digest is short in the table; its button expands it in full.
  const digest = page.getByTestId('register-rtmr0').locator('tr.mb-event').first().locator('.mb-digest button');
  assert.match((await digest.textContent()) ?? '', /…/);
  await digest.click();
  assert.equal(await digest.getAttribute('aria-expanded'), 'true');
  assert.match((await page.locator('.mb-event-details').first().textContent()) ?? '', /SHA-384 digest[0-9a-f]{96}/);
  // The column's explanation is reachable by keyboard (focus), not only by hovering.
  await page.getByTestId('register-rtmr0').locator('.term-word').focus();
  assert.match((await page.getByTestId('register-rtmr0').locator('.term-tip').textContent()) ?? '', /for image loads the digest is of the image/);
  await page.screenshot({ path: join(OUT, 'eventlog-match.png'), fullPage: true });
});

test("the quote with another guest's log: RTMR0 DOES NOT MATCH and its first event is marked as where trust ends", { skip }, async () => {
  const page = s.page;
  await drop(page, [QUOTE, OTHER_LOG], TDX_AT);
  await showBoot(page);
  const log = page.getByTestId('event-log');
  await log.waitFor();
  assert.equal(await log.getAttribute('data-state'), 'mismatch');
  assert.match((await page.getByTestId('log-state').textContent()) ?? '', /DOES NOT MATCH/);
  assert.equal(await statusOf(page, 'rtmr0'), 'mismatch');
  const rtmr0 = page.getByTestId('register-rtmr0');
  const first = rtmr0.getByTestId('first-untrusted');
  assert.equal(await first.count(), 1);
  assert.equal(await first.getAttribute('data-position'), '0', 'the first event extending RTMR0 (registers[].firstEvent)');
  assert.match((await first.textContent()) ?? '', /from here on nothing in RTMR0 can be trusted/);
  const bases = await page.locator('[data-testid^="register-rtmr"]').evaluateAll((sections) =>
    sections.map((sec) => ({
      id: sec.getAttribute('data-testid'),
      bases: [...sec.querySelectorAll('tr.mb-event')].map((tr) => tr.getAttribute('data-basis')),
    })),
  );
  for (const r of ['rtmr0', 'rtmr1', 'rtmr2']) {
    assert.equal(await statusOf(page, r), 'mismatch', r);
    const b = bases.find((x) => x.id === `register-${r}`)!.bases;
    assert.ok(b.length > 0 && b.every((x) => x === 'untrusted'), `${r}: every event untrusted`);
  }
  await page.screenshot({ path: join(OUT, 'eventlog-mismatch.png'), fullPage: true });
  await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'eventlog-mismatch-first.png') });
});

/** Milliseconds from a click in the page to the next painted frame with `until` in the DOM: the view's own render, no test round trips. */
function timedClick(page: Page, target: string, until: string): Promise<number> {
  // A string, not a function: the test's compiler would wrap named inner functions in a helper the page lacks.
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    document.querySelector(${JSON.stringify(target)}).click();
    const done = () => document.querySelector(${JSON.stringify(until)}) ? resolve(performance.now() - t0)
      : performance.now() - t0 > 10000 ? reject(new Error('not rendered')) : requestAnimationFrame(done);
    requestAnimationFrame(done);
  })`) as Promise<number>;
}

/** The quote's own log repeated to fill 1 MiB: thousands of events (it no longer matches, which changes no cost). */
function bigLog(): Buffer {
  const bytes = new Uint8Array(readFileSync(OWN_LOG));
  const parsed = parseEventLog(bytes);
  const start = parsed.events[0]!.offset;
  const body = bytes.subarray(start, parsed.end);
  const size = 1024 * 1024;
  const out = Buffer.alloc(size, 0xff);
  out.set(bytes.subarray(0, start), 0);
  const copies = Math.floor((size - start - 16) / body.length);
  for (let i = 0; i < copies; i++) out.set(body, start + i * body.length);
  return out;
}

test("the exported HTML report carries the measured boot: each register's replay result in words", { skip }, async () => {
  const page = s.page;
  await drop(page, [QUOTE, OTHER_LOG], TDX_AT);
  await page.getByTestId('tab-export').click();
  const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  await html.saveAs(join(OUT, 'measured-boot-report.html'));
  const text = readFileSync(join(OUT, 'measured-boot-report.html'), 'utf8');
  assert.match(text, /data-testid="report-measured-boot"/);
  assert.match(text, /data-register="rtmr0" data-status="mismatch"/);
  assert.match(text, /DOES NOT MATCH/);
  await page.getByTestId('tab-inspector').click();
});

test('a 1 MiB log of thousands of events: shown per register, the first rows at once, the rest on request', { skip }, async () => {
  const page = s.page;
  const buffer = bigLog();
  const events = parseEventLog(new Uint8Array(buffer)).events.length;
  assert.ok(events > 2000, `${events} events`);
  // The quote's log has 16, 7 and 20 events in RTMR0..2; each copy adds as many.
  const rtmr2Events = (20 * events) / 43;
  await page.getByTestId('tab-inspector').click();
  const bin = (name: string, b: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer: b });
  await drop(page, [bin('gotdx-cos113-tdx.quote', readFileSync(QUOTE)), bin('big-ccel.bin', buffer)], TDX_AT);
  // The result is in once the Checks tab lists the replay; only then is the view's own render timed.
  await page.locator('[data-check-id="eventlog.replay"]').waitFor();
  figures.firstRenderMs = await timedClick(page, '[data-testid="tab-boot"]', '[data-testid="register-rtmr2"] tr.mb-event:nth-child(100)');
  assert.equal(await page.locator('tr.mb-event').count(), 300, 'the first 100 events of each of the three registers');
  const more = '[data-testid="register-rtmr2"] .mb-more button';
  assert.match((await page.locator(more).last().textContent()) ?? '', new RegExp(`Show all ${rtmr2Events - 100} other events of RTMR2`));
  figures.show200MoreMs = await timedClick(page, more, '[data-testid="register-rtmr2"] tr.mb-event:nth-child(300)');
  figures.showAllRtmr2Ms = await timedClick(page, `${more}:last-child`, `[data-testid="register-rtmr2"] tr.mb-event:nth-child(${rtmr2Events})`);
  const rtmr2 = await page.getByTestId('register-rtmr2').locator('tr.mb-event').count();
  figures.events = events;
  figures.rtmr2Rows = rtmr2;
  assert.equal(rtmr2, rtmr2Events);
  // Keyboard: a register collapses from its heading button.
  const toggle = page.getByTestId('register-rtmr2').locator('.mb-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByTestId('register-rtmr2').locator('tr.mb-event').count(), 0);
  console.log(
    `eventlog e2e: ${events} events, first render ${figures.firstRenderMs} ms, 200 more ${figures.show200MoreMs} ms, RTMR2 all ${rtmr2} rows ${figures.showAllRtmr2Ms} ms`,
  );
  assert.ok(figures.firstRenderMs < 3000, `first render ${figures.firstRenderMs} ms`);
});

test('a quote without a log: the view says the registers are opaque and which file to drop', { skip }, async () => {
  const page = s.page;
  await drop(page, [QUOTE], TDX_AT);
  await showBoot(page);
  const empty = page.getByTestId('measured-boot-empty');
  await empty.waitFor();
  assert.match((await empty.textContent()) ?? '', /RTMR0, RTMR1, RTMR2, RTMR3 are covered by the signature.*\/sys\/firmware\/acpi\/tables\/data\/CCEL/s);
});

test('a TPM quote whose AK is tied to nothing: its PCRs are attested by the AK, but never green', { skip }, async () => {
  const page = s.page;
  await drop(page, [`${VECTORS_DIR}tpm/trustee-tpm-evidence.json`], '2025-01-01T00:00:00Z');
  await showBoot(page);
  const pcrs = page.getByTestId('pcr-table');
  await pcrs.waitFor();
  assert.equal(await pcrs.locator('tbody tr[data-attested="true"]').count(), 24);
  assert.equal(await pcrs.locator('[data-testid="pcr-covered"][data-tone="good"]').count(), 0);
  assert.match((await page.getByTestId('ak-trust-note').textContent()) ?? '', /not tied to hardware/);
  assert.equal(await page.getByTestId('linked-parts').count(), 0);
});

test('Azure: three linked parts, each binding in words from its check, and the vTPM PCRs attested by the AK', { skip }, async () => {
  const page = s.page;
  await page.getByTestId('nonce-input').fill(AZURE_NONCE);
  await drop(page, [AZURE], AZURE_AT);
  await showBoot(page);
  const parts = page.getByTestId('linked-parts');
  await parts.waitFor();
  for (const id of ['azure.hcl.binding', 'azure.ak.binding']) {
    const link = parts.locator(`[data-link="${id}"]`);
    assert.equal(await link.getAttribute('data-state'), 'bound', id);
    assert.match((await link.textContent()) ?? '', /bound \(check passed\)/);
  }
  assert.equal(await parts.locator('[data-part="hardware"]').getAttribute('data-state'), 'verified');
  assert.equal(await parts.locator('[data-part="vtpm"]').getAttribute('data-state'), 'verified');
  assert.match((await parts.locator('[data-part="vtpm"]').textContent()) ?? '', /fresh/);
  const pcrs = page.getByTestId('pcr-table');
  assert.equal(await pcrs.locator('tbody tr').count(), 24);
  assert.equal(await pcrs.locator('tbody tr[data-attested="true"]').count(), 24);
  assert.match((await pcrs.textContent()) ?? '', /attested \(signed by the AK\)/);
  assert.equal(await pcrs.locator('[data-testid="pcr-covered"][data-tone="good"]').count(), 24, 'green: the AK is bound to the hardware report');
  await page.screenshot({ path: join(OUT, 'azure-parts-1440.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.screenshot({ path: join(OUT, 'azure-parts-1024.png'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('nonce-input').fill('');
});
