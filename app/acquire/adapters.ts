import { TeeError } from '../errors.js';
import { fromBase64 } from '../bytes/base64.js';
import { toHex } from '../bytes/hex.js';
import type { CollectedAttachment } from './collected.js';
import type { HttpsSource } from './target.js';

/**
 * The HTTPS evidence protocols, as pure request builders and response checks (sockets live in main/):
 * - coco-aa: the Confidential Containers attestation agent's REST server (api-server-rest),
 *   GET /aa/evidence?runtime_data=…&encoding=base64: the runtime data (our nonce, URL-safe base64
 *   without padding) goes into REPORT_DATA; the body is the agent's evidence JSON (TDX: `quote` in
 *   base64 plus event logs; SEV-SNP: the `attestation_report` + `cert_chain` form).
 * - dstack: the dstack guest agent, GET /GetQuote?report_data=HEX (at most 64 bytes, zero-padded);
 *   the body is JSON with `quote` in hex, `event_log`, `report_data` and `vm_config`.
 * Event logs the agents return are kept as attachments (adapterAnswer): the attestation agent's
 * `cc_eventlog` (base64 of the CCEL, with the agent's own TCG-encoded events after it). dstack's
 * `event_log` is its own JSON list of events, not a TCG log: the answer says so in a note.
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

/** The evidence bytes with the event logs the agent returned beside them, and notes on what was not kept. */
export interface AdapterAnswer {
  evidence: Uint8Array;
  attachments: CollectedAttachment[];
  notes: string[];
}

export function adapterAnswer(src: HttpsSource, body: Uint8Array): AdapterAnswer {
  const evidence = adapterEvidence(src, body);
  if (src.adapter === 'template') return { evidence, attachments: [], notes: [] };
  const doc = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
  return { evidence, ...(src.adapter === 'coco-aa' ? cocoEventLog(doc.cc_eventlog) : dstackEventLog(doc.event_log)) };
}

type Logs = Pick<AdapterAnswer, 'attachments' | 'notes'>;

function cocoEventLog(v: unknown): Logs {
  if (v === undefined || v === null || v === '') return { attachments: [], notes: [] };
  const bytes = typeof v === 'string' ? fromBase64(v) : undefined;
  if (!bytes || bytes.length === 0) return { attachments: [], notes: ["the attestation agent's cc_eventlog is not base64: ignored"] };
  return { attachments: [{ role: 'eventlog', name: 'CCEL event log (attestation agent cc_eventlog)', bytes }], notes: [] };
}

/** dstack's event_log: a JSON list of events (IMR, digest, payload); only a base64 TCG log would be verifiable. */
function dstackEventLog(v: unknown): Logs {
  if (v === undefined || v === null || v === '') return { attachments: [], notes: [] };
  const events = typeof v === 'string' ? jsonList(v) : Array.isArray(v) ? v : undefined;
  if (events)
    return {
      attachments: [],
      notes: [
        `dstack's event_log (${events.length} event${events.length === 1 ? '' : 's'}) is dstack's JSON list, not a TCG event log: not verified yet, so its events prove nothing here`,
      ],
    };
  const bytes = typeof v === 'string' ? fromBase64(v) : undefined;
  if (bytes && looksLikeTcgLog(bytes)) return { attachments: [{ role: 'eventlog', name: 'event log (dstack event_log)', bytes }], notes: [] };
  return { attachments: [], notes: ["dstack's event_log is neither its JSON list nor a TCG event log: ignored"] };
}

function jsonList(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A TCG or CC log begins with the Spec ID event: type EV_NO_ACTION (3), then "Spec ID Event03" after the 32-byte SHA-1 header. */
function looksLikeTcgLog(b: Uint8Array): boolean {
  const SPEC_ID = 'Spec ID Event03';
  return b.length >= 48 && b[4] === 3 && b[5] === 0 && b[6] === 0 && b[7] === 0 && String.fromCharCode(...b.subarray(32, 32 + SPEC_ID.length)) === SPEC_ID;
}

function base64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
