import type { IncomingMessage } from 'node:http';

/**
 * Browser-mode request guards. The server listens on 127.0.0.1 only, but any web page the user
 * visits can still send requests there (and DNS rebinding can make them same-origin), so every
 * request must carry our Host and no foreign Origin, and API calls the session cookie (session.ts).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Why a request is refused before routing, or undefined when Host and Origin are ours. */
export function refuseReason(req: IncomingMessage, port: number): string | undefined {
  const hosts = allowedHosts(port);
  const host = req.headers.host;
  if (!host || !hosts.includes(host)) return `foreign Host header ${JSON.stringify(host ?? '')}`;
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return `foreign Origin ${JSON.stringify(origin)}`;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site === 'cross-site') return 'cross-site request';
  return undefined;
}

export const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
