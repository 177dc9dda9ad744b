import type { ServerResponse } from 'node:http';
import { COMMON_HEADERS } from './security.js';

/** A plain message page (no script, no style): what a refused launch link shows in the browser. */
export function sendPage(res: ServerResponse, status: number, title: string, paragraphs: string[]): void {
  const body = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)} · TEE Inspector</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${p}</p>`),
    '</main></body></html>',
  ].join('\n');
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export const USED_LAUNCH = [
  'This launch link has already been used, or was never this server&rsquo;s. Each link that <code>tee-inspect serve</code> prints works once, in one browser: its first use signs that browser in, and the link grants nothing after that.',
  'If this browser opened it a moment ago, <a href="/">go to TEE Inspector</a>. Otherwise stop <code>tee-inspect serve</code> and start it again for a new link.',
];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
