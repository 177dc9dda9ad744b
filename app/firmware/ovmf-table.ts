import { ParseError } from '../errors.js';
import { equalBytes } from '../bytes/hex.js';

/**
 * GUIDs as EDK2 lays them out in memory (mixed-endian: the first three fields little-endian), which is
 * how the OVMF footer table and QEMU's SEV hash table store them.
 */
export function guidBytes(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a GUID: ${guid}`);
  const b = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return Uint8Array.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}

/** The inverse of guidBytes: 16 mixed-endian bytes as the canonical lower-case string. */
export function guidString(bytes: Uint8Array): string {
  const b = bytes;
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  const hex = order.map((i) => b[i]!.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The OVMF "GUIDed structure table" at the end of a firmware volume (edk2 OvmfPkg/ResetVector), shared by every
 * reader of OVMF/TDVF images (SEV metadata, TDX metadata, artefact sniffing). The footer entry ends 32 bytes before
 * the end of the image (the reset vector follows): its u16 length counts the whole table, then its GUID.
 * Entries are read backwards: [data][u16 length][GUID], the length counting data, length field and GUID.
 */
export const OVMF_FOOTER_GUID = '96b582de-1fb2-45f7-baea-a366c55a082d';
const FOOTER_BYTES = guidBytes(OVMF_FOOTER_GUID);
const ENTRY_HEADER = 18; // u16 size + 16-byte GUID
const FOOTER_GAP = 32;
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** Where the footer GUID sits, counted from the end of the image. */
export const FOOTER_GUID_FROM_END = FOOTER_GAP + 16;

/** Whether the image ends with the OVMF footer GUID where edk2 puts it (the table itself is not read). */
export function hasOvmfFooter(bytes: Uint8Array): boolean {
  const at = bytes.length - FOOTER_GUID_FROM_END;
  return at >= 0 && equalBytes(bytes.subarray(at, at + 16), FOOTER_BYTES);
}

/** The footer's u16 table length, or undefined when the image has no footer. */
export function footerTableLength(bytes: Uint8Array): number | undefined {
  if (!hasOvmfFooter(bytes)) return undefined;
  const at = bytes.length - FOOTER_GUID_FROM_END - 2;
  return bytes[at]! | (bytes[at + 1]! << 8);
}

/**
 * The table's entries in the order they are read, from the footer backwards; none when the image has no footer.
 * A table or entry that does not fit is a ParseError. Readers differ on a repeated GUID (QEMU takes the first,
 * sev-snp-measure the last), so the order is kept and each reader chooses.
 */
export function footerEntries(bytes: Uint8Array): { guid: string; data: Uint8Array }[] {
  const entries: { guid: string; data: Uint8Array }[] = [];
  const footerAt = bytes.length - FOOTER_GAP - ENTRY_HEADER;
  if (footerAt < 0 || !hasOvmfFooter(bytes)) return entries;
  const tableSize = view(bytes).getUint16(footerAt, true) - ENTRY_HEADER;
  if (tableSize < 0) return entries;
  if (tableSize > footerAt)
    throw new ParseError(`the OVMF footer table claims ${tableSize} bytes, more than precede it`, { field: 'footer size', offset: footerAt });
  let end = footerAt;
  const start = footerAt - tableSize;
  while (end - start >= ENTRY_HEADER) {
    const at = end - ENTRY_HEADER;
    const size = view(bytes).getUint16(at, true);
    if (size < ENTRY_HEADER || size > end - start)
      throw new ParseError(`OVMF footer table entry of ${size} bytes does not fit the table`, { field: 'entry size', offset: at });
    entries.push({ guid: guidString(bytes.subarray(at + 2, at + ENTRY_HEADER)), data: bytes.subarray(end - size, at) });
    end -= size;
  }
  return entries;
}
