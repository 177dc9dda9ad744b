import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { FLEET_AT, VECTOR, pinnedStore, vectorTarget } from '../support/fleet.js';
import { TARGETS_SCHEMA } from '../../app/acquire/targets-file.js';

/** Fleet rows: each failure in the "Failed: <check> — <reason>" form, and a row or history entry opens its run. */
const OUT = 'test-results/e2e/fleet-ui';
const skip = e2eSkipReason() ?? (existsSync(SSHD) || process.env.CI ? undefined : `no ${SSHD}`);
const data = mkdtempSync(join(tmpdir(), 'tee-e2e-fleet-ui-'));
let s: Session;
let sshd: Sshd;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  sshd = await startSshd();
  const hostKeyStore = await pinnedStore(sshd, data);
  const targets = [
    vectorTarget(sshd, 'td-good', VECTOR.tdx),
    vectorTarget(sshd, 'td-tampered', VECTOR.tdxTampered),
    { ...vectorTarget(sshd, 'down', VECTOR.tdx), url: `ssh://${sshd.user}@127.0.0.1:1` },
  ];
  writeFileSync(join(data, 'targets.json'), JSON.stringify({ schema: TARGETS_SCHEMA, targets }));
  s = await openApp({ dataDir: data, hostKeyStore, now: () => new Date(FLEET_AT), timeoutMs: 5000 });
  await s.page.getByTestId('verify-at').fill(FLEET_AT);
  await s.page.getByTestId('tab-fleet').click();
  await s.page.getByTestId('fleet-start').click();
  await s.page.getByTestId('fleet-progress-text').getByText('3/3 done').waitFor({ timeout: 30_000 });
});
after(async () => {
  await s?.close();
  sshd?.stop();
});

const row = (name: string) => s.page.locator(`[data-fleet-row="${name}"]`);

test('a rejected row names its failing check and the reason; an unreachable one its fetch error', { skip }, async () => {
  assert.equal(await row('td-good').locator('[data-verdict]').getAttribute('data-verdict'), 'verified');
  assert.equal(await row('td-good').getByTestId('row-failure').count(), 0);
  const bad = (await row('td-tampered').getByTestId('row-failure').textContent()) ?? '';
  assert.match(bad, /^Failed: .+ — .+QUOTE_SIGNATURE_INVALID$/);
  assert.doesNotMatch((await row('td-tampered').textContent()) ?? '', /UpToDate/, 'a forged quote has no TCB status');
  const down = (await row('down').getByTestId('row-failure').textContent()) ?? '';
  assert.match(down, /FETCH_FAILED/);
  await s.page.screenshot({ path: `${OUT}/01-fleet-rows.png`, fullPage: true });
});

test('Enter on a row opens that run with every check it ran, and can verify again', { skip }, async () => {
  await row('td-tampered').getByTestId('open-run-td-tampered').focus();
  await s.page.keyboard.press('Enter');
  const detail = s.page.getByTestId('fleet-run-detail');
  await detail.waitFor();
  assert.match((await detail.textContent()) ?? '', /td-tampered.*this fleet run/);
  assert.match((await detail.getByTestId('run-failures').textContent()) ?? '', /Failed: .*QUOTE_SIGNATURE_INVALID/);
  assert.match((await detail.textContent()) ?? '', /Source.*ssh:\/\//);
  // The checks of that very run, not of a new one.
  await detail.locator('[data-check-id="dcap.quote.signature"]').waitFor();
  assert.equal(await detail.locator('[data-check-id="dcap.quote.signature"]').getAttribute('data-status'), 'fail');
  assert.ok((await detail.locator('[data-check-id]').count()) >= 18, 'every check of the run is shown');
  await s.page.screenshot({ path: `${OUT}/02-run-detail.png`, fullPage: true });
  await detail.getByTestId('run-detail-verify').click();
  await s.page.getByTestId('verdict').getByText('Rejected', { exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await s.page.getByTestId('tab-inspector').getAttribute('aria-selected'), 'true');
  assert.equal(await s.page.locator('[data-check-id="dcap.quote.signature"]').getAttribute('data-status'), 'fail');
  assert.ok((await s.page.locator('[data-check-id]').count()) >= 18, 'every check of the run is shown');
  await s.page.screenshot({ path: `${OUT}/03-run-checks.png`, fullPage: true });
});

test('a click on a history entry opens it', { skip }, async () => {
  await s.page.getByTestId('tab-fleet').click();
  await s.page.getByTestId('history-down').click();
  const history = s.page.getByTestId('fleet-history');
  await history.waitFor();
  await history.locator('tbody tr').first().click();
  const detail = s.page.getByTestId('fleet-run-detail');
  await detail.getByText('history entry').waitFor();
  assert.match((await detail.getByTestId('run-failures').textContent()) ?? '', /FETCH_FAILED/);
  await s.page.screenshot({ path: `${OUT}/04-history-entry.png`, fullPage: true });
  // A history entry keeps every failure of its run, in the checks' words.
  await s.page.getByTestId('history-td-tampered').click();
  await history.getByText('td-tampered').first().waitFor();
  await history.locator('tbody tr').first().click();
  await detail.getByText('history entry').waitFor();
  assert.match((await detail.getByTestId('run-failures').textContent()) ?? '', /Failed: .+ — .+QUOTE_SIGNATURE_INVALID/);
});

test('no console errors beyond the expected failures', { skip }, async () => {
  assert.deepEqual(
    s.errors.filter((e) => !/status of (400|502|500)/.test(e)),
    [],
  );
});
