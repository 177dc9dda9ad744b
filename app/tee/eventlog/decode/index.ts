import { ParseError } from '../../../errors.js';
import { decodeBlob, decodeHandoff } from './firmware.js';
import { decodeGpt } from './gpt.js';
import { decodeImageLoad } from './image-load.js';
import { decodeIpl, decodeRaw, decodeSeparator, decodeText } from './strings.js';
import { decodeTagged } from './tagged.js';
import type { DecodeContext, Decoded } from './types.js';
import { decodeVariable } from './variable.js';

export type * from './types.js';

type Decoder = (data: Uint8Array, ctx: DecodeContext) => Decoded;

/** Decoders by event type (PFP Table 9 and the EFI types); types without one are shown as raw bytes. */
const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [0x00000001, decodeText], // EV_POST_CODE
  [0x00000004, decodeSeparator],
  [0x00000005, decodeText], // EV_ACTION
  [0x00000006, decodeTagged], // EV_EVENT_TAG
  [0x00000008, decodeText], // EV_S_CRTM_VERSION
  [0x0000000d, decodeIpl],
  [0x80000001, (d) => decodeVariable(d, false)], // EV_EFI_VARIABLE_DRIVER_CONFIG
  [0x80000002, (d) => decodeVariable(d, false)], // EV_EFI_VARIABLE_BOOT
  [0x80000003, decodeImageLoad], // EV_EFI_BOOT_SERVICES_APPLICATION
  [0x80000004, decodeImageLoad], // EV_EFI_BOOT_SERVICES_DRIVER
  [0x80000005, decodeImageLoad], // EV_EFI_RUNTIME_SERVICES_DRIVER
  [0x80000006, decodeGpt],
  [0x80000007, decodeText], // EV_EFI_ACTION
  [0x80000008, (d) => decodeBlob(d, false)],
  [0x80000009, (d) => decodeHandoff(d, false)],
  [0x8000000a, (d) => decodeBlob(d, true)],
  [0x8000000b, (d) => decodeHandoff(d, true)],
  [0x8000000c, (d) => decodeVariable(d, false)], // EV_EFI_VARIABLE_BOOT2
  [0x8000000d, decodeGpt], // EV_EFI_GPT_EVENT2
  [0x800000e0, (d) => decodeVariable(d, true)], // EV_EFI_VARIABLE_AUTHORITY
]);

/**
 * What the event data says, by the (unverified) event type. Total: data that does not decode is shown as
 * "not decodable: why" (a ParseError from a bounded reader); anything else thrown is a bug and propagates.
 */
export function decodeEvent(type: number, data: Uint8Array, ctx: DecodeContext): Decoded {
  const decoder = DECODERS.get(type) ?? decodeRaw;
  try {
    return decoder(data, ctx);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { kind: 'undecodable', summary: `not decodable: ${e.message}`, reason: e.message };
  }
}
