import { ParseError, TeeError } from '../../../errors.js';
import { OVMF_GUIDS } from './guid.js';
import { footerEntries } from '../../../firmware/ovmf-table.js';

/** SEV metadata section types (edk2 OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm). */
export const SECTION_TYPES = { 1: 'SNP_SEC_MEM', 2: 'SNP_SECRETS', 3: 'CPUID', 4: 'SVSM_CAA', 0x10: 'SNP_KERNEL_HASHES' } as const;
export type SectionType = (typeof SECTION_TYPES)[keyof typeof SECTION_TYPES];

export interface SevSection {
  gpa: number;
  size: number;
  type: SectionType;
}

export interface Ovmf {
  bytes: Uint8Array;
  /** Guest physical address of the first byte: the image ends at 4 GiB. */
  gpa: number;
  /** Footer table entries by GUID (data without the 18-byte entry header). */
  table: ReadonlyMap<string, Uint8Array>;
  sections: readonly SevSection[];
}

const FOUR_GIB = 0x1_0000_0000;
const METADATA_HEADER = 16; // "ASEV", u32 size, u32 version, u32 item count
const SECTION_DESC = 12; // u32 gpa, u32 size, u32 type
/** 64 MiB: far more than any firmware section (edk2 declares at most a few hundred KiB); bounds the work a hostile image can ask for. */
export const MAX_SECTION_BYTES = 0x400_0000;

/**
 * Parses an OVMF image's footer GUID table and SEV metadata. The image is mapped to end at `endAt`: 4 GiB for
 * the firmware; an SVSM image sits below the firmware and its variable store. (An SVSM image has the same footer.)
 */
export function parseOvmf(bytes: Uint8Array, endAt = FOUR_GIB, what = 'an OVMF image'): Ovmf {
  if (bytes.length === 0 || bytes.length % 4096 !== 0 || bytes.length > endAt)
    throw new ParseError(`${what} is a whole number of 4 KiB pages that fits below 0x${endAt.toString(16)}, this one is ${bytes.length} bytes`, {
      field: 'image size',
      offset: 0,
    });
  // As sev-snp-measure's dict: a repeated GUID keeps its last entry.
  const table = new Map(footerEntries(bytes).map((e) => [e.guid, e.data]));
  return { bytes, gpa: endAt - bytes.length, table, sections: parseSevMetadata(bytes, table) };
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The "ASEV" SEV metadata the footer table points at (its offset counts back from the end of the image). */
function parseSevMetadata(bytes: Uint8Array, table: Map<string, Uint8Array>): SevSection[] {
  const entry = table.get(OVMF_GUIDS.sevMetadata);
  if (!entry) return [];
  const fromEnd = readU32(entry, 0, 'SEV metadata offset');
  const start = bytes.length - fromEnd;
  if (fromEnd > bytes.length || start + METADATA_HEADER > bytes.length)
    throw new ParseError(`SEV metadata offset ${fromEnd} from the end is outside the image`, { field: 'SEV metadata offset', offset: start });
  const dv = view(bytes);
  if (new TextDecoder('latin1').decode(bytes.subarray(start, start + 4)) !== 'ASEV')
    throw new ParseError('SEV metadata signature is not "ASEV"', { field: 'signature', offset: start });
  const [size, version, count] = [dv.getUint32(start + 4, true), dv.getUint32(start + 8, true), dv.getUint32(start + 12, true)];
  if (version !== 1) throw new ParseError(`SEV metadata version ${version} is not 1`, { field: 'version', offset: start + 8 });
  // As sev-snp-measure: the declared size must hold the items, and the items must lie inside the image.
  if (size < METADATA_HEADER + count * SECTION_DESC || start + METADATA_HEADER + count * SECTION_DESC > bytes.length)
    throw new ParseError(`SEV metadata of ${size} bytes with ${count} sections does not fit the image`, { field: 'size', offset: start + 4 });
  return Array.from({ length: count }, (_, i) => readSection(dv, start + METADATA_HEADER + i * SECTION_DESC, i));
}

function readSection(dv: DataView, at: number, index: number): SevSection {
  const [gpa, size, typeCode] = [dv.getUint32(at, true), dv.getUint32(at + 4, true), dv.getUint32(at + 8, true)];
  const type = SECTION_TYPES[typeCode as keyof typeof SECTION_TYPES];
  if (!type)
    throw new TeeError(
      'UNSUPPORTED_EVIDENCE',
      `SEV metadata section ${index} has type 0x${typeCode.toString(16)}, unknown to this tool: how the firmware measures it cannot be said`,
      {
        field: 'section type',
        offset: at + 8,
      },
    );
  if (size > MAX_SECTION_BYTES) throw new ParseError(`SEV metadata section ${index} (${type}) claims ${size} bytes`, { field: 'section size', offset: at + 4 });
  return { gpa, size, type };
}

function readU32(b: Uint8Array, at: number, field: string): number {
  if (b.length < at + 4) throw new ParseError(`${field}: footer table entry too short`, { field, offset: at });
  return view(b).getUint32(at, true);
}

/** A u32 from a footer table entry, or undefined when the entry is absent. */
export function tableU32(ovmf: Ovmf, guid: string, field: string): number | undefined {
  const entry = ovmf.table.get(guid);
  return entry && readU32(entry, 0, field);
}
