import { ParseError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { fromBase64 } from '../bytes/base64.js';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
const MAX_BLOCKS = 64;
const MAX_LABEL = 64;
/** RFC 7468 3 labels: printable words separated by single spaces or hyphens. */
const LABEL = /^[A-Z0-9]+(?:[ -][A-Z0-9]+)*$/;
/** Standard base64 alphabet and the whitespace RFC 7468 allows (space, tab, CR, LF); the URL alphabet is not PEM. */
const BODY = /^[A-Za-z0-9+/= \t\r\n]*$/;

/**
 * The PEM blocks in `text` (RFC 7468), strictly: every BEGIN needs the END with the same label,
 * bodies are non-empty, correctly padded standard base64. Text between blocks (explanatory lines,
 * the NUL that ends a quote's PCK chain) is ignored. At most 64 blocks.
 */
export function pemBlocks(text: string, code: ErrorCode = 'MALFORMED_EVIDENCE'): PemBlock[] {
  const out: PemBlock[] = [];
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at)) {
    if (out.length === MAX_BLOCKS) fail(`more than ${MAX_BLOCKS} PEM blocks`, at, code);
    const labelStart = at + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    const label = labelEnd < 0 ? '' : text.slice(labelStart, labelEnd);
    if (label.length > MAX_LABEL || !LABEL.test(label)) fail('malformed PEM BEGIN line', at, code);
    const bodyStart = labelEnd + DASHES.length;
    // The body ends at the next run of dashes, which must be this block's END line: this also
    // rejects a BEGIN nested inside an unterminated block.
    const bodyEnd = text.indexOf(DASHES, bodyStart);
    const endLine = `-----END ${label}-----`;
    if (bodyEnd < 0 || !text.startsWith(endLine, bodyEnd)) fail(`PEM block "${label}" has no matching END line`, at, code);
    out.push({ label, der: decodeBody(text.slice(bodyStart, bodyEnd), bodyStart, code) });
    at = bodyEnd + endLine.length;
  }
  return out;
}

function decodeBody(body: string, offset: number, code: ErrorCode): Uint8Array {
  if (!BODY.test(body)) fail('PEM body is not base64', offset, code);
  const compact = body.replace(/[ \t\r\n]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0) fail('PEM body is empty or not padded base64', offset, code);
  const der = fromBase64(compact);
  if (!der || der.length === 0) fail('PEM body is not valid base64', offset, code);
  return der;
}

function fail(message: string, offset: number, code: ErrorCode): never {
  throw new ParseError(message, { field: 'pem', offset }, code);
}

/** True when `text` contains something shaped like a PEM BEGIN line. */
export function looksLikePem(text: string): boolean {
  const at = text.indexOf(BEGIN);
  if (at < 0) return false;
  const end = text.indexOf(DASHES, at + BEGIN.length);
  return end > 0 && end - at - BEGIN.length <= MAX_LABEL && LABEL.test(text.slice(at + BEGIN.length, end));
}
