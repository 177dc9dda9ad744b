import type { ErrorCode } from '../errors.js';
import { TAG, derFail } from './der-node.js';
import type { DerNode } from './der-node.js';

const DEFAULT: ErrorCode = 'MALFORMED_EVIDENCE';

/** 400 Gregorian years are exactly 146097 days: shifting by them keeps Date.UTC off its 0-99 => 19xx rule. */
const ERA_MS = 146097 * 86400000;

/**
 * UTCTime YYMMDDHHMMSSZ (YY >= 50 is 19YY, RFC 5280 4.1.2.5.1) or GeneralizedTime YYYYMMDDHHMMSSZ
 * (4.1.2.5.2): seconds present, no fraction, always Zulu. Returns epoch milliseconds.
 */
export function readTime(node: DerNode, code: ErrorCode = DEFAULT, field = 'time'): number {
  const { buf } = node;
  let at = node.start + node.headerLength;
  let year: number;
  if (node.tag === TAG.UTC_TIME && node.length === 13) {
    const yy = two(buf, at);
    year = yy < 0 ? -1 : yy >= 50 ? 1900 + yy : 2000 + yy;
    at += 2;
  } else if (node.tag === TAG.GENERALIZED_TIME && node.length === 15) {
    const hi = two(buf, at);
    const lo = two(buf, at + 2);
    year = hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    at += 4;
  } else {
    derFail('expected UTCTime (13 bytes) or GeneralizedTime (15 bytes)', node.start, code, field);
  }
  const month = two(buf, at);
  const day = two(buf, at + 2);
  const hour = two(buf, at + 4);
  const minute = two(buf, at + 6);
  const second = two(buf, at + 8);
  const valid =
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    buf[at + 10] === 0x5a;
  if (!valid) derFail('malformed time', node.start, code, field);
  return Date.UTC(year + 400, month - 1, day, hour, minute, second) - ERA_MS;
}

/** Two ASCII digits as a number, or -1. */
function two(buf: Uint8Array, at: number): number {
  const a = buf[at]! - 0x30;
  const b = buf[at + 1]! - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Allowed ASCII characters per string type; strings are checked, never silently repaired. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const NUMERIC = /^[0-9 ]*$/;

export function isStringTag(tag: number): boolean {
  return (
    tag === TAG.UTF8_STRING ||
    tag === TAG.PRINTABLE_STRING ||
    tag === TAG.IA5_STRING ||
    tag === TAG.NUMERIC_STRING ||
    tag === TAG.VISIBLE_STRING ||
    tag === TAG.T61_STRING ||
    tag === TAG.BMP_STRING ||
    tag === TAG.UNIVERSAL_STRING
  );
}

/** UTF8String, PrintableString, IA5String, NumericString, VisibleString, TeletexString, BMPString, UniversalString. */
export function readString(node: DerNode, code: ErrorCode = DEFAULT, field = 'string'): string {
  const text = decodeString(node.tag, node.buf.subarray(node.start + node.headerLength, node.end));
  if (text === undefined) derFail(`invalid or unsupported string (tag 0x${node.tag.toString(16)})`, node.start, code, field);
  return text;
}

function decodeString(tag: number, bytes: Uint8Array): string | undefined {
  switch (tag) {
    case TAG.UTF8_STRING:
      return utf8(bytes);
    case TAG.PRINTABLE_STRING:
      return ascii(bytes, 0x20, 0x7e, PRINTABLE);
    case TAG.NUMERIC_STRING:
      return ascii(bytes, 0x20, 0x39, NUMERIC);
    case TAG.IA5_STRING:
      return ascii(bytes, 0x00, 0x7f);
    case TAG.VISIBLE_STRING:
      return ascii(bytes, 0x20, 0x7e);
    case TAG.T61_STRING:
      return latin1(bytes); // legacy; read as Latin-1, as most implementations do
    case TAG.BMP_STRING:
      return wide(bytes, 2);
    case TAG.UNIVERSAL_STRING:
      return wide(bytes, 4);
    default:
      return undefined;
  }
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

function ascii(bytes: Uint8Array, lo: number, hi: number, pattern?: RegExp): string | undefined {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! < lo || bytes[i]! > hi) return undefined;
  const text = latin1(bytes);
  return pattern && !pattern.test(text) ? undefined : text;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

/** Big-endian UCS-2 (BMPString) or UCS-4 (UniversalString); surrogates and values past U+10FFFF are rejected. */
function wide(bytes: Uint8Array, size: 2 | 4): string | undefined {
  if (bytes.length % size !== 0) return undefined;
  let out = '';
  for (let i = 0; i < bytes.length; i += size) {
    let cp = 0;
    for (let k = 0; k < size; k++) cp = cp * 256 + bytes[i + k]!;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
  }
  return out;
}
