import { ParseError } from '../../../errors.js';
import { footerEntry, TDX_METADATA_OFFSET_GUID } from './guid-table.js';

/** TDVF section types (Intel TDX Virtual Firmware Design Guide, "TDVF metadata", table TDVF_SECTION.Type). */
export const SECTION_TYPES = ['BFV', 'CFV', 'TD_HOB', 'TempMem', 'PermMem', 'Payload', 'PayloadParam'] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

/** Attributes: the VMM extends MRTD with the section's contents; the pages are added later by TDH.MEM.PAGE.AUG (not measured). */
export const ATTR_MR_EXTEND = 1;
export const ATTR_PAGE_AUG = 2;

export const PAGE = 0x1000;
const DESCRIPTOR_HEADER = 16; // "TDVF", Length, Version, NumberOfSectionEntry
const SECTION_SIZE = 32;
/** Far above any firmware (edk2 has 6 or 7); bounds the descriptor before it is read. */
export const MAX_SECTIONS = 64;
/** Guest-physical addresses are at most 52 bits wide. */
const GPA_LIMIT = 2 ** 52;

export interface TdvfSection {
  index: number;
  dataOffset: number;
  rawDataSize: number;
  memoryAddress: number;
  memoryDataSize: number;
  type: SectionType;
  attributes: number;
}

const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** The TDVF descriptor's sections, every field bounded: offsets inside the image, sizes page-aligned, no overlap. */
export function parseTdvf(image: Uint8Array): TdvfSection[] {
  const at = descriptorOffset(image);
  const count = readHeader(image, at);
  const sections: TdvfSection[] = [];
  for (let i = 0; i < count; i++) sections.push(readSection(image, at + DESCRIPTOR_HEADER + i * SECTION_SIZE, i));
  refuseOverlap(sections);
  return sections;
}

function descriptorOffset(image: Uint8Array): number {
  const entry = footerEntry(image, TDX_METADATA_OFFSET_GUID);
  if (!entry)
    throw new ParseError('the image has no TDX metadata (no TDVF descriptor GUID in its table): not a TDX firmware', {
      field: 'tdxMetadataGuid',
      offset: image.length - 0x30,
    });
  if (entry.length < 4)
    throw new ParseError('TDX metadata offset entry is shorter than its u32 offset', { field: 'tdxMetadataOffset', offset: entry.byteOffset });
  const fromEnd = u32(entry, entry.length - 4);
  if (fromEnd < DESCRIPTOR_HEADER || fromEnd > image.length)
    throw new ParseError(`TDVF descriptor offset ${fromEnd} from the end does not fit the ${image.length}-byte image`, {
      field: 'tdxMetadataOffset',
      offset: entry.byteOffset,
    });
  return image.length - fromEnd;
}

function readHeader(image: Uint8Array, at: number): number {
  if (String.fromCharCode(...image.subarray(at, at + 4)) !== 'TDVF')
    throw new ParseError('no "TDVF" signature where the metadata offset points', { field: 'signature', offset: at });
  const [length, version, count] = [u32(image, at + 4), u32(image, at + 8), u32(image, at + 12)];
  if (version !== 1) throw new ParseError(`TDVF descriptor version ${version} is not supported (only 1)`, { field: 'version', offset: at + 8 });
  if (count > MAX_SECTIONS) throw new ParseError(`${count} TDVF sections (at most ${MAX_SECTIONS})`, { field: 'numberOfSectionEntry', offset: at + 12 });
  if (length !== DESCRIPTOR_HEADER + count * SECTION_SIZE || at + length > image.length)
    throw new ParseError(`TDVF descriptor length ${length} does not match ${count} sections inside the image`, { field: 'length', offset: at + 4 });
  return count;
}

function readSection(image: Uint8Array, at: number, index: number): TdvfSection {
  const fail = (msg: string, field: string, off: number): never => {
    throw new ParseError(`TDVF section ${index}: ${msg}`, { field, offset: at + off, section: index });
  };
  const typeCode = u32(image, at + 24);
  const type = SECTION_TYPES[typeCode] ?? fail(`unknown section type ${typeCode}`, 'type', 24);
  const s: TdvfSection = {
    index,
    dataOffset: u32(image, at),
    rawDataSize: u32(image, at + 4),
    memoryAddress: u64(image, at + 8) ?? fail('memory address beyond 52 bits', 'memoryAddress', 8),
    memoryDataSize: u64(image, at + 16) ?? fail('memory size beyond 52 bits', 'memoryDataSize', 16),
    type,
    attributes: u32(image, at + 28),
  };
  if (s.attributes & ~(ATTR_MR_EXTEND | ATTR_PAGE_AUG)) fail(`unknown attributes 0x${s.attributes.toString(16)}`, 'attributes', 28);
  if (s.attributes === (ATTR_MR_EXTEND | ATTR_PAGE_AUG)) fail('MR.EXTEND on pages that are not added (PAGE.AUG)', 'attributes', 28);
  if (s.memoryAddress % PAGE || s.memoryDataSize % PAGE) fail('memory address or size not page-aligned', 'memoryAddress', 8);
  if (s.memoryAddress + s.memoryDataSize > GPA_LIMIT) fail('memory range beyond 52-bit guest-physical addresses', 'memoryDataSize', 16);
  if (s.rawDataSize > s.memoryDataSize) fail(`raw data (${s.rawDataSize} bytes) larger than its memory (${s.memoryDataSize})`, 'rawDataSize', 4);
  if (s.dataOffset + s.rawDataSize > image.length)
    fail(
      `data at ${s.dataOffset}+${s.rawDataSize} points past the end of the ${image.length}-byte image (a CODE-only volume? give the full OVMF.fd)`,
      'dataOffset',
      0,
    );
  return s;
}

/** A u64 that fits 52 bits, else undefined. */
function u64(b: Uint8Array, at: number): number | undefined {
  const high = u32(b, at + 4);
  return high >= 2 ** 20 ? undefined : high * 2 ** 32 + u32(b, at);
}

/** TDH.MEM.PAGE.ADD of a page twice fails in the TDX module, so an image whose sections overlap cannot be launched. */
function refuseOverlap(sections: TdvfSection[]): void {
  const sorted = [...sections].filter((s) => s.memoryDataSize > 0).sort((a, b) => a.memoryAddress - b.memoryAddress);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1]!, sorted[i]!];
    if (prev.memoryAddress + prev.memoryDataSize > cur.memoryAddress)
      throw new ParseError(`TDVF sections ${prev.index} and ${cur.index} overlap in guest memory`, { field: 'memoryAddress', offset: 0, section: cur.index });
  }
}
