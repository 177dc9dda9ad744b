import { fromBase64 } from '../bytes/base64.js';
import { toHex } from '../bytes/hex.js';
import { escapeControls } from '../text/sanitize.js';

/**
 * What a collector printed, split into the evidence, the collateral and the attachments that came with it.
 * The default collector (main/ssh/collector.ts) prints one JSON object with base64 fields:
 * `{"provider", "quote", "auxblob", "hcl"?, "tpmQuote"?, "tdQuoteResponse"?, "thim"?, "eventlogs": [{name,
 * path, data}], "ccelTable", "missing": [{item, path, reason, detail}]}`. The evidence is the HCL report on
 * Azure, else the quote; for SEV-SNP the auxblob is the host's certificate table (VCEK/VLEK, ASK, ARK).
 * Fields of the wrong type become notes, unknown fields are ignored; output that is not this JSON is
 * passed through whole and the evidence decoder says what is wrong with it.
 */
export type CollectedRole = 'eventlog' | 'tpm-quote' | 'td-quote';

export interface CollectedAttachment {
  role: CollectedRole;
  name: string;
  bytes: Uint8Array;
}

export interface Collected {
  evidence: Uint8Array;
  collateral: { name: string; bytes: Uint8Array }[];
  attachments: CollectedAttachment[];
  /** What could not be collected and why, in words for the user. */
  notes: string[];
  /** configfs-tsm's provider (e.g. "tdx_guest", "sev_guest") or the collector's ("azure-snp-vtpm"), when it said. */
  provider?: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_LOG = 16 * 1024 * 1024;
const MAX_LOGS = 8;
const MAX_MISSING = 32;
const TPM_PCRS = 24;
const SHA256 = 32;

type Doc = Record<string, unknown>;

export function splitCollected(output: Uint8Array): Collected {
  const whole: Collected = { evidence: output, collateral: [], attachments: [], notes: [] };
  const doc = jsonObject(output);
  if (!doc || !(('quote' in doc && 'auxblob' in doc) || typeof doc.hcl === 'string')) return whole;
  const evidence = bytesOf(doc.hcl) ?? bytesOf(doc.quote);
  if (!evidence) return whole;
  const provider = typeof doc.provider === 'string' && doc.provider !== 'unknown' ? doc.provider : undefined;
  const out: Collected = { evidence, collateral: [], attachments: [], notes: [], ...(provider ? { provider } : {}) };
  const aux = bytesOf(doc.auxblob);
  if (aux) out.collateral.push({ name: 'auxblob (certificate table from the host)', bytes: aux });
  addEventLogs(doc, out);
  addTpmQuote(doc.tpmQuote, out);
  addTdQuote(doc.tdQuoteResponse, out);
  addThim(doc.thim, out);
  addMissing(doc.missing, out);
  return out;
}

function jsonObject(output: Uint8Array): Doc | undefined {
  if (output[0] !== 0x7b /* { */ || output.length > MAX_OUTPUT) return undefined;
  try {
    const doc: unknown = JSON.parse(new TextDecoder().decode(output));
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Doc) : undefined;
  } catch {
    return undefined;
  }
}

/** A non-empty base64 field's bytes; undefined when absent, empty or not base64. */
function bytesOf(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const b = fromBase64(v);
  return b && b.length > 0 ? b : undefined;
}

/** Remote text made safe to print: controls escaped, bounded. */
function safe(v: unknown, max = 300): string {
  return escapeControls(String(v).slice(0, max));
}

const LOG_TITLES: Record<string, string> = { ccel: 'CCEL event log', tpm: 'TPM event log' };

