import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { startBundlePcs } from '../support/bundle-pcs.js';
import type { BundlePcs } from '../support/bundle-pcs.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { fingerprint } from '../../main/ssh/known-hosts.js';

/**
 * The app's acquisition side in Chromium: a target on a real loopback sshd (its collector serves a recorded
 * TDX quote), the host-key confirmation, collateral fetched from a loopback PCS into the timeline, a fleet run,
 * the schedule, the offline banner, and a changed host key refused.
 */
const OUT = 'test-results/e2e';
const AT = '2025-07-19T10:00:34Z';
const skip = e2eSkipReason() ?? (existsSync(SSHD) || process.env.CI ? undefined : `no ${SSHD}`);
const data = mkdtempSync(join(tmpdir(), 'tee-e2e-data-'));
const hostKeyStore = join(data, 'known-hosts.json');
let s: Session;
let sshd: Sshd;
let pcs: BundlePcs;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  sshd = await startSshd();
  pcs = await startBundlePcs([{ quote: 'tdx/dcapqvl-v4.quote', bundle: 'tdx/dcapqvl-v4.collateral.json' }]);
  s = await openApp({ dataDir: data, hostKeyStore, pcsBase: pcs.base, ca: pcs.ca, now: () => new Date(AT), timeoutMs: 5000 });
  await s.page.getByTestId('verify-at').fill(AT);
});
after(async () => {
  await s?.close();
  sshd?.stop();
  await pcs?.close();
});

