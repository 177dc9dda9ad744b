import { sha384 } from '@noble/hashes/sha2.js';
import { TeeError } from '../../../errors.js';
import { ATTR_MR_EXTEND, ATTR_PAGE_AUG, PAGE } from './tdvf.js';
import type { TdvfSection } from './tdvf.js';

/**
 * `single`: each page added then extended (QEMU 9 and later, KVM_TDX_INIT_MEM_REGION per page);
 * `two-pass`: per section all pages added, then all extended (QEMU 8 with the older TDX KVM patches).
 */
export const PAGE_ADD_ORDERS = ['single', 'two-pass'] as const;
export type PageAddOrder = (typeof PAGE_ADD_ORDERS)[number];

/** TDH.MR.EXTEND measures 256 bytes at a time. */
const EXTEND_CHUNK = 0x100;
/** 1 GiB of added pages: far beyond any firmware, and bounds the work (about 40 MB hashed) before any is done. */
export const MAX_MEASURED_PAGES = 2 ** 18;

type Hash = ReturnType<typeof sha384.create>;

/**
 * The 128-byte record the TDX module hashes into MRTD (TDX Module ABI, TDH.MEM.PAGE.ADD and TDH.MR.EXTEND):
 * the operation's ASCII name zero-padded to 16 bytes, the GPA as a little-endian u64, zeros to 128 bytes.
 */
function record(name: string, gpa: number): Uint8Array {
  const r = new Uint8Array(128);
  for (let i = 0; i < name.length; i++) r[i] = name.charCodeAt(i);
  const view = new DataView(r.buffer);
  view.setUint32(16, gpa >>> 0, true);
  view.setUint32(20, Math.floor(gpa / 2 ** 32), true);
  return r;
}

/** MRTD as the TDX module computes it while the VMM loads the TDVF sections into the TD. */
export function computeMrtd(image: Uint8Array, sections: readonly TdvfSection[], order: PageAddOrder): Uint8Array {
  refuseTooMuchWork(sections);
  const h = sha384.create();
  for (const s of sections) {
    const memory = sectionMemory(image, s);
    const pages = s.memoryDataSize / PAGE;
    if (order === 'two-pass') {
      for (let p = 0; p < pages; p++) addPage(h, s, p);
      for (let p = 0; p < pages; p++) extendPage(h, s, memory, p);
    } else {
      for (let p = 0; p < pages; p++) {
        addPage(h, s, p);
        extendPage(h, s, memory, p);
      }
    }
  }
  return h.digest();
}

function addPage(h: Hash, s: TdvfSection, page: number): void {
  if (!(s.attributes & ATTR_PAGE_AUG)) h.update(record('MEM.PAGE.ADD', s.memoryAddress + page * PAGE));
}

function extendPage(h: Hash, s: TdvfSection, memory: Uint8Array | undefined, page: number): void {
  if (!memory) return;
  for (let off = page * PAGE; off < (page + 1) * PAGE; off += EXTEND_CHUNK) {
    h.update(record('MR.EXTEND', s.memoryAddress + off));
    h.update(memory.subarray(off, off + EXTEND_CHUNK));
  }
}

/** What the VMM copies into the section's memory: its raw data, then zeros up to the memory size (QEMU tdvf). Only for MR.EXTEND sections. */
function sectionMemory(image: Uint8Array, s: TdvfSection): Uint8Array | undefined {
  if (!(s.attributes & ATTR_MR_EXTEND)) return undefined;
  const raw = image.subarray(s.dataOffset, s.dataOffset + s.rawDataSize);
  if (s.rawDataSize === s.memoryDataSize) return raw;
  const padded = new Uint8Array(s.memoryDataSize);
  padded.set(raw);
  return padded;
}

function refuseTooMuchWork(sections: readonly TdvfSection[]): void {
  const pages = sections.reduce((n, s) => n + (s.attributes & ATTR_PAGE_AUG ? 0 : s.memoryDataSize / PAGE), 0);
  if (pages > MAX_MEASURED_PAGES)
    throw new TeeError('MALFORMED_EVIDENCE', `TDVF sections add ${pages} pages (at most ${MAX_MEASURED_PAGES}, 1 GiB): not a firmware image`, { pages });
}