/** A table entry by a remote key, never an inherited one ("constructor", "__proto__"). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function addEventLogs(doc: Doc, out: Collected): void {
  if (doc.eventlogs === undefined) return;
  if (!Array.isArray(doc.eventlogs)) return void out.notes.push('collector output: "eventlogs" is not a list: ignored');
  for (const [i, e] of doc.eventlogs.slice(0, MAX_LOGS).entries()) {
    const item = typeof e === 'object' && e !== null ? (e as Doc) : {};
    const bytes = bytesOf(item.data);
    if (typeof item.name !== 'string' || !bytes) {
      out.notes.push(`collector output: eventlogs[${i}] is not {name, data} with base64 data: ignored`);
      continue;
    }
    const title = own(LOG_TITLES, item.name) ?? `${safe(item.name, 40)} event log`;
    if (bytes.length > MAX_LOG) {
      out.notes.push(`${title}: larger than 16 MiB: ignored`);
      continue;
    }
    const where = typeof item.path === 'string' && item.path ? ` (${safe(item.path, 200)})` : '';
    out.attachments.push({ role: 'eventlog', name: `${title}${where}`, bytes });
    if (item.name === 'ccel') checkCcelArea(doc.ccelTable, bytes, out);
  }
  if (doc.eventlogs.length > MAX_LOGS) out.notes.push(`collector output: only the first ${MAX_LOGS} event logs were kept`);
}

/** The ACPI CCEL table's LAML (offset 40) is the log area's length: a log of another size was cut or padded. */
function checkCcelArea(table: unknown, log: Uint8Array, out: Collected): void {
  const t = bytesOf(table);
  if (!t || t.length < 56 || String.fromCharCode(...t.subarray(0, 4)) !== 'CCEL') return;
  const laml = new DataView(t.buffer, t.byteOffset, t.byteLength).getBigUint64(40, true);
  if (laml !== BigInt(log.length)) out.notes.push(`CCEL event log: ${log.length} bytes, but the ACPI CCEL table declares a log area of ${laml} bytes`);
}

/** tpm2_quote's output (base64 of the message, the bare signature, the 24 raw SHA-256 PCR values) as `{signature, message, pcrs}` hex JSON. */
function addTpmQuote(v: unknown, out: Collected): void {
  if (v === undefined) return;
  const q = typeof v === 'object' && v !== null ? (v as Doc) : {};
  const message = bytesOf(q.message);
  const signature = bytesOf(q.signature);
  const pcrs = Array.isArray(q.pcrs) ? hexList(q.pcrs) : splitPcrs(bytesOf(q.pcrs));
  if (!message || !signature || !pcrs)
    return void out.notes.push(`vTPM quote: the collector's tpmQuote is not {message, signature, pcrs} with ${TPM_PCRS} SHA-256 PCR values: ignored`);
  const json = JSON.stringify({ signature: toHex(signature), message: toHex(message), pcrs });
  out.attachments.push({ role: 'tpm-quote', name: 'vTPM quote (AK 0x81000003, SHA-256 PCRs 0-23)', bytes: new TextEncoder().encode(json) });
}

function splitPcrs(raw: Uint8Array | undefined): string[] | undefined {
  if (!raw || raw.length !== TPM_PCRS * SHA256) return undefined;
  return Array.from({ length: TPM_PCRS }, (_, i) => toHex(raw.subarray(i * SHA256, (i + 1) * SHA256)));
}

function hexList(list: unknown[]): string[] | undefined {
  const ok = list.length === TPM_PCRS && list.every((p) => typeof p === 'string' && /^[0-9a-fA-F]{64}$/.test(p));
  return ok ? (list as string[]).map((p) => p.toLowerCase()) : undefined;
}

/** IMDS's answer to the TDREPORT: `{"quote": base64url}`. */
function addTdQuote(v: unknown, out: Collected): void {
  if (v === undefined) return;
  const quote = bytesOf(imdsJson(v)?.quote);
  if (!quote) return void out.notes.push('Azure TD quote: the IMDS answer is not {"quote": base64url}: ignored');
  out.attachments.push({ role: 'td-quote', name: 'TD quote (Azure IMDS /acc/tdquote)', bytes: quote });
}

/** THIM's answer: the VCEK and AMD's chain as PEM, `{"vcekCert", "certificateChain"}`. */
function addThim(v: unknown, out: Collected): void {
  if (v === undefined) return;
  const doc = imdsJson(v);
  const vcek = doc?.vcekCert;
  const chain = typeof doc?.certificateChain === 'string' ? doc.certificateChain : '';
  if (typeof vcek !== 'string' || !vcek.includes('-----BEGIN CERTIFICATE-----'))
    return void out.notes.push('Azure VCEK: the IMDS THIM answer has no "vcekCert" PEM: ignored');
  out.collateral.push({ name: 'VCEK and AMD chain (Azure IMDS THIM)', bytes: new TextEncoder().encode(`${vcek.trim()}\n${chain.trim()}\n`) });
}

