import type { JsonFields } from '../json/fields.js';
import type { ClaimKind } from './catalogue.js';

/** Field readers shared by the reference file's parts (reference.ts, reference-provenance.ts). */
export const REFERENCE_SCHEMA = 'tee-inspect/reference/v1';

/** A claim value as the set stores it: lower-case hex, decimal for integers, the text itself, "true"/"false". */
export function claimValue(c: JsonFields, path: string, v: unknown, kind: ClaimKind): string {
  if (kind.kind === 'bool') {
    if (typeof v !== 'boolean') c.fail(path, 'must be true or false');
    return String(v);
  }
  if (kind.kind === 'int') {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > kind.max) c.fail(path, `must be an integer from 0 to ${kind.max}`);
    return String(v);
  }
  if (kind.kind === 'text') {
    if (typeof v !== 'string' || v.length > kind.max) c.fail(path, `must be a string of at most ${kind.max} characters, compared exactly`);
    return v;
  }
  if (typeof v !== 'string') c.fail(path, `must be a string of ${kind.bytes * 2} hex digits`);
  if (/^0x/i.test(v)) c.fail(path, 'must be plain hex, without a 0x prefix');
  if (!/^[0-9a-fA-F]*$/.test(v)) c.fail(path, 'must contain only hex digits (no spaces, colons or other separators)');
  if (v.length !== kind.bytes * 2) c.fail(path, `must be ${kind.bytes} bytes (${kind.bytes * 2} hex digits), not ${v.length} digits`);
  return v.toLowerCase();
}

/** Unknown members are errors, never ignored: an ignored line is an unenforced rule. */
export function onlyKeys(f: JsonFields, allowed: readonly string[]): void {
  for (const key of Object.keys(f.obj)) if (!allowed.includes(key)) f.fail(key, `is not a ${REFERENCE_SCHEMA} member here; expected ${allowed.join(', ')}`);
}
