import type { CryptoProvider } from '../../../crypto/provider.js';
import { digestSync } from '../../../crypto/digest-sync.js';
import { equalBytes } from '../../../bytes/hex.js';
import { ParseError } from '../../../errors.js';
import { canHash } from '../replay.js';
import type { LogEvent } from '../parse.js';
import { variableParts } from './variable.js';
import { GRUB_PREFIXES } from './strings.js';

/**
 * What a digest may have been computed over, for the events whose measured content is in the log:
 * - most events: the event data (PFP: separators, EFI actions, EV_EFI_VARIABLE_DRIVER_CONFIG's whole UEFI_VARIABLE_DATA);
 * - EV_EFI_VARIABLE_BOOT(2): edk2 hashes only the variable data (Tcg2Dxe MeasureVariable), so that too;
 * - GRUB EV_IPL: the text after the prefix, without the NUL (older GRUBs: with it), as go-eventlog checks.
 */
export function digestCandidates(e: LogEvent): Uint8Array[] {
  const out = [e.data];
  if (e.type === 0x80000002 || e.type === 0x8000000c) out.push(variableData(e.data));
  if (e.type === 0x0000000d) {
    const head = new TextDecoder('latin1').decode(e.data.subarray(0, 24));
    const grub = GRUB_PREFIXES.find((p) => head.startsWith(p.prefix));
    if (grub) {
      const text = e.data.subarray(grub.prefix.length);
      out.push(text);
      if (text[text.length - 1] === 0) out.push(text.subarray(0, -1));
    }
  }
  return out;
}

function variableData(data: Uint8Array): Uint8Array {
  try {
    return variableParts(data).data;
  } catch (e) {
    if (e instanceof ParseError) return data;
    throw e;
  }
}

/** True when one candidate's hash equals the event's digest in every bank this program can hash (false with none). */
export async function digestCoversContent(e: LogEvent, crypto: CryptoProvider): Promise<boolean> {
  const banks = e.digests.flatMap((d) => (canHash(d.alg) ? [{ hash: d.alg.name, digest: d.digest }] : []));
  if (!banks.length) return false;
  for (const content of digestCandidates(e)) {
    let all = true;
    for (const d of banks) if (!equalBytes(digestSync(crypto, d.hash, content), d.digest)) all = false;
    if (all) return true;
  }
  return false;
}