const url = () => `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
const collector = `base64 -w0 ${VECTORS_DIR}tdx/dcapqvl-v4.quote`;
const hostFp = () => fingerprint(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64'));

test('Connect: add an SSH target, confirm what it grants and its host key fingerprint, see the verdict', { skip }, async () => {
  const p = s.page;
  await p.getByTestId('tab-connect').click();
  await p.getByText('No targets yet').waitFor();
  const blocked = () => p.getByTestId('save-blocked').textContent();
  assert.match((await blocked()) ?? '', /name is required.*URL is required/);
  await p.getByTestId('target-url').fill('http://agent.example/');
  assert.match((await blocked()) ?? '', /plain http is refused.*use https/);
  assert.equal(await p.getByTestId('target-save').isDisabled(), true);
  await p.getByTestId('target-name').fill('td-lab');
  await p.getByTestId('target-url').fill(url());
  await p.getByTestId('auth-key').check();
  assert.match((await blocked()) ?? '', /key file is required/);
  await p.screenshot({ path: `${OUT}/29-save-blocked.png` });
  await p.getByTestId('target-identity').fill(sshd.identityFile);
  assert.equal(await p.getByTestId('save-blocked').count(), 0, 'nothing blocks Save now');
  await p.getByTestId('target-collector').fill(collector);
  await p.getByTestId('target-nonce').uncheck();
  assert.match((await p.getByTestId('secret-note').textContent()) ?? '', /session only/, 'browser mode says secrets do not persist');
  await p.getByTestId('target-save-verify').click();
  const grant = p.getByTestId('grant-ssh');
  await grant.waitFor();
  assert.equal(
    await p.getByTestId('grant-ssh-text').textContent(),
    `This lets TEE Inspector log in to 127.0.0.1:${sshd.port} as ${sshd.user} with the key file ${sshd.identityFile} and run ${collector}.`,
  );
  assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'grant-ssh-cancel', 'Cancel has the focus');
  await p.screenshot({ path: `${OUT}/29-grant-ssh.png` });
  await p.getByTestId('grant-ssh-confirm').click();
  const dialog = p.getByTestId('hostkey-dialog');
  await dialog.waitFor();
  assert.equal(await p.getByTestId('hostkey-fingerprint').textContent(), hostFp());
  assert.match((await dialog.textContent()) ?? '', new RegExp(`127\\.0\\.0\\.1:${sshd.port}`));
  assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'hostkey-cancel', 'Cancel has the focus, not Trust');
  await p.screenshot({ path: `${OUT}/30-hostkey-unknown.png` });
  await p.getByTestId('hostkey-trust').click();
  await p.getByTestId('verdict').getByText('Verified').waitFor({ timeout: 15_000 });
  assert.match((await p.getByTestId('acquisition').textContent()) ?? '', /without a nonce/);
  assert.match(readFileSync(hostKeyStore, 'utf8'), new RegExp(hostFp().slice(7).replace(/[+/]/g, '\\$&')));
  await p.locator('[data-target="td-lab"] [data-verdict="verified"]').waitFor();
  await p.screenshot({ path: `${OUT}/31-connect-verified.png`, fullPage: true });
});

test('a Connect message stays in Connect: the Fleet tab does not show it', { skip }, async () => {
  const p = s.page;
  await p.locator('[data-target="td-lab"]').getByRole('button', { name: 'Edit' }).click();
  await p.getByTestId('target-save').click();
  await p.getByTestId('grant-ssh-confirm').click();
  await p.getByTestId('connect-message').getByText('Saved td-lab.').waitFor();
  await p.getByTestId('tab-fleet').click();
  await p.getByTestId('fleet-table').waitFor();
  assert.equal(await p.getByText('Saved td-lab.').count(), 0, 'no Connect message on the Fleet tab');
  await p.getByTestId('tab-connect').click();
  await p.getByTestId('connect-message').getByText('Saved td-lab.').waitFor();
});

test('Collateral: the timeline of the fetched collateral, with TCB evaluation data numbers', { skip }, async () => {
  const p = s.page;
  await p.getByTestId('tab-collateral').click();
  const timeline = p.getByTestId('collateral-timeline');
  await timeline.waitFor();
  assert.ok((await timeline.locator('tbody tr').count()) >= 7);
  const tcb = timeline.locator('tr[data-kind="tcb-info"]');
  assert.match((await tcb.textContent()) ?? '', /TDX TCB info, FMSPC b0c06f000000.*in 15 minutes.*17/);
  assert.match((await timeline.locator('tr[data-kind="crl"]').first().textContent()) ?? '', /in 1 second/);
  assert.ok(((await tcb.textContent()) ?? '').includes(pcs.base), 'the source URL is shown');
  await p.screenshot({ path: `${OUT}/32-collateral-timeline.png`, fullPage: true });
});

test('Fleet: verify all with a progress bar reaching N/N, per-target rows, history and a schedule', { skip }, async () => {
  const p = s.page;
  const file = join(data, 'targets.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const base = doc.targets[0];
  doc.targets.push({ ...base, name: 'td-2' }, { ...base, name: 'td-3' }, { ...base, name: 'unreachable', url: `ssh://${sshd.user}@127.0.0.1:1` });
  writeFileSync(file, JSON.stringify(doc));
  await p.getByTestId('tab-fleet').click();
  await p.locator('[data-fleet-row="unreachable"]').waitFor();
  await p.getByTestId('fleet-start').click();
  await p.getByTestId('fleet-progress-text').getByText('4/4 done').waitFor({ timeout: 20_000 });
  assert.equal(await p.getByTestId('fleet-progress').getAttribute('data-done'), '4');
  for (const n of ['td-lab', 'td-2', 'td-3'])
    assert.equal(await p.locator(`[data-fleet-row="${n}"] [data-verdict]`).getAttribute('data-verdict'), 'verified', n);
  const down = (await p.locator('[data-fleet-row="unreachable"]').textContent()) ?? '';
  assert.match(down, /Error/);
  assert.match(down, /FETCH_FAILED/);
  assert.match((await p.locator('[data-fleet-row="td-2"]').textContent()) ?? '', /UpToDate/);
  await p.getByTestId('history-td-lab').click();
  const history = p.getByTestId('fleet-history');
  await history.waitFor();
  const verdicts = await history.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-history-verdict')));
  assert.deepEqual(verdicts, ['verified', 'verified', 'error'], 'newest first: the fleet run, Verify now, the unknown host key');
  await p.getByTestId('schedule-minutes').fill('5');
  await p.getByTestId('schedule-enabled').check();
  assert.match((await p.getByTestId('schedule-next').textContent()) ?? '', /Next run at .* \(in 4 minutes|Next run at .* \(in 5 minutes/);
  await p.screenshot({ path: `${OUT}/33-fleet.png`, fullPage: true });
  await p.getByTestId('schedule-enabled').uncheck();
});

