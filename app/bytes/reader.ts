import { ParseError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/**
 * A bounded little-endian reader. Every read checks the remaining length first, so a malformed
 * length can never read past the input or allocate beyond it; errors name the field and offset.
 */
export class ByteReader {
  private pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    readonly code: ErrorCode = 'MALFORMED_EVIDENCE',
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, field: string): void {
    if (n < 0 || n > this.end - this.pos) {
      throw new ParseError(`${field} needs ${n} bytes but only ${this.end - this.pos} remain`, { field, offset: this.pos, needed: n }, this.code);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.bytes[this.pos]! | (this.bytes[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.bytes;
    const v = (b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16)) + b[this.pos + 3]! * 0x1000000;
    this.pos += 4;
    return v;
  }

  /** A view (no copy) of the next n bytes. */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A reader over the next n bytes, advancing this one past them. */
  sub(n: number, field: string): ByteReader {
    this.need(n, field);
    const r = new ByteReader(this.bytes, this.pos, this.pos + n, this.code);
    this.pos += n;
    return r;
  }

  fail(message: string, field: string, offset = this.pos): never {
    throw new ParseError(message, { field, offset }, this.code);
  }
}
