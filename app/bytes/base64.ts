/** Strict base64 (standard or URL alphabet) decoding; spaces, tabs and line breaks are skipped. Returns undefined on any bad input. */
const DECODE = new Int16Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (DECODE[c.charCodeAt(0)] = i));
DECODE['-'.charCodeAt(0)] = 62;
DECODE['_'.charCodeAt(0)] = 63;

export function fromBase64(text: string): Uint8Array | undefined {
  return fromBase64Compact(text.replace(/[ \t\r\n]+/g, '')); // only the whitespace PEM allows
}

/** fromBase64 of text known to hold no whitespace (a PEM body already joined): any blank is an error here. */
export function fromBase64Compact(clean: string): Uint8Array | undefined {
  let n = clean.length;
  while (n > 0 && clean.charCodeAt(n - 1) === 0x3d) n--; // "="
  if (clean.length - n > 2 || n % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  const full = n - (n % 4);
  let at = 0;
  for (let i = 0; i < full; i += 4) {
    const c0 = clean.charCodeAt(i);
    const c1 = clean.charCodeAt(i + 1);
    const c2 = clean.charCodeAt(i + 2);
    const c3 = clean.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 255) return undefined;
    const d0 = DECODE[c0]!;
    const d1 = DECODE[c1]!;
    const d2 = DECODE[c2]!;
    const d3 = DECODE[c3]!;
    if ((d0 | d1 | d2 | d3) < 0) return undefined;
    out[at++] = (d0 << 2) | (d1 >> 4);
    out[at++] = ((d1 & 15) << 4) | (d2 >> 2);
    out[at++] = ((d2 & 3) << 6) | d3;
  }
  if (n > full) {
    const v = tail(clean, full, n - full);
    if (v < 0) return undefined;
    const bits = n - full === 3 ? v << 6 : v << 12; // 3 chars: 18 bits, 2 bytes; 2 chars: 12 bits, 1 byte
    out[at++] = bits >>> 16;
    if (n - full === 3) out[at++] = (bits >>> 8) & 0xff;
  }
  return out;
}

/** The last 2 or 3 base64 characters from `i` as one number, or -1 when any is outside the alphabet. */
function tail(text: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const code = text.charCodeAt(i + k);
    const d = code < 256 ? DECODE[code]! : -1;
    if (d < 0) return -1;
    v = (v << 6) | d;
  }
  return v;
}

export function toBase64(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63]! + abc[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? abc[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? abc[n & 63]! : '=';
  }
  return out;
}
