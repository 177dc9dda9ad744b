import { LIMITS } from '../../../main/api/schema.js';

/**
 * What the page checks before any request, so the user reads why at once in human terms (the API checks the
 * same limits again; a body it refuses would otherwise surface as a bare network failure).
 */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${round(n / 1024)} KB`;
  return `${round(n / 1024 / 1024)} MB`;
}

function round(x: number): string {
  return x >= 10 || Number.isInteger(x) ? String(Math.round(x)) : x.toFixed(1);
}

export interface Admitted<T> {
  ok: T[];
  problems: string[];
}

/** Files within the per-file size limit and, with those already loaded, the file count; the rest named with why. */
export function admitFiles<T extends { name: string; size: number }>(incoming: readonly T[], loadedNames: readonly string[]): Admitted<T> {
  const problems: string[] = [];
  const sized = incoming.filter((f) => {
    if (f.size <= LIMITS.fileBytes) return true;
    problems.push(`${f.name} is ${humanBytes(f.size)}; the limit is ${humanBytes(LIMITS.fileBytes)} per file`);
    return false;
  });
  const names = new Set(loadedNames);
  const ok: T[] = [];
  const refused: string[] = [];
  for (const f of sized) {
    if (names.has(f.name) || names.size < LIMITS.files) {
      names.add(f.name);
      ok.push(f);
    } else refused.push(f.name);
  }
  if (refused.length) problems.push(`at most ${LIMITS.files} files can be verified together; not added: ${refused.join(', ')}`);
  return { ok, problems };
}

/** A file given as the golden values: within the size limit, or why not. */
export function referenceSizeProblem(f: { name: string; size: number }): string | undefined {
  return f.size > LIMITS.fileBytes ? `${f.name} is ${humanBytes(f.size)}; the limit is ${humanBytes(LIMITS.fileBytes)} per file` : undefined;
}

/** The expected nonce (report data) as the API takes it: 1 to 64 bytes of hex; spaces and a 0x prefix are forgiven. */
export function parseNonce(text: string): { hex?: string; error?: string } {
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (hex === '') return {};
  if (!/^[0-9a-fA-F]*$/.test(hex)) return { error: 'The nonce must be hex digits only (0-9, a-f).' };
  if (hex.length % 2) return { error: `The nonce must be whole bytes: ${hex.length} hex digits is an odd number.` };
  if (hex.length > 128) return { error: `The nonce can be at most 64 bytes (128 hex digits); this is ${hex.length / 2} bytes.` };
  return { hex: hex.toLowerCase() };
}

const ISO = /^(\d{4}-\d\d-\d\d)(T\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$/i;

/**
 * The "verify as of" text as an ISO time the API reads the same everywhere: a time without a zone is read as UTC
 * (never the local zone of whichever process parses it), and `assumedUtc` says so beside the field.
 */
export function parseVerifyAt(text: string): { iso?: string; assumedUtc?: boolean; error?: string } {
  const t = text.trim();
  const m = ISO.exec(t);
  const error = 'Use an ISO-8601 time such as 2025-07-19T10:00:34Z';
  if (!m) return { error };
  const assumedUtc = Boolean(m[2]) && !m[5];
  const iso = assumedUtc ? `${t}Z` : t.replace(/z$/, 'Z');
  if (Number.isNaN(Date.parse(iso))) return { error };
  return { iso, ...(assumedUtc ? { assumedUtc } : {}) };
}
