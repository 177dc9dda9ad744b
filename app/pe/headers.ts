import { ParseError } from '../errors.js';

/**
 * The PE/COFF fields the Authenticode hash needs (Microsoft PE Format: MS-DOS stub, COFF file header,
 * optional header, section table), every offset checked against the file before use.
 */
export interface PeLayout {
  /** File offset of the optional header's CheckSum (4 bytes, excluded from the hash). */
  checksumAt: number;
  /** File offset of the Certificate Table data directory entry (8 bytes, excluded), or undefined when the directory is absent. */
  certDirAt: number | undefined;
  sizeOfHeaders: number;
  /** Attribute certificate table as a file offset and size (0, 0 when unsigned). */
  cert: { offset: number; size: number };
  /** Sections with raw data, as file ranges. */
  sections: { name: string; offset: number; size: number }[];
}

const PE32 = 0x10b;
const PE32_PLUS = 0x20b;
const CERT_DIRECTORY = 4;
/** The Windows loader's limit; bounds the section table before it is read. */
export const MAX_SECTIONS = 96;

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

function need(file: Uint8Array, at: number, n: number, field: string): void {
  if (at < 0 || at + n > file.length)
    throw new ParseError(`PE image too short for ${field}`, { field, offset: Math.max(0, Math.min(at, file.length)), needed: n });
}

export function parsePeLayout(file: Uint8Array): PeLayout {
  need(file, 0, 0x40, 'MS-DOS header');
  if (file[0] !== 0x4d || file[1] !== 0x5a) throw new ParseError('not a PE image: no "MZ" signature', { field: 'e_magic', offset: 0 });
  const pe = u32(file, 0x3c);
  need(file, pe, 24, 'COFF header');
  if (u32(file, pe) !== 0x4550) throw new ParseError('not a PE image: no "PE\\0\\0" signature where e_lfanew points', { field: 'e_lfanew', offset: 0x3c });
  const sectionCount = u16(file, pe + 6);
  const optSize = u16(file, pe + 20);
  const opt = pe + 24;
  if (sectionCount > MAX_SECTIONS) throw new ParseError(`${sectionCount} sections (at most ${MAX_SECTIONS})`, { field: 'NumberOfSections', offset: pe + 6 });
  need(file, opt, optSize, 'optional header');
  const dirs = optionalHeader(file, opt, optSize);
  const sectionTable = opt + optSize;
  need(file, sectionTable, sectionCount * 40, 'section table');
  const layout = { ...dirs, sections: readSections(file, sectionTable, sectionCount) };
  if (layout.sizeOfHeaders < sectionTable + sectionCount * 40 || layout.sizeOfHeaders > file.length)
    throw new ParseError(`SizeOfHeaders ${layout.sizeOfHeaders} does not cover the headers inside the file`, { field: 'SizeOfHeaders', offset: opt + 60 });
  return layout;
}

function optionalHeader(file: Uint8Array, opt: number, optSize: number): Omit<PeLayout, 'sections'> {
  const magic = optSize >= 2 ? u16(file, opt) : 0;
  if (magic !== PE32 && magic !== PE32_PLUS)
    throw new ParseError(`optional header magic 0x${magic.toString(16)} is neither PE32 nor PE32+`, { field: 'Magic', offset: opt });
  const dirCountAt = opt + (magic === PE32 ? 92 : 108);
  if (dirCountAt + 4 > opt + optSize)
    throw new ParseError('optional header too short for NumberOfRvaAndSizes', { field: 'SizeOfOptionalHeader', offset: opt - 4 });
  const dirCount = u32(file, dirCountAt);
  const dirsAt = dirCountAt + 4;
  const hasCertDir = dirCount > CERT_DIRECTORY && dirsAt + (CERT_DIRECTORY + 1) * 8 <= opt + optSize;
  const certDirAt = hasCertDir ? dirsAt + CERT_DIRECTORY * 8 : undefined;
  const cert = certDirAt === undefined ? { offset: 0, size: 0 } : { offset: u32(file, certDirAt), size: u32(file, certDirAt + 4) };
  if (cert.size > 0 && (cert.offset + cert.size > file.length || cert.offset < opt))
    throw new ParseError(`certificate table ${cert.offset}+${cert.size} lies outside the file`, { field: 'CertificateTable', offset: certDirAt ?? opt });
  return { checksumAt: opt + 64, certDirAt, sizeOfHeaders: u32(file, opt + 60), cert };
}

function readSections(file: Uint8Array, table: number, count: number): PeLayout['sections'] {
  const out: PeLayout['sections'] = [];
  for (let i = 0; i < count; i++) {
    const at = table + i * 40;
    const size = u32(file, at + 16);
    const offset = u32(file, at + 20);
    if (size === 0) continue;
    if (offset + size > file.length)
      throw new ParseError(`section ${i} raw data ${offset}+${size} lies past the end of the ${file.length}-byte file`, {
        field: 'PointerToRawData',
        offset: at + 20,
      });
    out.push({ name: sectionName(file.subarray(at, at + 8)), offset, size });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function sectionName(raw: Uint8Array): string {
  const end = raw.indexOf(0);
  return String.fromCharCode(...(end < 0 ? raw : raw.subarray(0, end))).replace(/[^\x20-\x7e]/g, '?');
}
