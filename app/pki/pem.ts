import { ParseError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { fromBase64Compact } from '../bytes/base64.js';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const MAX_BLOCKS = 64;
const MAX_LABEL = 64;
/** RFC 7468 3 labels: printable words separated by single spaces or hyphens. */
const LABEL = /^[A-Z0-9]+(?:[ -][A-Z0-9]+)*$/;
/** RFC 7468 3: `preeb = "-----BEGIN " label "-----"`, `posteb = "-----END " label "-----"`, then optional blanks (WSP). */
const BEGIN_LINE = /^-----BEGIN ([^\r\n]*)-----[ \t]*$/;
const END_LINE = /^-----END ([^\r\n]*)-----[ \t]*$/;
/** One line of the base64 body: the standard alphabet and blanks; the URL alphabet is not PEM. */
const BODY_LINE = /^[A-Za-z0-9+/= \t]*$/;

/**
 * Lines that look like armour: five dashes anywhere (misspelt or mangled boundaries such as
 * `-----BAGIN CERTIFICATE-----` or `x-----BEGIN ...`), or BEGIN / END beside a run of dashes.
 * Such a line that is not an exact boundary is an error: skipping it as explanatory text would
 * silently drop a certificate from a chain.
 */
const ARMOUR_LIKE = /-----|^\s*-{2,}\s*(?:BEGIN|END)\b|\b(?:BEGIN|END)\b.*-{2,}\s*$/i;

interface Line {
  text: string;
  offset: number;
}

interface OpenBlock {
  label: string;
  offset: number;
  body: Line[];
}

/**
 * The PEM blocks in `text` (RFC 7468), strictly. Line by line: a BEGIN line is exactly
 * `-----BEGIN LABEL-----` and its block ends at the exact `-----END LABEL-----` of the same label;
 * bodies are non-empty canonical standard base64. Text between blocks (explanatory lines, the NUL
 * that ends a quote's PCK chain) is allowed unless it looks like armour (ARMOUR_LIKE). At most
 * 64 blocks. Offsets in errors are character offsets into `text`.
 */
export function pemBlocks(text: string, code: ErrorCode = 'MALFORMED_EVIDENCE'): PemBlock[] {
  const out: PemBlock[] = [];
  let open: OpenBlock | undefined;
  for (const line of lines(text)) {
    if (open) {
      if (closeBlock(open, line, code)) {
        out.push({ label: open.label, der: decodeBody(open, code) });
        open = undefined;
      }
      continue;
    }
    open = openBlock(line, code);
    if (open && out.length === MAX_BLOCKS) fail(`more than ${MAX_BLOCKS} PEM blocks`, line.offset, code);
  }
  if (open) fail(`PEM block "${open.label}" has no matching END line`, open.offset, code);
  return out;
}

/** Splits on LF; a CR before the LF belongs to the line break (RFC 7468 3 `eol`). */
function* lines(text: string): Generator<Line> {
  for (let at = 0; at <= text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    yield { text: text.slice(at, end > at && text[end - 1] === '\r' ? end - 1 : end), offset: at };
    at = end + 1;
  }
}

/** Outside a block: a BEGIN line opens one, an armour-like line is an error, anything else is text. */
function openBlock(line: Line, code: ErrorCode): OpenBlock | undefined {
  const begin = BEGIN_LINE.exec(line.text);
  if (begin) {
    const label = begin[1]!;
    if (label.length > MAX_LABEL || !LABEL.test(label)) fail(`malformed PEM BEGIN line ${quoted(line.text)}: bad label`, line.offset, code);
    return { label, offset: line.offset, body: [] };
  }
  if (ARMOUR_LIKE.test(line.text)) fail(`malformed PEM armour line ${quoted(line.text)}: not an exact "-----BEGIN LABEL-----"`, line.offset, code);
  return undefined;
}

/** Inside a block: true at its exact END line; body lines are collected; any other armour is an error. */
function closeBlock(open: OpenBlock, line: Line, code: ErrorCode): boolean {
  // A base64 line has no "-", so it can be neither an END line nor armour: the common case, tested first.
  if (BODY_LINE.test(line.text)) {
    open.body.push(line);
    return false;
  }
  const end = END_LINE.exec(line.text);
  if (end && end[1] === open.label) return true;
  if (end || ARMOUR_LIKE.test(line.text)) {
    fail(
      `PEM block "${open.label}" has no matching END line: found the armour line ${quoted(line.text)} instead of "-----END ${open.label}-----"`,
      line.offset,
      code,
    );
  }
  fail(`PEM body of "${open.label}" is not base64`, line.offset, code);
}

/** The body as canonical base64 (RFC 4648 3.5: zero pad bits), so one DER has one PEM. */
function decodeBody(open: OpenBlock, code: ErrorCode): Uint8Array {
  const offset = open.body[0]?.offset ?? open.offset;
  const joined = open.body.map((l) => l.text).join('');
  const compact = joined.includes(' ') || joined.includes('\t') ? joined.replace(/[ \t]+/g, '') : joined;
  if (compact.length === 0 || compact.length % 4 !== 0) fail(`PEM body of "${open.label}" is empty or not padded base64`, offset, code);
  const der = fromBase64Compact(compact);
  if (!der || der.length === 0) fail(`PEM body of "${open.label}" is not valid base64`, offset, code);
  if (!zeroPadBits(compact)) fail(`PEM body of "${open.label}" is not canonical base64 (non-zero pad bits)`, offset, code);
  return der;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The bits after the last full byte are zero (RFC 4648 3.5): 4 of them before "==", 2 before "=". */
function zeroPadBits(b64: string): boolean {
  const pads = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  if (pads === 0) return true;
  const last = ALPHABET.indexOf(b64[b64.length - pads - 1]!);
  return (last & (pads === 2 ? 0x0f : 0x03)) === 0;
}

function quoted(line: string): string {
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 77)}...` : line);
}

function fail(message: string, offset: number, code: ErrorCode): never {
  throw new ParseError(message, { field: 'pem', offset }, code);
}

/**
 * True when `text` contains something shaped like a PEM BEGIN line, anywhere: it routes input to
 * pemBlocks, which then judges it strictly (so a mangled chain gets a precise PEM error).
 */
export function looksLikePem(text: string): boolean {
  const begin = '-----BEGIN ';
  const at = text.indexOf(begin);
  if (at < 0) return false;
  const end = text.indexOf('-----', at + begin.length);
  return end > 0 && end - at - begin.length <= MAX_LABEL && LABEL.test(text.slice(at + begin.length, end));
}
