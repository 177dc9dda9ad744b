import type { CryptoProvider } from '../../../crypto/provider.js';
import { digestSync } from '../../../crypto/digest-sync.js';
import { toHex } from '../../../bytes/hex.js';
import { TeeError, isTeeError } from '../../../errors.js';
import { authenticodeDigestSync } from '../../../pe/index.js';
import { ovmfLoadOptions, utf16LoadOptions } from './load-options.js';
import type { InitrdOption } from './load-options.js';
import { patchSetupHeader, QEMU_ACPI_DATA_SIZE } from './qemu-setup-header.js';

export { predictQemuDirectRtmrs } from './rtmr.js';
export type { PredictedRegisters } from './rtmr.js';
export type { InitrdOption } from './load-options.js';
export { QEMU_ACPI_DATA_SIZE } from './qemu-setup-header.js';

/**
 * Event-level boot predictions: from a kernel, an initrd and a command line, the digests the firmware or boot
 * loader logs for them, as the event-log claims boot.kernelDigest, boot.initrdDigest, boot.kernelCmdlineDigest
 * and boot.kernelCmdline hold them (eventlog/claims.ts). Each value says how it was computed, since the same
 * files measure differently on each boot path.
 */
export type BootPath = 'qemu-direct' | 'uefi' | 'grub';
export interface BootArtefacts {
  kernel?: Uint8Array;
  initrd?: Uint8Array;
  cmdline?: string;
  path: BootPath;
  /** qemu-direct: guest memory in bytes (QEMU patches the setup header with addresses that depend on it). */
  memoryBytes?: number;
  bank: 'SHA-384' | 'SHA-256';
  /** qemu-direct: where this OVMF puts "initrd=initrd" in the load options (default 'prefix', current edk2). */
  initrdOption?: InitrdOption;
}
export type PredictedClaim = 'boot.kernelDigest' | 'boot.initrdDigest' | 'boot.kernelCmdlineDigest' | 'boot.kernelCmdline';
export interface BootPrediction {
  claim: PredictedClaim;
  /** Lower-case hex (text for boot.kernelCmdline). */
  value: string;
  input: 'kernel' | 'initrd' | 'cmdline';
  /** "kernel image", "initrd", "kernel command line". */
  label: string;
  method: string;
}

export const DEFAULT_QEMU_MEMORY = 2 * 1024 ** 3;

export function predictBootEvents(a: BootArtefacts, crypto: CryptoProvider): BootPrediction[] {
  // OVMF serves no initrd of 0 bytes (its size decides whether one exists), so no event could match a prediction.
  if (a.path === 'qemu-direct' && a.initrd?.length === 0) throw new TeeError('USAGE_ERROR', 'the initrd is empty: OVMF would load none; leave it out');
  const out: BootPrediction[] = [];
  if (a.kernel) out.push(kernelPrediction(a, a.kernel, crypto));
  const cmdline = cmdlinePrediction(a, crypto);
  if (cmdline) out.push(cmdline);
  if (a.initrd) out.push(initrdPrediction(a, a.initrd, crypto));
  return out;
}

const alg = (bank: BootArtefacts['bank']) => bank.replace('-', '');
const hash = (a: BootArtefacts, crypto: CryptoProvider, data: Uint8Array) => toHex(digestSync(crypto, a.bank, data));

