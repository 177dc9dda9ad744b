import { sha256 } from '@noble/hashes/sha2.js';
import { guidBytes, SEV_HASH_GUIDS } from './guid.js';

/** What direct kernel boot measures: SHA-256 of the kernel, the initrd (empty when none) and the NUL-terminated command line. */
export interface KernelInputs {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  /** The command line; absent and "" are both the one byte NUL. */
  append?: string;
}

export interface SevHashes {
  kernel: Uint8Array;
  initrd: Uint8Array;
  cmdline: Uint8Array;
}

const ENTRY = 16 + 2 + 32; // GUID, u16 length, SHA-256
const TABLE = 16 + 2 + 3 * ENTRY;
const PADDED = (TABLE + 15) & ~15;

export function sevHashes(input: KernelInputs): SevHashes {
  const cmdline = new TextEncoder().encode(`${input.append ?? ''}\0`);
  return { kernel: sha256(input.kernel), initrd: sha256(input.initrd ?? new Uint8Array(0)), cmdline: sha256(cmdline) };
}

/** QEMU's padded SEV hash table (target/i386/sev.c): header, then cmdline, initrd and kernel entries. */
export function sevHashTable(h: SevHashes): Uint8Array {
  const out = new Uint8Array(PADDED);
  const dv = new DataView(out.buffer);
  out.set(guidBytes(SEV_HASH_GUIDS.header), 0);
  dv.setUint16(16, TABLE, true);
  const entries: [string, Uint8Array][] = [
    [SEV_HASH_GUIDS.cmdline, h.cmdline],
    [SEV_HASH_GUIDS.initrd, h.initrd],
    [SEV_HASH_GUIDS.kernel, h.kernel],
  ];
  entries.forEach(([guid, hash], i) => {
    const at = 18 + i * ENTRY;
    out.set(guidBytes(guid), at);
    dv.setUint16(at + 16, ENTRY, true);
    out.set(hash, at + 18);
  });
  return out;
}

/** The page holding the table at `offset` within it (the table's GPA modulo 4 KiB). */
export function sevHashPage(h: SevHashes, offset: number): Uint8Array | undefined {
  const page = new Uint8Array(4096);
  if (offset + PADDED > page.length) return undefined;
  page.set(sevHashTable(h), offset);
  return page;
}
