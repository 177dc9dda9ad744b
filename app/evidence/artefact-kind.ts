import { FOOTER_GUID_FROM_END, hasOvmfFooter } from '../firmware/ovmf-table.js';

/**
 * What a dropped build artefact is, from its bytes alone, so that the files a guest is built from can be dropped
 * together: a firmware image (the OVMF/TDVF "GUIDed table" footer), a Linux kernel (a PE/COFF image or a bzImage
 * with its boot-protocol header) or an initrd (a cpio archive, plain or compressed). Only the first bytes and the
 * footer are read. A file that is none of these is 'unknown', and the user places it by hand.
 */
export type ArtefactKind = 'firmware' | 'kernel' | 'initrd' | 'unknown';

/** Compression and archive magics an initrd starts with (gzip, zstd, xz, lz4 legacy and frame, bzip2, lzma, newc/crc cpio). */
const INITRD_MAGICS: readonly (readonly number[])[] = [
  [0x1f, 0x8b],
  [0x28, 0xb5, 0x2f, 0xfd],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  [0x02, 0x21, 0x4c, 0x18],
  [0x04, 0x22, 0x4d, 0x18],
  [0x42, 0x5a, 0x68],
  [0x5d, 0x00, 0x00],
  [0x30, 0x37, 0x30, 0x37, 0x30, 0x31],
  [0x30, 0x37, 0x30, 0x37, 0x30, 0x32],
];

const startsWith = (b: Uint8Array, magic: readonly number[], at = 0) => b.length >= at + magic.length && magic.every((m, i) => b[at + i] === m);

/**
 * `head`: the file's first bytes (at least 0x210 to see a bzImage header); `tail`: its last 0x30 bytes or more.
 * Firmware is checked first: an OVMF image never starts like a kernel, but its footer is the surest sign.
 */
export function artefactKind(head: Uint8Array, tail: Uint8Array): ArtefactKind {
  if (hasOvmfFooter(tail)) return 'firmware';
  if (startsWith(head, [0x4d, 0x5a]) || startsWith(head, [0x48, 0x64, 0x72, 0x53], 0x202)) return 'kernel';
  if (INITRD_MAGICS.some((m) => startsWith(head, m))) return 'initrd';
  return 'unknown';
}

/** How many bytes artefactKind needs from each end. */
export const ARTEFACT_HEAD_BYTES = 0x400;
export const ARTEFACT_TAIL_BYTES = FOOTER_GUID_FROM_END;
