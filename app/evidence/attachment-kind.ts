import type { AttachmentRole } from '../tee/module.js';

const MAX_JSON = 1 << 20;
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * Whether a dropped file is a part that goes beside evidence rather than evidence or collateral: a TCG or
 * CC event log (a SHA-1 TCG_PCR_EVENT header holding "Spec ID Event03"), or a TPM quote as
 * `{signature, message, pcrs}` JSON. A sniff of fixed bytes and member names only: the module that uses
 * the part parses it and says what is wrong with it.
 */
export function attachmentRoleOf(bytes: Uint8Array): AttachmentRole | undefined {
  if (isEventLog(bytes)) return 'eventlog';
  if (isTpmQuoteJson(bytes)) return 'tpm-quote';
  return undefined;
}

function isEventLog(b: Uint8Array): boolean {
  if (b.length < 48 || u32le(b, 4) !== 3 /* EV_NO_ACTION */) return false;
  for (let i = 8; i < 28; i++) if (b[i] !== 0) return false;
  return new TextDecoder().decode(b.subarray(32, 47)) === 'Spec ID Event03';
}

function isTpmQuoteJson(b: Uint8Array): boolean {
  if (b.length > MAX_JSON || b[0] !== 0x7b /* { */) return false;
  try {
    const doc: unknown = JSON.parse(new TextDecoder().decode(b));
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
    const keys = Object.keys(doc);
    return ['signature', 'message'].every((k) => keys.includes(k)) && keys.every((k) => ['signature', 'message', 'pcrs'].includes(k));
  } catch {
    return false;
  }
}
