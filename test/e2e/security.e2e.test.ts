import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { openApp, e2eSkipReason, CHROMIUM, CHROMIUM_FLAGS } from './harness.js';
import type { Session } from './harness.js';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { fingerprint } from '../../main/ssh/known-hosts.js';

/**
 * Browser mode's trust edges in Chromium: the one-time launch link and its HttpOnly session cookie, a key file
 * others can read refused, capability grants confirmed in a dialog, and a replayed quote from a live target
 * reported as such (the nonce failure first), never as "bound to a fresh nonce".
 */
const OUT = 'test-results/e2e';
const AT = '2025-07-19T10:00:34Z';
const skip = e2eSkipReason() ?? (existsSync(SSHD) || process.env.CI ? undefined : `no ${SSHD}`);
const data = mkdtempSync(join(tmpdir(), 'tee-e2e-sec-'));
const hostKeyStore = join(data, 'known-hosts.json');
let s: Session;
let sshd: Sshd;
let other: Browser;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  sshd = await startSshd();
  s = await openApp({ dataDir: data, hostKeyStore, now: () => new Date(AT), timeoutMs: 5000 });
  other = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
});
after(async () => {
  await other?.close();
  await s?.close();
  sshd?.stop();
});

const url = () => `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
const hostFp = () => fingerprint(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64'));

test('the launch link signs one browser in with an HttpOnly, SameSite=Strict cookie; used again it grants nothing', { skip }, async () => {
  const p = s.page;
  assert.equal(p.url(), s.server.url, 'the secret left the address bar');
  const cookies = await p.context().cookies();
  assert.equal(cookies.length, 1);
  assert.deepEqual([cookies[0]!.name, cookies[0]!.httpOnly, cookies[0]!.sameSite, cookies[0]!.path], [`tee_session_${s.server.port}`, true, 'Strict', '/']);
  assert.equal(await p.evaluate(() => document.cookie), '', 'script cannot read the session');
  const again = await p.goto(s.launchUrl);
  assert.equal(again?.status(), 403);
  await p.getByRole('heading', { name: 'This link has already been used' }).waitFor();
  await p.screenshot({ path: `${OUT}/40-launch-reused.png` });
  await p.goto(s.server.url);
  await p.getByText('Drop a quote to begin').waitFor();

  // Another local user who read the link from the opener's command line, after the browser used it.
  const intruder = await (await other.newContext()).newPage();
  assert.equal((await intruder.goto(s.launchUrl))?.status(), 403);
  await intruder.goto(s.server.url);
  const status = await intruder.evaluate(
    async () => (await fetch('./api/targetsList', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
  );
  assert.equal(status, 401, 'no cookie, no API');
  await intruder.getByTestId('tab-connect').click();
  await intruder.getByText(/UNAUTHORIZED: this browser has no TEE Inspector session/).waitFor();
  await intruder.screenshot({ path: `${OUT}/41-no-session.png` });
  // A fresh link works once, in whichever browser opens it first.
  const fresh = s.server.newLaunchUrl();
  assert.equal((await intruder.goto(fresh))?.status(), 200);
  assert.equal(intruder.url(), s.server.url);
  assert.equal(
    await intruder.evaluate(async () => (await fetch('./api/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status),
    200,
  );
  await intruder.context().close();
});

test('a key file others can read is refused, naming the file and chmod 600; the save goes through once it is private', { skip }, async () => {
  const p = s.page;
  const key = join(data, 'id_shared');
  copyFileSync(sshd.identityFile, key);
  chmodSync(key, 0o644);
  await p.getByTestId('tab-connect').click();
  await p.getByTestId('target-name').fill('replayer');
  await p.getByTestId('target-url').fill(url());
  await p.getByTestId('auth-key').check();
  await p.getByTestId('target-identity').fill(key);
  await p.getByTestId('target-collector').fill(`base64 -w0 ${VECTORS_DIR}tdx/dcapqvl-v4.quote`);
  await p.getByTestId('target-save').click();
  await p.getByTestId('grant-ssh-cancel').click();
  assert.equal(existsSync(join(data, 'targets.json')), false, 'Cancel saves nothing');
  await p.getByTestId('target-save').click();
  await p.getByTestId('grant-ssh-confirm').click();
  const msg = p.getByTestId('connect-message');
  await msg.getByText('chmod 600').waitFor();
  assert.match(
    (await msg.textContent()) ?? '',
    new RegExp(`USAGE_ERROR: the key file ${key} is readable or writable by others \\(mode 0644\\): run chmod 600 ${key}`),
  );
  await p.screenshot({ path: `${OUT}/42-key-mode-refused.png` });
  chmodSync(key, 0o600);
  await p.getByTestId('target-save').click();
  await p.getByTestId('grant-ssh-confirm').click();
  await msg.getByText('Saved replayer.').waitFor();
});

test('importing known_hosts asks first: Cancel pins nothing, confirming pins the key', { skip }, async () => {
  const p = s.page;
  await p.getByText('Import OpenSSH known_hosts').click();
  const [type, b64] = sshd.hostKeyPub.split(' ');
  await p.getByTestId('known-hosts-input').fill(`[127.0.0.1]:${sshd.port} ${type} ${b64}\n`);
  await p.getByTestId('known-hosts-import').click();
  const dialog = p.getByTestId('grant-import');
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /This lets TEE Inspector trust the keys in these 1 line\(s\)/);
  await p.screenshot({ path: `${OUT}/43-import-confirm.png` });
  await p.getByTestId('grant-import-cancel').click();
  assert.equal(existsSync(hostKeyStore), false, 'Cancel pins nothing');
  await p.getByTestId('known-hosts-import').click();
  await p.getByTestId('grant-import-confirm').click();
  await p
    .getByTestId('connect-message')
    .getByText(/Imported 1 host key/)
    .waitFor();
  assert.ok(readFileSync(hostKeyStore, 'utf8').includes(hostFp().slice(7)));
});

test('a replayed quote from a live target: the nonce failure first, every failure by its check, no "bound to a fresh nonce"', { skip }, async () => {
  const p = s.page;
  await p.getByTestId('offline-toggle').check(); // an empty cache: collateral is missing as well
  await p.getByTestId('verify-replayer').click();
  await p.getByTestId('verdict').getByText('Rejected').waitFor({ timeout: 15_000 });
  const note = p.getByTestId('acquisition');
  const text = (await note.textContent()) ?? '';
  assert.doesNotMatch(text, /bound to a fresh/);
  assert.match(text, /does not carry the fresh 64-byte nonce sent/);
  const items = await p.getByTestId('acquisition-failures').locator('li').allTextContents();
  assert.ok(items.length >= 2, items.join('\n'));
  assert.match(items[0]!, /^Failed: The quote's REPORT_DATA carries the verifier's nonce — /);
  assert.ok(items.slice(1).some((i) => /^Failed: .+ — /.test(i)) && items.every((i) => i.startsWith('Failed: ')));
  const response = await p.evaluate(async () => {
    const r = await fetch('./api/verifyTarget', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'replayer', offline: true }),
    });
    return (await r.json()).value.result.errors.map((e: { code: string }) => e.code) as string[];
  });
  assert.equal(response[0], 'NONCE_MISMATCH');
  assert.ok(response.includes('COLLATERAL_MISSING'), response.join());
  assert.equal(items.length, response.length, 'every failure is listed');
  await p.screenshot({ path: `${OUT}/44-replayed-quote.png`, fullPage: true });
  await p.getByTestId('offline-toggle').uncheck();
});

test('no console errors beyond the API refusals the tests provoked', { skip }, async () => {
  assert.deepEqual(
    s.errors.filter((e) => !/status of (400|403)/.test(e)),
    [],
  );
});
