import { TeeError } from '../../errors.js';
import { fromHex } from '../../bytes/hex.js';
import { fromBase64 } from '../../bytes/base64.js';

/**
 * Byte strings as the TPM JSON inputs spell them: hex (tpm2-tools, trustee's v1/v2 quotes), base64 or
 * base64url (trustee's TPM evidence and Azure envelopes), or an array of byte values (serde's Vec<u8>).
 * A string of even length made only of hex digits is read as hex: a base64 value that happens to be
 * all hex digits cannot be told apart, and every real quote, signature or PCR in these formats is hex
 * when it looks like hex.
 */
export function jsonBytes(v: unknown, path: string, max: number): Uint8Array {
  if (Array.isArray(v)) return byteValues(v, path, max);
  if (typeof v !== 'string') return badJson(path, 'must be a hex or base64 string, or an array of byte values');
  if (v.length > 2 * max + 8) return badJson(path, `is longer than ${max} bytes`);
  const text = v.trim();
  const hex = /^[0-9a-fA-F]*$/.test(text) && text.length % 2 === 0 ? fromHex(text) : undefined;
  const bytes = hex ?? fromBase64(text);
  if (!bytes) return badJson(path, 'is neither hex nor base64');
  if (bytes.length > max) return badJson(path, `is ${bytes.length} bytes, more than ${max}`);
  return bytes;
}

function byteValues(v: unknown[], path: string, max: number): Uint8Array {
  if (v.length > max) return badJson(path, `holds ${v.length} values, more than ${max}`);
  if (!v.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) return badJson(path, 'must hold byte values (0 to 255) only');
  return Uint8Array.from(v as number[]);
}

/** MALFORMED_EVIDENCE naming the JSON path (offset 0: JSON has no byte offset worth naming). */
export function badJson(path: string, what: string): never {
  throw new TeeError('MALFORMED_EVIDENCE', `${path} ${what}`, { field: path, offset: 0 });
}

export function jsonObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return badJson(path, 'must be a JSON object');
  return v as Record<string, unknown>;
}

/** The document a JSON part carries; MALFORMED_EVIDENCE when it is not JSON. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return badJson(what, `is not JSON: ${(e as Error).message}`);
  }
}
