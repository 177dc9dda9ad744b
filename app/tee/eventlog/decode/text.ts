import type { ByteReader } from '../../../bytes/reader.js';

/** Longest text a summary carries; the typed fields keep the whole (already bounded by the event size). */
export const SUMMARY_MAX = 160;

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** A 64-bit little-endian count or size, refused when it cannot be a JavaScript integer (no allocation follows it unchecked). */
export function u64(r: ByteReader, field: string): number {
  const at = r.offset;
  const lo = r.u32(field);
  const hi = r.u32(field);
  if (hi >= 0x200000) r.fail(`${field} is too large (0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')})`, field, at);
  return hi * 0x100000000 + lo;
}

/** A 64-bit address or offset as 0x-prefixed hex, never lost to float rounding. */
export function u64Hex(r: ByteReader, field: string): string {
  const lo = r.u32(field);
  const hi = r.u32(field);
  return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

/** UTF-16LE code units as a string (lone surrogates kept as they are: the text is shown, not trusted). */
export function utf16(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return out;
}

/** A NUL-terminated UTF-16LE string from the reader; the terminator is consumed. Fails if none before the end. */
export function utf16z(r: ByteReader, field: string): string {
  const b = r.bytes;
  const start = r.offset;
  let i = start;
  while (i + 1 < r.end && (b[i] !== 0 || b[i + 1] !== 0)) i += 2;
  if (i + 1 >= r.end) r.fail(`${field} has no NUL terminator`, field, start);
  const text = utf16(r.take(i - start, field));
  r.take(2, field);
  return text;
}

/** Text of a string event: UTF-16LE when it looks like it (every other byte zero), else UTF-8; one trailing NUL dropped. */
export function eventText(data: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le'; nulTerminated: boolean } {
  if (looksUtf16(data)) {
    const text = utf16(data);
    const nul = text.endsWith('\0');
    return { text: nul ? text.slice(0, -1) : text, encoding: 'utf-16le', nulTerminated: nul };
  }
  const nul = data.length > 0 && data[data.length - 1] === 0;
  return { text: UTF8.decode(nul ? data.subarray(0, -1) : data), encoding: 'utf-8', nulTerminated: nul };
}

function looksUtf16(data: Uint8Array): boolean {
  if (data.length < 4 || data.length % 2 !== 0) return false;
  for (let i = 1; i < data.length; i += 2) if (data[i] !== 0) return false;
  return data[0] !== 0;
}

/** Whether the bytes are printable ASCII text (tab and newline allowed), optionally NUL-terminated. */
export function isPrintable(data: Uint8Array): boolean {
  const end = data.length > 0 && data[data.length - 1] === 0 ? data.length - 1 : data.length;
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = data[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c > 0x7e) return false;
  }
  return true;
}

export function clip(text: string, max = SUMMARY_MAX): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function quote(text: string): string {
  return `"${clip(text)}"`;
}