test('Offline: a clear banner naming the collateral the cache lacks', { skip }, async () => {
  const p = s.page;
  await p.getByTestId('tab-inspector').click();
  await p.getByTestId('offline-toggle').check();
  await p.getByTestId('offline-banner').getByText('nothing verified yet').or(p.getByTestId('offline-banner').getByText('nothing missing')).waitFor();
  await p.getByTestId('evidence-input').setInputFiles(`${VECTORS_DIR}sgx/dcapqvl-v3.quote`);
  await p.getByTestId('verdict').getByText('Rejected').waitFor();
  const banner = (await p.getByTestId('offline-banner').textContent()) ?? '';
  assert.match(banner, /Offline: collateral from the cache only; missing: .*TCB info/);
  assert.match((await p.getByTestId('verdict').textContent()) ?? '', /COLLATERAL_MISSING/);
  await p.screenshot({ path: `${OUT}/34-offline.png`, fullPage: true });
  await p.getByTestId('tab-collateral').click();
  await p.getByTestId('collateral-missing').waitFor();
  await p.getByRole('button', { name: 'Clear all' }).click();
  await p.getByTestId('offline-toggle').uncheck();
});

test('A changed host key is refused loudly: pinned and presented side by side, no way to accept it', { skip }, async () => {
  const p = s.page;
  const old = 'SHA256:' + 'A'.repeat(43);
  writeFileSync(hostKeyStore, JSON.stringify({ [`127.0.0.1:${sshd.port}`]: [old] }));
  await p.getByTestId('tab-connect').click();
  await p.getByTestId('verify-td-lab').click();
  const dialog = p.getByTestId('hostkey-dialog');
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /Host key changed: connection refused/);
  assert.equal(await p.getByTestId('hostkey-trust').count(), 0);
  assert.equal(await p.getByTestId('hostkey-fingerprint').textContent(), hostFp());
  await p.getByTestId('hostkey-pinned').getByText(old).waitFor();
  const [pinnedBox, newBox] = [await p.getByTestId('hostkey-pinned').boundingBox(), await p.getByTestId('hostkey-fingerprint').boundingBox()];
  assert.ok(pinnedBox && newBox && Math.abs(pinnedBox.y - newBox.y) < 2 && pinnedBox.x < newBox.x, 'side by side, the pinned key first');
  await p.screenshot({ path: `${OUT}/35-hostkey-changed.png` });
  await p.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.match((await p.getByTestId('verdict').textContent()) ?? '', /HOST_KEY_CHANGED/);
  assert.match(readFileSync(hostKeyStore, 'utf8'), /A{43}/, 'closing changes nothing');
});

test('Unpin the old key, confirmed: the new key is then shown as unknown, to compare and trust', { skip }, async () => {
  const p = s.page;
  await p.getByTestId('verify-td-lab').click();
  await p.getByTestId('hostkey-unpin').click();
  await p.getByTestId('unpin-confirm').waitFor();
  await p.screenshot({ path: `${OUT}/37-unpin-confirm.png` });
  await p.getByTestId('unpin-keep').click();
  assert.match(readFileSync(hostKeyStore, 'utf8'), /A{43}/, '"Keep the old key" keeps it');
  await p.getByTestId('hostkey-unpin').click();
  await p.getByTestId('unpin-confirm-button').click();
  const dialog = p.getByTestId('hostkey-dialog');
  await dialog.getByText('Unknown host key').waitFor({ timeout: 15_000 });
  assert.doesNotMatch(readFileSync(hostKeyStore, 'utf8'), /A{43}/, 'the old pin is gone');
  assert.doesNotMatch(readFileSync(hostKeyStore, 'utf8'), new RegExp(hostFp().slice(7, 20).replace(/[+/]/g, '\\$&')), 'and the new key is not trusted yet');
  assert.equal(await p.getByTestId('hostkey-fingerprint').textContent(), hostFp());
  await p.getByTestId('hostkey-trust').click();
  await p.getByTestId('verdict').getByText('Verified').waitFor({ timeout: 15_000 });
});

test('an HTTPS target: adapter choice and a bearer token said to be kept for the session only', { skip }, async () => {
  const p = s.page;
  await p
    .getByRole('button', { name: '+ Add another target' })
    .click()
    .catch(() => undefined);
  await p.getByTestId('target-url').fill('https://agent.example:8006');
  await p.getByTestId('target-adapter').selectOption('coco-aa');
  await p.getByTestId('target-token').waitFor();
  assert.equal(await p.getByTestId('target-identity').count(), 0, 'no SSH fields for an https:// target');
  assert.match((await p.getByTestId('secret-note').textContent()) ?? '', /memory for this session only/);
  await p.screenshot({ path: `${OUT}/36-connect-https.png` });
});

test("no console errors beyond the API's expected refusals", { skip }, async () => {
  // 400s: the host-key errors and the failed fetch are answered as typed API errors and shown.
  assert.deepEqual(
    s.errors.filter((e) => !/status of 400/.test(e)),
    [],
  );
});
