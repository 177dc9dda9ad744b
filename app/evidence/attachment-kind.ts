import type { AttachmentRole } from '../tee/module.js';
import { tcgLogSignature } from './sniff.js';

const MAX_JSON = 1 << 20;

/**
 * Whether a dropped file is a part that goes beside evidence rather than evidence or collateral: a TCG or
 * CC event log (a SHA-1 TCG_PCR_EVENT header holding "Spec ID Event03"), or a TPM quote as
 * `{signature, message, pcrs}` JSON. A sniff of fixed bytes and member names only: the module that uses
 * the part parses it and says what is wrong with it.
 */
export function attachmentRoleOf(bytes: Uint8Array): AttachmentRole | undefined {
  if (tcgLogSignature(bytes) === 'Spec ID Event03') return 'eventlog';
  if (isTpmQuoteJson(bytes)) return 'tpm-quote';
  return undefined;
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
