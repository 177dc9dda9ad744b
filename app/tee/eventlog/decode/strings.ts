import { toHex } from '../../../bytes/hex.js';
import { eventText, isPrintable, quote } from './text.js';
import type { GrubDecoded, RawDecoded, SeparatorDecoded, TextDecoded } from './types.js';

/**
 * GRUB's measured-boot prefixes (GRUB manual, "Measured Boot"; the older "grub_cmd " forms from Fedora's
 * patches). GRUB hashes the text after the prefix, not the event data: see claims.ts.
 */
export const GRUB_PREFIXES: readonly { prefix: string; role: GrubDecoded['role'] }[] = [
  { prefix: 'grub_cmd: ', role: 'command' },
  { prefix: 'kernel_cmdline: ', role: 'kernel-cmdline' },
  { prefix: 'module_cmdline: ', role: 'module-cmdline' },
  { prefix: 'grub_kernel_cmdline ', role: 'kernel-cmdline' },
  { prefix: 'grub_cmd ', role: 'command' },
];

const LATIN1 = new TextDecoder('latin1');

/** EV_IPL: a GRUB command or kernel command line when it has GRUB's prefix, else a string (a file name, shim's variable name). */
export function decodeIpl(bytes: Uint8Array): GrubDecoded | TextDecoded | RawDecoded {
  const head = LATIN1.decode(bytes.subarray(0, 24));
  const grub = GRUB_PREFIXES.find((p) => head.startsWith(p.prefix));
  if (grub) {
    const text = eventText(bytes.subarray(grub.prefix.length)).text;
    const label = grub.role === 'command' ? 'GRUB command' : grub.role === 'kernel-cmdline' ? 'kernel command line' : 'module command line';
    return { kind: 'grub', summary: `${label}: ${quote(text)}`, prefix: grub.prefix, text, role: grub.role };
  }
  return decodeText(bytes);
}

/** A string event (EV_EFI_ACTION, EV_POST_CODE, EV_S_CRTM_VERSION, EV_IPL...): text when it is text, else its size. */
export function decodeText(bytes: Uint8Array): TextDecoded | RawDecoded {
  const t = eventText(bytes);
  if (t.encoding === 'utf-16le' || isPrintable(bytes)) return { kind: 'text', summary: quote(t.text), text: t.text, encoding: t.encoding };
  return decodeRaw(bytes);
}

/** Anything else: its size, and the printable label it starts with if any ("td_hob", "ACPI DATA"). */
export function decodeRaw(bytes: Uint8Array): RawDecoded {
  let end = 0;
  while (end < bytes.length && end < 64 && bytes[end]! >= 0x20 && bytes[end]! < 0x7f) end++;
  const label = end >= 3 ? LATIN1.decode(bytes.subarray(0, end)) : undefined;
  return { kind: 'raw', summary: `${bytes.length} bytes${label ? ` starting "${label}"` : ''}`, ...(label ? { label } : {}) };
}

/** EV_SEPARATOR (PFP 10.4.4.1): 00000000h normally, FFFFFFFFh when an error occurred; anything else is invalid. */
export function decodeSeparator(bytes: Uint8Array): SeparatorDecoded {
  const value = toHex(bytes.subarray(0, 16));
  const valid = bytes.length === 4 && (value === '00000000' || value === 'ffffffff');
  const summary = !valid
    ? `not a valid separator (${bytes.length} bytes: ${value}${bytes.length > 16 ? '…' : ''})`
    : value === '00000000'
      ? 'separator'
      : 'separator signalling an error (FFFFFFFF)';
  return { kind: 'separator', summary, value, valid };
}