function imdsJson(v: unknown): Doc | undefined {
  const bytes = bytesOf(v);
  return bytes ? jsonObject(bytes) : undefined;
}

function addMissing(v: unknown, out: Collected): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) return void out.notes.push('collector output: "missing" is not a list: ignored');
  for (const m of v.slice(0, MAX_MISSING)) {
    const note = typeof m === 'string' ? `collector: ${safe(m)}` : missingNote(typeof m === 'object' && m !== null ? (m as Doc) : {}, out.provider);
    if (note) out.notes.push(note);
  }
}

/** Providers whose TEE has no CCEL: its absence says nothing there. */
const NO_CCEL = /^(sev_guest|azure-snp-vtpm|gramine-)/;

/** One `missing` entry in words: what, where, why, and what to do. */
export function missingNote(m: Doc, provider?: string): string | undefined {
  const item = safe(m.item ?? '', 40);
  const path = safe(m.path ?? '', 200);
  const reason = safe(m.reason ?? '', 40);
  const detail = m.detail ? safe(m.detail) : '';
  if (item === 'ccel' && reason === 'absent')
    return provider && NO_CCEL.test(provider) ? undefined : 'no CCEL table: not a TDX guest or the kernel does not expose it';
  const log = own(LOG_TITLES, item);
  if (log) return logNote(log, path, reason, detail);
  const azure = own(AZURE_NOTES, item)?.(path, reason, detail);
  return azure ?? `collector: ${item || 'something'} not collected (${reason || 'no reason given'})${detail ? `: ${detail}` : ''}`;
}

function logNote(title: string, path: string, reason: string, detail: string): string {
  if (reason === 'permission-denied') return `${title}: permission denied reading ${path} (run the collector as root)`;
  if (reason === 'absent') return `${title}: ${path} does not exist (the kernel exposes no event log there; is securityfs mounted?)`;
  if (reason === 'too-large') return `${title}: ${path} is larger than 16 MiB: not collected`;
  return `${title}: reading ${path} failed${detail ? `: ${detail}` : ''}`;
}

const NOT_FRESH = 'so the HCL report is the one made at boot, not bound to this nonce';

const AZURE_NOTES: Record<string, (path: string, reason: string, detail: string) => string | undefined> = {
  hcl: (_p, reason, detail) =>
    reason === 'tool-absent'
      ? "Azure HCL report: tpm2_nvread not installed (apt install tpm2-tools): this Microsoft VM's vTPM was not read"
      : `Azure HCL report: tpm2_nvread 0x01400001 failed${detail ? `: ${detail}` : ''}`,
  'hcl-nonce': (path, reason, detail) =>
    reason === 'tool-absent'
      ? `Azure HCL report: tpm2_nvwrite not installed: the nonce was not written to NV index 0x01400002, ${NOT_FRESH}`
      : path === '0x01400001'
        ? `Azure HCL report: reading the report again after writing the nonce failed (${detail || 'no message'}), ${NOT_FRESH}`
        : `Azure HCL report: writing the nonce to NV index 0x01400002 failed (${detail || 'no message'}), ${NOT_FRESH}`,
  'tpm-quote': (_p, reason, detail) =>
    reason === 'tool-absent'
      ? 'vTPM quote: tpm2_quote not installed (apt install tpm2-tools)'
      : `vTPM quote: tpm2_quote with the AK 0x81000003 failed${detail ? `: ${detail}` : ''}`,
  'td-quote': (path, reason, detail) =>
    reason === 'tool-absent'
      ? `Azure TD quote: neither curl nor wget is installed: the TD quote was not fetched from IMDS (${path})`
      : `Azure TD quote: IMDS ${path} failed${detail ? `: ${detail}` : ''}`,
  vcek: (path, reason, detail) =>
    reason === 'tool-absent'
      ? `Azure VCEK: neither curl nor wget is installed: not fetched from IMDS (${path}); the VCEK must come from AMD KDS or your files`
      : `Azure VCEK: IMDS ${path} failed${detail ? ` (${detail})` : ''}; the VCEK must come from AMD KDS or your files`,
};
