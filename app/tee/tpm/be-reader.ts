import { ByteReader } from '../../bytes/reader.js';

/**
 * The bounded reader (app/bytes/reader.ts) for TPM 2.0 structures, whose integers are BIG-endian (TPM 2.0
 * Part 1, 18.4): the same bounds checks and MALFORMED_EVIDENCE errors naming the field and offset, plus the
 * TPM2B sized buffers and the rule that a signed structure ends exactly where it should.
 */
export class BigEndianReader extends ByteReader {
  override u16(field: string): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  override u32(field: string): number {
    const b = this.take(4, field);
    return b[0]! * 0x1000000 + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  u64(field: string): bigint {
    const hi = this.u32(field);
    return (BigInt(hi) << 32n) | BigInt(this.u32(field));
  }

  /** TPM2B_*: a u16 size, then that many bytes (Part 2, 10.4), at most `max` when the type bounds it. */
  tpm2b(field: string, max = 0xffff): Uint8Array {
    const at = this.offset;
    const size = this.u16(field);
    if (size > max) this.fail(`${field} is ${size} bytes, more than the ${max} its type allows`, field, at);
    return this.take(size, field);
  }

  /** The structure must end exactly here: trailing bytes are not part of a signed TPM structure. */
  done(field: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} trailing bytes after ${field}`, field);
  }
}