function kernelPrediction(a: BootArtefacts, kernel: Uint8Array, crypto: CryptoProvider): BootPrediction {
  const base = { claim: 'boot.kernelDigest', input: 'kernel', label: 'kernel image' } as const;
  if (a.path === 'grub')
    return { ...base, value: hash(a, crypto, kernel), method: `${alg(a.bank)} of the kernel file as GRUB read it (its TPM verifier measures file contents)` };
  if (a.path === 'uefi') {
    const note = padNote(kernel);
    return {
      ...base,
      value: authenticode(kernel, a, crypto),
      method: `Authenticode ${alg(a.bank)} of the unmodified PE image, as UEFI firmware measures an EFI application${note}`,
    };
  }
  const memory = a.memoryBytes ?? DEFAULT_QEMU_MEMORY;
  const patch = patchSetupHeader(kernel, a.cmdline ?? '', a.initrd?.length, memory);
  const initrd = patch.initrdAddress === undefined ? 'no initrd' : `initrd ${a.initrd!.length} bytes at 0x${patch.initrdAddress.toString(16)}`;
  return {
    ...base,
    value: authenticode(patch.image, a, crypto),
    method:
      `Authenticode ${alg(a.bank)} of the image as QEMU patched its setup header (boot protocol ${protocolText(patch.protocol)}, memory ${sizeText(memory)}, ${initrd}, ` +
      `q35 low-memory split, ACPI data 0x${QEMU_ACPI_DATA_SIZE.toString(16)}; QEMU x86_load_linux without -dtb; a QEMU that hands OVMF the unpatched kernel measures it as --boot uefi does)${padNote(kernel)}`,
  };
}

function cmdlinePrediction(a: BootArtefacts, crypto: CryptoProvider): BootPrediction | undefined {
  if (a.cmdline === undefined && !(a.path === 'qemu-direct' && a.initrd?.length)) return undefined;
  const text = a.cmdline ?? '';
  if (a.path === 'grub')
    return {
      claim: 'boot.kernelCmdline',
      value: text,
      input: 'cmdline',
      label: 'kernel command line',
      method: 'the text GRUB measures for its linux command (without its "kernel_cmdline: " prefix)',
    };
  const base = { claim: 'boot.kernelCmdlineDigest', input: 'cmdline', label: 'kernel command line' } as const;
  if (a.path === 'uefi')
    return {
      ...base,
      value: hash(a, crypto, utf16LoadOptions(text)),
      method: `${alg(a.bank)} of the load options the Linux EFI stub measures: UTF-16LE with the terminating NUL`,
    };
  const where = a.initrdOption ?? 'prefix';
  const options = ovmfLoadOptions(text, (a.initrd?.length ?? 0) > 0, where);
  if (!options) return undefined;
  const token =
    (a.initrd?.length ?? 0) > 0
      ? where === 'prefix'
        ? ', "initrd=initrd " in front (edk2 since commit a2ac0fea)'
        : ', " initrd=initrd" behind (older OVMF, as dstack-mr)'
      : '';
  return {
    ...base,
    value: hash(a, crypto, options),
    method: `${alg(a.bank)} of the load options OVMF builds from -append${token}: each byte widened to UTF-16LE, terminating NUL`,
  };
}

function initrdPrediction(a: BootArtefacts, initrd: Uint8Array, crypto: CryptoProvider): BootPrediction {
  const how = a.path === 'grub' ? 'the initrd file as GRUB read it' : 'the initrd bytes the Linux EFI stub loaded (LINUX_EFI_INITRD_MEDIA_GUID) and measured';
  return { claim: 'boot.initrdDigest', value: hash(a, crypto, initrd), input: 'initrd', label: 'initrd', method: `${alg(a.bank)} of ${how}` };
}

/** A kernel that is not a PE image cannot be Authenticode-hashed: the user's input, so a usage error. */
function authenticode(image: Uint8Array, a: BootArtefacts, crypto: CryptoProvider): string {
  try {
    return toHex(authenticodeDigestSync(image, crypto, a.bank));
  } catch (e) {
    if (isTeeError(e)) throw new TeeError('USAGE_ERROR', `the kernel is not a PE/COFF image the firmware could measure (an EFI-stub bzImage): ${e.message}`);
    throw e;
  }
}

/** edk2 hashes an image as it is; signing tools pad to 8 bytes first, so an unpadded file can differ from signed copies. */
function padNote(kernel: Uint8Array): string {
  return kernel.length % 8 ? `; the file is ${kernel.length} bytes, not a multiple of 8: hashed unpadded, as edk2 does (dstack-mr pads it)` : '';
}

const protocolText = (p: number) => `${p >> 8}.${(p & 0xff).toString().padStart(2, '0')}`;

function sizeText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
  ] as const)
    if (bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}
