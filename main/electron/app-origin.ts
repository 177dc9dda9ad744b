import type { CustomScheme } from 'electron';

/**
 * The app's own origin. The renderer is served from a privileged custom scheme, not file://, so the page has a
 * real origin ('self' in the CSP means this origin and nothing on disk) and IPC can be limited to it.
 * Type-only Electron import: this module runs under plain Node in the unit tests.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tee-inspector';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_PATH = '/index.html';
export const APP_INDEX_URL = `${APP_ORIGIN}${APP_INDEX_PATH}`;

/**
 * Registered before `ready` (Electron ignores later registration). standard: relative URLs and a real origin;
 * secure: a secure context (clipboard, crypto.subtle); corsEnabled: module scripts (`<script type="module"
 * crossorigin>`) are fetched in CORS mode. No bypassCSP, no service workers, no fetch API: the page in Electron
 * talks to main over IPC only.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    corsEnabled: true,
    codeCache: true,
    supportFetchAPI: false,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
  },
};

/** The parsed URL when it is on the app's origin exactly (no credentials, no port), else undefined. */
export function appUrl(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  // Node's URL gives non-special schemes an opaque origin ('null'), so the parts are compared one by one.
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password || u.port) return undefined;
  return u;
}

export function isAppUrl(url: string | undefined): boolean {
  return appUrl(url) !== undefined;
}
