/**
 * The kernel command line as the Linux EFI stub measures it: the LoadOptions of its loaded image, UTF-16LE
 * with the terminating NUL (drivers/firmware/efi/libstub/efi-stub-helper.c, efi_measure_tagged_event with
 * LINUX_EFI_LOADOPTIONS_EVENT_TAG_ID, over load_options_size bytes as the loader set them).
 */

/** Where OVMF's QEMU kernel loader puts "initrd=initrd" in the load options when an initrd is present. */
export type InitrdOption = 'prefix' | 'suffix';

/** UTF-16LE of a string's code units plus a 16-bit NUL: what a UEFI boot manager passes for a typed command line. */
export function utf16LoadOptions(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2 + 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/**
 * OVMF's load options for QEMU `-append`: QEMU hands the text over fw_cfg as UTF-8 bytes and edk2 widens each
 * byte to a CHAR16 (UnicodeSPrintAsciiFormat "%a"), so non-ASCII text is NOT its UTF-16. With an initrd, edk2
 * adds the token its QemuKernelLoaderFs serves the initrd under: in front ("initrd=initrd ", edk2 since commit
 * a2ac0fea, X86QemuLoadImageLib) or, in older OVMF, behind (" initrd=initrd", as dstack-mr assumes).
 * An empty command line without an initrd gives no load options at all (LoadOptionsSize 0): null.
 */
export function ovmfLoadOptions(append: string, hasInitrd: boolean, where: InitrdOption): Uint8Array | null {
  const ascii = Array.from(new TextEncoder().encode(append), (b) => String.fromCharCode(b)).join('');
  if (!hasInitrd) return ascii === '' ? null : utf16LoadOptions(ascii);
  return utf16LoadOptions(where === 'prefix' ? `initrd=initrd ${ascii}` : `${ascii} initrd=initrd`);
}
