import { ParseError } from '../../errors.js';

/**
 * A bounded BIG-endian reader for TPM 2.0 structures (TPM 2.0 Part 1, 18.4: all TPM integers are
 * big-endian; app/bytes/reader.ts reads little-endian). Every read checks what remains first, so a
 * size field can never reach past the input; errors are MALFORMED_EVIDENCE naming the field and offset.
 */
export class BigEndianReader {
  private pos = 0;

  constructor(readonly bytes: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, field: string): void {
    if (n > this.remaining) throw new ParseError(`${field} needs ${n} bytes but only ${this.remaining} remain`, { field, offset: this.pos, needed: n });
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    return this.u16(field) * 0x10000 + this.u16(field);
  }

  u64(field: string): bigint {
    const hi = this.u32(field);
    return (BigInt(hi) << 32n) | BigInt(this.u32(field));
  }

  /** A view (no copy) of the next n bytes. */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** TPM2B_*: a u16 size, then that many bytes (Part 2, 10.4), at most `max` when the type bounds it. */
  tpm2b(field: string, max = 0xffff): Uint8Array {
    const at = this.pos;
    const size = this.u16(field);
    if (size > max) this.fail(`${field} is ${size} bytes, more than the ${max} its type allows`, field, at);
    return this.take(size, field);
  }

  /** The structure must end exactly here: trailing bytes are not part of a signed TPM structure. */
  done(field: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} trailing bytes after ${field}`, field);
  }

  fail(message: string, field: string, offset = this.pos): never {
    throw new ParseError(message, { field, offset });
  }
}
