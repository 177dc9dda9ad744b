import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startBrowserServer, findRendererDir } from '../../main/server/browser-server.js';
import type { BrowserServer } from '../../main/server/browser-server.js';
import { createApi } from '../../main/api/handlers.js';
import type { ApiOptions } from '../../main/api/options.js';
import { tempApiOptions } from '../support/api-options.js';

/** Browser mode plus Debian's Chromium driven by Playwright: the real renderer against the real API. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function e2eSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return process.env.CI ? undefined : `no Chromium at ${CHROMIUM} (CI installs it)`;
  if (!existsSync(`${findRendererDir()}/index.html`)) return 'renderer not built (npm run build)';
  return undefined;
}

export interface Session {
  /** `server.url` is the app's plain address here: the browser already went through the one-time launch link. */
  server: BrowserServer;
  /** The launch link the browser used (dead now: a second use is refused). */
  launchUrl: string;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

/** `options`: the API's stores and services (tests point PCS or SSH collectors at loopback stand-ins). The page is left on the app, signed in. */
export async function openApp(options: Partial<ApiOptions> = {}): Promise<Session> {
  const handle = createApi({ name: 'TEE Inspector', version: 'e2e', mode: 'browser' }, tempApiOptions(options));
  const server = await startBrowserServer({ port: 0, dispatch: handle.dispatch });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  // The real sign-in: the one-time link, answered with the session cookie and a redirect to the app.
  const launchUrl = server.url;
  const landed = await page.goto(launchUrl);
  if (landed?.status() !== 200 || page.url() !== server.origin) throw new Error(`the launch link did not sign in (${landed?.status()} at ${page.url()})`);
  return {
    server: { ...server, url: server.origin },
    launchUrl,
    browser,
    page,
    errors,
    async close() {
      handle.close();
      await browser.close();
      await server.close();
    },
  };
}
