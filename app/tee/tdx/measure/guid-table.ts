import { ParseError } from '../../../errors.js';

/**
 * The OVMF "GUIDed structure table" at the end of the firmware volume (edk2 OvmfPkg ResetVector): the
 * footer GUID sits 0x30 bytes before the end of the image (after it come the reset vector and padding),
 * preceded by the table's total length. Entries are read backwards: [data][u16 length][GUID], the length
 * counting data, length field and GUID.
 */
export const TABLE_FOOTER_GUID = '96b582de-1fb2-45f7-baea-a366c55a082d';
/** The entry whose data ends with a u32: the TDVF metadata descriptor's offset from the end of the image. */
export const TDX_METADATA_OFFSET_GUID = 'e47a6535-984a-4798-865e-4685a7bf8ec2';

const FOOTER_GUID_FROM_END = 0x30;
const ENTRY_HEADER = 18; // u16 length + 16-byte GUID

/** A GUID's on-disk bytes: the first three groups little-endian, the last two as written (EFI_GUID). */
export function guidBytes(guid: string): Uint8Array {
  const groups = guid.split('-');
  const hex = groups.map((g, i) => (i < 3 ? g.match(/../g)!.reverse().join('') : g)).join('');
  return Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);

function guidAt(image: Uint8Array, at: number, guid: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (image[at + i] !== guid[i]) return false;
  return true;
}

/** The data of the table entry with this GUID, or undefined when the table has none. Throws when there is no table. */
export function footerEntry(image: Uint8Array, guid: string): Uint8Array | undefined {
  const footerAt = image.length - FOOTER_GUID_FROM_END;
  if (footerAt < 2 || !guidAt(image, footerAt, guidBytes(TABLE_FOOTER_GUID)))
    throw new ParseError('not an OVMF/TDVF image: no GUIDed table footer 0x30 bytes before its end', {
      field: 'tableFooterGuid',
      offset: Math.max(footerAt, 0),
    });
  const tableLength = u16(image, footerAt - 2);
  const tableStart = footerAt + 16 - tableLength;
  if (tableLength < ENTRY_HEADER || tableStart < 0)
    throw new ParseError(`GUIDed table length ${tableLength} does not fit the image`, { field: 'tableLength', offset: footerAt - 2 });
  const wanted = guidBytes(guid);
  for (let end = footerAt - 2; end - tableStart >= ENTRY_HEADER;) {
    const length = u16(image, end - ENTRY_HEADER);
    if (length < ENTRY_HEADER || length > end - tableStart)
      throw new ParseError(`GUIDed table entry length ${length} does not fit the table`, { field: 'entryLength', offset: end - ENTRY_HEADER });
    if (guidAt(image, end - 16, wanted)) return image.subarray(end - length, end - ENTRY_HEADER);
    end -= length;
  }
  return undefined;
}
