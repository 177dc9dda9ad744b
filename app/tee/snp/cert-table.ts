import { ByteReader } from '../../bytes/reader.js';
import { toHex, isAllZero } from '../../bytes/hex.js';

/**
 * The certificate table SNP_GET_EXT_REPORT returns beside the report (SEV-SNP Firmware ABI and GHCB
 * specs): entries {GUID 16 bytes, offset u32, length u32} ended by an all-zero entry, offsets from
 * the start of the table. GUIDs are stored in RFC 4122 byte order (as the Linux driver and
 * go-sev-guest use them); the mixed-endian EFI order is accepted too.
 */
const GUIDS: Record<string, string> = {
  '63da758de6644564adc5f4b93be8accd': 'VCEK',
  a8074bc2a25a483eaae639c045a0b8a1: 'VLEK',
  '4ab7b379bbac4fe4a02f05aef327c782': 'ASK',
  c0b406a4a803495297433fb6014cd0ae: 'ARK',
};
const MAX_ENTRIES = 64;

function efiToRfc(g: Uint8Array): string {
  const b = Array.from(g);
  return toHex(Uint8Array.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.slice(8)]));
}

function kindOf(guid: Uint8Array): string | undefined {
  return GUIDS[toHex(guid)] ?? GUIDS[efiToRfc(guid)];
}

export function looksLikeCertTable(bytes: Uint8Array): boolean {
  return bytes.length >= 24 && kindOf(bytes.subarray(0, 16)) !== undefined;
}

/** The certificates a table carries, by kind (unknown GUIDs are skipped); throws ParseError on bad bounds. */
export function parseCertTable(bytes: Uint8Array): { kind: string; der: Uint8Array }[] {
  const r = new ByteReader(bytes, 0, bytes.length, 'MALFORMED_COLLATERAL');
  const out: { kind: string; der: Uint8Array }[] = [];
  for (let i = 0; i <= MAX_ENTRIES; i++) {
    if (i === MAX_ENTRIES) r.fail(`more than ${MAX_ENTRIES} certificate table entries`, 'certTable');
    const guid = r.take(16, `certTable[${i}].guid`);
    const offset = r.u32(`certTable[${i}].offset`);
    const length = r.u32(`certTable[${i}].length`);
    if (isAllZero(guid) && offset === 0 && length === 0) return out;
    if (offset > bytes.length || length > bytes.length - offset) r.fail(`entry ${i} points past the table (offset ${offset}, length ${length})`, `certTable[${i}]`, r.offset - 8);
    const kind = kindOf(guid);
    if (kind) out.push({ kind, der: bytes.subarray(offset, offset + length) });
  }
  return out;
}
