import { TeeError } from '../../errors.js';

/**
 * Strict readers for the `sev` crate's serde JSON (serde_json): integers as JSON numbers, byte
 * arrays as arrays of numbers, `Option<T>` as null or absent. Every failure is MALFORMED_EVIDENCE
 * naming the JSON path, and the report offset the value belongs at when there is one.
 */
export function bad(path: string, what: string, offset = 0): never {
  throw new TeeError('MALFORMED_EVIDENCE', `SnpEvidence JSON: ${path} ${what}`, { field: path, offset });
}

/** An unsigned little-endian integer of `size` bytes. JSON numbers above 2^53 cannot be exact, so they are refused. */
export function leUint(v: unknown, size: 1 | 4 | 8, path: string, offset = 0): number[] {
  const max = size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * size) - 1;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    bad(
      path,
      size === 8 ? 'must be an unsigned 64-bit integer (at most 2^53-1, so that JSON carries it exactly)' : `must be an unsigned ${8 * size}-bit integer`,
      offset,
    );
  }
  let n = BigInt(v);
  return Array.from({ length: size }, () => {
    const b = Number(n & 0xffn);
    n >>= 8n;
    return b;
  });
}

export function byteArray(v: unknown, size: number, path: string, offset = 0): number[] {
  if (!Array.isArray(v) || v.length !== size || !v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
    bad(path, `must be an array of ${size} byte values`, offset);
  return v as number[];
}

export function object(v: unknown, path: string, offset = 0): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(path, 'must be an object', offset);
  return v as Record<string, unknown>;
}

/** serde's `Option`: null or absent is None. */
export function isNone(v: unknown): boolean {
  return v === null || v === undefined;
}

/** Members other than `known` would be dropped silently by a rebuild, so they are refused by name. */
export function onlyKeys(o: Record<string, unknown>, known: readonly string[], path: string): void {
  const extra = Object.keys(o).find((k) => !known.includes(k));
  if (extra !== undefined) bad(`${path}.${extra}`, `is not a field of this form (expected only ${known.join(', ')})`);
}
