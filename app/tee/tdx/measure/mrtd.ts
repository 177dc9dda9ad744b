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

/** An incremental SHA-384 (node:crypto's is several times faster than @noble/hashes; the digest does not depend on it). */
export interface Sha384Stream {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}
export type Sha384Factory = () => Sha384Stream;
const nobleStream: Sha384Factory = () => sha384.create();

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
export function computeMrtd(image: Uint8Array, sections: readonly TdvfSection[], order: PageAddOrder, createSha384: Sha384Factory = nobleStream): Uint8Array {
  refuseTooMuchWork(sections);
  const h = createSha384();
  const scratch = new PageExtend();
  for (const s of sections) {
    const memory = sectionMemory(image, s);
    const pages = s.memoryDataSize / PAGE;
    if (order === 'two-pass') {
      for (let p = 0; p < pages; p++) addPage(h, s, p);
      for (let p = 0; p < pages; p++) if (memory) h.update(scratch.fill(s.memoryAddress, memory, p));
    } else {
      for (let p = 0; p < pages; p++) {
        addPage(h, s, p);
        if (memory) h.update(scratch.fill(s.memoryAddress, memory, p));
      }
    }
  }
  return h.digest();
}

function addPage(h: Sha384Stream, s: TdvfSection, page: number): void {
  if (!(s.attributes & ATTR_PAGE_AUG)) h.update(record('MEM.PAGE.ADD', s.memoryAddress + page * PAGE));
}

const EXTENDS_PER_PAGE = PAGE / EXTEND_CHUNK;
const EXTEND_STEP = 128 + EXTEND_CHUNK;

/**
 * The 16 MR.EXTEND records of one page, each followed by its 256 bytes, in one buffer: one hash update per
 * page instead of 32 (the per-call overhead dominated). The record template is written once; only GPAs change.
 */
class PageExtend {
  private readonly buf = new Uint8Array(EXTENDS_PER_PAGE * EXTEND_STEP);
  private readonly view = new DataView(this.buf.buffer);

  constructor() {
    const template = record('MR.EXTEND', 0);
    for (let i = 0; i < EXTENDS_PER_PAGE; i++) this.buf.set(template, i * EXTEND_STEP);
  }

  fill(sectionGpa: number, memory: Uint8Array, page: number): Uint8Array {
    for (let i = 0; i < EXTENDS_PER_PAGE; i++) {
      const off = page * PAGE + i * EXTEND_CHUNK;
      const gpa = sectionGpa + off;
      this.view.setUint32(i * EXTEND_STEP + 16, gpa >>> 0, true);
      this.view.setUint32(i * EXTEND_STEP + 20, Math.floor(gpa / 2 ** 32), true);
      this.buf.set(memory.subarray(off, off + EXTEND_CHUNK), i * EXTEND_STEP + 128);
    }
    return this.buf;
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
