import { toHex } from '../../bytes/hex.js';
import type { PcrValues } from './pcr-digest.js';
import type { TpmSignatureInput } from './verify-quote.js';
import { TPM_ALG_ECDSA, TPM_ALG_RSAPSS, TPM_ALG_RSASSA } from './algorithms.js';
import { badJson, jsonBytes, jsonObject, parseJsonBytes } from './json-bytes.js';

/** A TPM quote as JSON carries it: the TPMS_ATTEST, its signature (TPMT_SIGNATURE or bare), the PCR values read with it. */
export interface TpmQuoteJson {
  message: Uint8Array;
  signature: Uint8Array;
  pcrs?: PcrValues;
}

const MESSAGE_MAX = 1024; // a TPMS_ATTEST of a quote is a few hundred bytes
const SIGNATURE_MAX = 1024;
const PCR_INDEX_MAX = 64; // PCR_SELECT_MAX bytes (8) times 8 bits
/** Bank names by digest size, for PCR values given without a bank (Azure and trustee give 24 SHA-256 values). */
const BANK_OF_SIZE: Readonly<Record<number, string>> = { 20: 'sha1', 32: 'sha256', 48: 'sha384', 64: 'sha512' };

/**
 * `{signature, message, pcrs}` (DESIGN.md, `--tpm-quote`): values in hex, base64 or byte arrays; pcrs as an
 * array (index = PCR), an object {"0": value, ...}, or per bank {"sha256": [...] | {...}}. Throws
 * MALFORMED_EVIDENCE naming the JSON path.
 */
export function tpmQuoteFromDoc(doc: unknown, path = 'tpm_quote'): TpmQuoteJson {
  const d = jsonObject(doc, path);
  const message = jsonBytes(d.message, `${path}.message`, MESSAGE_MAX);
  const signature = jsonBytes(d.signature, `${path}.signature`, SIGNATURE_MAX);
  return d.pcrs === undefined || d.pcrs === null ? { message, signature } : { message, signature, pcrs: pcrValues(d.pcrs, `${path}.pcrs`) };
}

export function parseTpmQuoteJson(bytes: Uint8Array, name = 'tpm-quote'): TpmQuoteJson {
  return tpmQuoteFromDoc(parseJsonBytes(bytes, name), name);
}

/** The part encoding this module emits for quotes taken out of envelopes: hex, PCRs per bank. */
export function encodeTpmQuoteJson(q: TpmQuoteJson): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ signature: toHex(q.signature), message: toHex(q.message), ...(q.pcrs ? { pcrs: q.pcrs } : {}) }));
}

function pcrValues(v: unknown, path: string): PcrValues {
  if (Array.isArray(v) || Object.keys(jsonObject(v, path)).every((k) => /^\d+$/.test(k))) return oneBank(v, path);
  const banks = Object.entries(v as Record<string, unknown>);
  if (banks.length > 8) return badJson(path, 'names more than 8 banks');
  const out: Record<string, Record<string, string>> = {};
  for (const [bank, values] of banks) {
    if (!/^(sha1|sha256|sha384|sha512|sm3_256)$/.test(bank))
      return badJson(`${path}.${bank}`, 'is not a PCR bank name (sha1, sha256, sha384, sha512, sm3_256)');
    const [[bySize, read]] = Object.entries(oneBank(values, `${path}.${bank}`)) as [[string, Record<string, string>]];
    const empty = Object.keys(read).length === 0;
    if (!empty && bySize !== bank && !(bank === 'sm3_256' && bySize === 'sha256')) return badJson(`${path}.${bank}`, `holds ${bySize}-sized values`);
    out[bank] = read;
  }
  return out;
}

/** Values of one bank, indexed by PCR; the bank is named by their digest size. */
function oneBank(v: unknown, path: string): Record<string, Record<string, string>> {
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(jsonObject(v, path));
  if (entries.length > PCR_INDEX_MAX) return badJson(path, `lists ${entries.length} PCRs, more than ${PCR_INDEX_MAX}`);
  const values: Record<string, string> = {};
  let size = 0;
  for (const [index, value] of entries) {
    if (!/^\d+$/.test(index) || Number(index) >= PCR_INDEX_MAX || String(Number(index)) !== index)
      return badJson(`${path}.${index}`, 'is not a PCR index 0 to 63');
    const bytes = jsonBytes(value, `${path}[${index}]`, 64);
    if (!BANK_OF_SIZE[bytes.length] || (size && bytes.length !== size))
      return badJson(`${path}[${index}]`, `is ${bytes.length} bytes, not a digest of the bank's size`);
    size = bytes.length;
    values[index] = toHex(bytes);
  }
  return { [BANK_OF_SIZE[size] ?? 'sha256']: values };
}

/**
 * How the signature bytes are encoded: a TPMT_SIGNATURE names its scheme (RSASSA, RSAPSS or ECDSA) and
 * its length is exactly what its sizes say; anything else is a bare RSA signature (Azure's tooling).
 */
export function signatureInput(bytes: Uint8Array): TpmSignatureInput {
  const u16 = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  if (bytes.length < 6) return { encoding: 'raw', bytes };
  const alg = u16(0);
  if ((alg === TPM_ALG_RSASSA || alg === TPM_ALG_RSAPSS) && bytes.length === 6 + u16(4)) return { encoding: 'tpmt', bytes };
  if (alg === TPM_ALG_ECDSA && bytes.length >= 8) {
    const r = u16(4);
    if (6 + r + 2 <= bytes.length && bytes.length === 8 + r + u16(6 + r)) return { encoding: 'tpmt', bytes };
  }
  return { encoding: 'raw', bytes };
}
