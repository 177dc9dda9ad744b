import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpathSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, e2eSkipReason } from '../e2e/harness.js';
import { findRendererDir } from '../../main/server/browser-server.js';
import { APP_ORIGIN } from '../../main/electron/app-origin.js';
import { nodeAppFiles, serveAppRequest } from '../../main/electron/app-protocol.js';
import { createApi } from '../../main/api/handlers.js';
import { errorBody } from '../../main/api/errors.js';
import { isApiMethod } from '../../main/api/schema.js';
import { tempApiOptions } from '../support/api-options.js';
import { VECTORS_DIR } from '../support/vectors.js';

/**
 * The real renderer bundle under the Electron shell's app:// handler and CSP (connect-src 'none' included),
 * in Chromium, with a stand-in for the preload's bridge. Electron cannot run here, so the handler is put behind
 * a loopback HTTP server that maps each request onto app://tee-inspector; 'self' is then the loopback origin.
 * What this cannot show: Electron's own scheme registration and IPC (see electron-shell.test.ts for the wiring).
 */
test('the renderer runs under the app:// handler and its CSP, verifying through the bridge only', { skip: e2eSkipReason() }, async () => {
  const root = realpathSync(findRendererDir());
  const files = nodeAppFiles();
  const refused: string[] = [];
  const server = createServer(async (req, res) => {
    const r = await serveAppRequest(new Request(`${APP_ORIGIN}${req.url ?? '/'}`, { method: req.method }), root, files, (l) => refused.push(l));
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const { dispatch, close } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'electron' }, tempApiOptions());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const network: string[] = [];
    page.on('request', (r) => network.push(r.url()));
    // The preload's contract: invoke answers with the reply envelope, never a thrown error.
    await page.exposeFunction('__teeInvoke', async (method: unknown, payload: unknown) => {
      if (!isApiMethod(method)) return { ok: false, error: { code: 'USAGE_ERROR', message: 'unknown method' } };
      try {
        return { ok: true, value: await dispatch(method, payload) };
      } catch (e) {
        return { ok: false, error: errorBody(e) };
      }
    });
    // A string, not a function: the test runner's transform would add helpers the page does not have.
    await page.addInitScript('window.teeInspector = { invoke: (m, p) => window.__teeInvoke(m, p), savePdf: async () => undefined, onOpenFiles: () => {} };');
    const res = await page.goto(`http://127.0.0.1:${port}/index.html`);
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()['content-security-policy'] ?? '', /connect-src 'none'/);
    await page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
    await page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
    await page.getByTestId('verdict').getByText('Verified').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, [], 'no CSP violation or page error');
    assert.deepEqual(refused, [], 'the bundle asks only for files the handler serves');
    const own = `http://127.0.0.1:${port}/`;
    assert.deepEqual(
      network.filter((u) => !u.startsWith(own) && !u.startsWith('data:') && !u.startsWith('blob:')),
      [],
      'no request leaves the app origin',
    );
  } finally {
    await browser.close();
    close();
    server.close();
  }
});
