import { TeeError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { fromHex } from '../bytes/hex.js';

/**
 * Typed field access for untrusted JSON: each accessor names the JSON path in its error,
 * so a malformed PCS response says exactly which member is wrong.
 */
export type Json = Record<string, unknown>;

export class JsonFields {
  constructor(
    readonly obj: Json,
    readonly path: string,
    readonly code: ErrorCode = 'MALFORMED_COLLATERAL',
  ) {}

  static of(value: unknown, path: string, code: ErrorCode = 'MALFORMED_COLLATERAL'): JsonFields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TeeError(code, `${path} must be a JSON object`, { field: path });
    return new JsonFields(value as Json, path, code);
  }

  fail(key: string, what: string): never {
    throw new TeeError(this.code, `${this.path}.${key} ${what}`, { field: `${this.path}.${key}` });
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  str(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string') this.fail(key, 'must be a string');
    return v;
  }

  int(key: string): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(key, 'must be a non-negative integer');
    return v;
  }

  hex(key: string, length?: number): Uint8Array {
    const bytes = fromHex(this.str(key));
    if (!bytes) this.fail(key, 'must be hex');
    if (length !== undefined && bytes.length !== length) this.fail(key, `must be ${length} bytes`);
    return bytes;
  }

  /** ISO-8601 UTC time, returned as epoch ms. */
  time(key: string): number {
    const text = this.str(key);
    const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms)) this.fail(key, `must be an ISO-8601 UTC time, not "${text.slice(0, 40)}"`);
    return ms;
  }

  object(key: string): JsonFields {
    return JsonFields.of(this.obj[key], `${this.path}.${key}`, this.code);
  }

  array(key: string, max = 4096): unknown[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(key, 'must be an array');
    if (v.length > max) this.fail(key, `has more than ${max} entries`);
    return v;
  }

  objects(key: string, max = 4096): JsonFields[] {
    return this.array(key, max).map((v, i) => JsonFields.of(v, `${this.path}.${key}[${i}]`, this.code));
  }

  strings(key: string): string[] {
    if (!this.has(key)) return [];
    return this.array(key).map((v, i) => {
      if (typeof v !== 'string') this.fail(`${key}[${i}]`, 'must be a string');
      return v;
    });
  }
}
