import { ParseError } from '../../../errors.js';
import { FOOTER_GUID_FROM_END, footerEntries, footerTableLength } from '../../../firmware/ovmf-table.js';

/** The entry whose data ends with a u32: the TDVF metadata descriptor's offset from the end of the image. */
export const TDX_METADATA_OFFSET_GUID = 'e47a6535-984a-4798-865e-4685a7bf8ec2';

const ENTRY_HEADER = 18; // u16 length + 16-byte GUID

/**
 * The data of the first table entry with this GUID, read from the footer backwards as QEMU's
 * pc_system_ovmf_table_find does, or undefined when the table has none. Throws when there is no table.
 */
export function footerEntry(image: Uint8Array, guid: string): Uint8Array | undefined {
  const tableLength = footerTableLength(image);
  if (tableLength === undefined)
    throw new ParseError('not an OVMF/TDVF image: no GUIDed table footer 0x30 bytes before its end', {
      field: 'tableFooterGuid',
      offset: Math.max(image.length - FOOTER_GUID_FROM_END, 0),
    });
  // A table shorter than its own footer entry is malformed here (the SEV reader takes it as empty).
  if (tableLength < ENTRY_HEADER)
    throw new ParseError(`GUIDed table length ${tableLength} does not fit the image`, {
      field: 'tableLength',
      offset: image.length - FOOTER_GUID_FROM_END - 2,
    });
  return footerEntries(image).find((e) => e.guid === guid)?.data;
}
