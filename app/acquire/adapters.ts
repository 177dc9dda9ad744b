import { TeeError } from '../errors.js';
import { toHex } from '../bytes/hex.js';
import type { HttpsSource } from './target.js';

/**
 * The HTTPS evidence protocols, as pure request builders and response checks (sockets live in main/):
 * - coco-aa: the Confidential Containers attestation agent's REST server (api-server-rest),
 *   GET /aa/evidence?runtime_data=…&encoding=base64: the runtime data (our nonce, URL-safe base64
 *   without padding) goes into REPORT_DATA; the body is the agent's evidence JSON (TDX: `quote` in
 *   base64 plus event logs; SEV-SNP: the `attestation_report` + `cert_chain` form).
 * - dstack: the dstack guest agent, GET /GetQuote?report_data=HEX (at most 64 bytes, zero-padded);
 *   the body is JSON with `quote` in hex, `event_log`, `report_data` and `vm_config`.
 * - template: any URL with `{nonce}` (hex); the body is the evidence in any form the decoder accepts.
 */
export interface AdapterRequest {
  url: string;
  headers: Record<string, string>;
}

export function adapterRequest(src: HttpsSource, nonce: Uint8Array | undefined): AdapterRequest {
  if (nonce && nonce.length > 64) throw new TeeError('USAGE_ERROR', 'a nonce is at most 64 bytes (the size of REPORT_DATA)');
  if (src.adapter === 'template') return { url: src.url.replaceAll('{nonce}', nonce ? toHex(nonce) : ''), headers: {} };
  if (src.adapter === 'coco-aa') {
    const u = endpoint(src.url, '/aa/evidence');
    u.searchParams.set('runtime_data', nonce ? base64Url(nonce) : '');
    u.searchParams.set('encoding', 'base64');
    return { url: u.href, headers: { accept: 'application/octet-stream, application/json' } };
  }
  const u = endpoint(src.url, '/GetQuote');
  u.searchParams.set('report_data', nonce ? toHex(nonce) : '');
  return { url: u.href, headers: { accept: 'application/json' } };
}

/** The agent's base URL or the full endpoint URL; an existing query is kept. */
function endpoint(base: string, path: string): URL {
  const u = new URL(base);
  if (!u.pathname.endsWith(path)) u.pathname = u.pathname.replace(/\/+$/, '') + path;
  return u;
}

/** Checks the answer has the adapter's shape; returns the bytes for the evidence decoder. */
export function adapterEvidence(src: HttpsSource, body: Uint8Array): Uint8Array {
  if (body.length === 0) throw new TeeError('FETCH_FAILED', `${src.url}: the ${src.adapter} endpoint answered with an empty body`);
  if (src.adapter === 'template') return body;
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new TeeError('FETCH_FAILED', `${src.url}: the answer is not the ${src.adapter} agent's JSON evidence; is this the right --adapter?`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TeeError('FETCH_FAILED', `${src.url}: the answer is not a JSON object`);
  const has = (k: string) => k in doc;
  const ok = src.adapter === 'dstack' ? typeof (doc as { quote?: unknown }).quote === 'string' : has('quote') || has('attestation_report');
  if (!ok) {
    const want = src.adapter === 'dstack' ? '"quote" (hex)' : '"quote" (TDX, SGX) or "attestation_report" (SEV-SNP)';
    throw new TeeError(
      'FETCH_FAILED',
      `${src.url}: the ${src.adapter} answer has no ${want}; keys present: ${Object.keys(doc).slice(0, 8).join(', ') || 'none'}`,
    );
  }
  return body;
}

function base64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
