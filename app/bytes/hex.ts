/** Hex and small byte helpers. Lower-case hex everywhere, as the JSON contract requires. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const ASCII = new TextDecoder();

export function toHex(bytes: Uint8Array): string {
  if (bytes.length > 256) return longHex(bytes);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** Long inputs (whole signed bodies, certificates): ASCII digits decoded at once beat string building threefold. */
function longHex(bytes: Uint8Array): string {
  const ascii = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    ascii[2 * i] = DIGITS[bytes[i]! >> 4]!;
    ascii[2 * i + 1] = DIGITS[bytes[i]! & 15]!;
  }
  return ASCII.decode(ascii);
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Strict: even length, hex digits only (no prefix, no spaces). Returns undefined otherwise. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = text.charCodeAt(2 * i);
    const b = text.charCodeAt(2 * i + 1);
    const hi = a < 128 ? NIBBLE[a]! : -1;
    const lo = b < 128 ? NIBBLE[b]! : -1;
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A string with one char per byte: a cheap, exact Map key for byte strings. WHATWG's "latin1" is
 * windows-1252, whose decoder still maps all 256 byte values to distinct code points (tested).
 */
const LATIN1 = new TextDecoder('latin1');

export function latin1Key(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}
