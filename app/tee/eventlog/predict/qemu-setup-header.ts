import { TeeError } from '../../../errors.js';

/**
 * What QEMU writes into a bzImage's setup header before OVMF/TDVF loads and measures it (QEMU hw/i386/x86-common.c
 * x86_load_linux; Intel TDX Virtual Firmware Design Guide 12.2 "UEFI Kernel Image Hash Calculation"; the same patch
 * Phala-Network/dstack dstack-mr/src/kernel.rs and edgelesssys/contrast tdx-measure reproduce). Offsets are the
 * Linux x86 boot protocol's (Documentation/arch/x86/boot.rst).
 */

/** QEMU's ACPI data reservation below 4 GiB for pc/q35 machine types since QEMU 2.x (pc.c: 0x20000 + 0x8000), as dstack-mr uses. */
export const QEMU_ACPI_DATA_SIZE = 0x28000;
/** The q35 low-memory split (pc_q35.c): guests of 2.75 GiB or more keep 2 GiB below 4 GiB, smaller ones all of it. */
const Q35_LOWMEM_SPLIT = 0xb0000000;
const XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;
const HDRS = 0x53726448;

export interface SetupPatch {
  /** The image as OVMF receives it from fw_cfg: setup (patched) followed by the rest of the file. */
  image: Uint8Array;
  protocol: number;
  /** Where QEMU told the kernel the initrd lies (absent without an initrd). */
  initrdAddress?: number;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => u16(b, at) + u16(b, at + 2) * 0x10000;
function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}
function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, v & 0xffff);
  put16(b, at + 2, Math.floor(v / 0x10000) & 0xffff);
}

/** QEMU reads the first 8 KiB as the header; a kernel needs at least a setup sector and the header in it. */
const MIN_KERNEL = 0x1000;
/** What the patch is modelled for: QEMU's -m takes no less than a MiB, and 16 TiB is beyond any TD. */
const MIN_MEMORY = 2 ** 20;
const MAX_MEMORY = 2 ** 44;

/** Applies QEMU's setup-header patch for `-kernel` with this command line, initrd size and guest memory. */
export function patchSetupHeader(kernel: Uint8Array, cmdline: string, initrdSize: number | undefined, memoryBytes: number): SetupPatch {
  if (!Number.isSafeInteger(memoryBytes) || memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY)
    throw usage(`guest memory must be a whole number of bytes from 1 MiB to 16 TiB, not ${memoryBytes}`);
  if (kernel.length < MIN_KERNEL) throw usage(`the kernel is ${kernel.length} bytes; a bzImage has at least ${MIN_KERNEL}`);
  if (u32(kernel, 0x202) !== HDRS)
    throw usage('the kernel has no Linux boot-protocol header ("HdrS" at 0x202): QEMU direct boot needs a bzImage (vmlinuz), not an ELF vmlinux');
  const setupSize = ((kernel[0x1f1] || 4) + 1) * 512;
  if (setupSize > kernel.length) throw usage(`the setup header claims ${setupSize} bytes of setup, more than the ${kernel.length}-byte file`);
  const image = kernel.slice();
  const protocol = u16(image, 0x206);
  const { realAddr, cmdlineAddr } = addresses(image, protocol, cmdline);
  if (protocol >= 0x202) put32(image, 0x228, cmdlineAddr);
  else {
    put16(image, 0x20, 0xa33f);
    put16(image, 0x22, cmdlineAddr - realAddr);
  }
  const vga = videoMode(cmdline);
  if (vga !== undefined) put16(image, 0x1fa, vga);
  if (protocol >= 0x200) image[0x210] = 0xb0; // type_of_loader: QEMU
  if (protocol >= 0x201) {
    image[0x211] = image[0x211]! | 0x80; // CAN_USE_HEAP
    put16(image, 0x224, cmdlineAddr - realAddr - 0x200); // heap_end_ptr: 16 bits, as QEMU's stw_le_p
  }
  if (initrdSize === undefined) return { image, protocol };
  const initrdAddress = initrdPlacement(image, protocol, initrdSize, memoryBytes);
  put32(image, 0x218, initrdAddress);
  put32(image, 0x21c, initrdSize);
  return { image, protocol, initrdAddress };
}

/** QEMU's "low", "high but ancient" and "high and recent" kernels; cmdline_size is the -append text rounded up. */
function addresses(h: Uint8Array, protocol: number, cmdline: string): { realAddr: number; cmdlineAddr: number } {
  if (protocol >= 0x202 && h[0x211]! & 0x01) return { realAddr: 0x10000, cmdlineAddr: 0x20000 };
  const cmdlineSize = (new TextEncoder().encode(cmdline).length + 16) & ~15;
  return { realAddr: 0x90000, cmdlineAddr: 0x9a000 - cmdlineSize };
}

/** QEMU's own reading of "vga=" in the command line, written to vid_mode. */
function videoMode(cmdline: string): number | undefined {
  const at = cmdline.indexOf('vga=');
  if (at < 0) return undefined;
  const v = cmdline.slice(at + 4);
  if (v.startsWith('normal')) return 0xffff;
  if (v.startsWith('ext')) return 0xfffe;
  if (v.startsWith('ask')) return 0xfffd;
  const word = v.split(' ')[0]!;
  const n = /^0x[0-9a-f]+$/i.test(word) ? parseInt(word, 16) : /^0[0-7]*$/.test(word) ? parseInt(word, 8) : /^[1-9]\d*$/.test(word) ? parseInt(word, 10) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw usage(`QEMU refuses the kernel parameter "vga=${word}" (not a number, normal, ext or ask)`);
  return n & 0xffff;
}

/** initrd_max from the header, capped below the ACPI data under 4 GiB; the initrd goes page-aligned just under it. */
function initrdPlacement(h: Uint8Array, protocol: number, initrdSize: number, memoryBytes: number): number {
  if (protocol < 0x200) throw usage(`boot protocol ${protocol.toString(16)} is too old for QEMU to load an initrd`);
  let max = protocol >= 0x20c && u16(h, 0x236) & XLF_CAN_BE_LOADED_ABOVE_4G ? 0xffffffff : protocol >= 0x203 ? u32(h, 0x22c) : 0x37ffffff;
  const lowmem = memoryBytes >= Q35_LOWMEM_SPLIT ? 0x80000000 : Q35_LOWMEM_SPLIT;
  const below4g = memoryBytes >= lowmem ? lowmem : memoryBytes;
  if (max >= below4g - QEMU_ACPI_DATA_SIZE) max = below4g - QEMU_ACPI_DATA_SIZE - 1;
  if (initrdSize >= max) throw usage(`QEMU refuses an initrd of ${initrdSize} bytes with ${memoryBytes} bytes of memory (at most ${max})`);
  return Math.floor((max - initrdSize) / 4096) * 4096;
}

const usage = (message: string) => new TeeError('USAGE_ERROR', message);
