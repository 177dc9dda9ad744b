import { isAppUrl } from './app-origin.js';

/**
 * Where the window may go. The app is one page on app://tee-inspector; it never navigates elsewhere and never
 * opens windows. A link to vendor documentation opens in the user's browser, and only then:
 *
 * - www.intel.com: Intel security advisories (INTEL-SA-xxxxx) the TCB status lists, and the Security Center the
 *   Help menu opens (renderer/src/verdict/VerdictBanner.tsx, the Help menu).
 * - www.amd.com: AMD security bulletins (AMD-SB-xxxx) for SEV-SNP TCB levels.
 * - api.portal.trustedservices.intel.com: the Intel PCS API documentation (the collateral service the app uses).
 *
 * Exact hosts over https on the default port, no credentials: no wildcard subdomains, no other scheme (mailto:,
 * file:, custom handlers), no IP literals. Everything else is refused and logged. Add a host only when the app
 * links to it.
 */
export const EXTERNAL_DOC_HOSTS: ReadonlySet<string> = new Set(['www.intel.com', 'www.amd.com', 'api.portal.trustedservices.intel.com']);

export type ExternalDecision = { open: true; url: string } | { open: false; reason: string };

export function externalLinkDecision(url: string): ExternalDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { open: false, reason: 'not a URL' };
  }
  if (u.protocol !== 'https:') return { open: false, reason: `scheme ${u.protocol} is never opened` };
  if (u.username || u.password) return { open: false, reason: 'credentials in the URL' };
  if (u.port) return { open: false, reason: 'a non-default port' };
  if (!EXTERNAL_DOC_HOSTS.has(u.hostname)) return { open: false, reason: `host ${u.hostname} is not on the documentation allow-list` };
  return { open: true, url: u.href };
}

export type NavigationDecision = { action: 'allow' } | { action: 'external'; url: string } | { action: 'deny'; reason: string };

/** A top-level navigation (will-navigate, will-redirect): stay on the app origin, hand allow-listed docs to the browser, refuse the rest. */
export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  const ext = externalLinkDecision(url);
  return ext.open ? { action: 'external', url: ext.url } : { action: 'deny', reason: ext.reason };
}

/**
 * Requests the session lets through (webRequest.onBeforeRequest): the app's own files and the page's own
 * data:/blob: images. The renderer has no business on the network; the main process fetches collateral itself.
 * devtools: only when DevTools are enabled for development.
 */
export function requestAllowed(url: string, devTools: boolean): boolean {
  if (isAppUrl(url)) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'data' || scheme === 'blob') return true;
  return devTools && scheme === 'devtools';
}
