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

/**
 * The certificates a table carries, by kind (unknown GUIDs are skipped); throws ParseError when the
 * table has no terminator within 64 entries, or an entry points into the header or past the end.
 */
export function parseCertTable(bytes: Uint8Array): { kind: string; der: Uint8Array }[] {
  const r = new ByteReader(bytes, 0, bytes.length, 'MALFORMED_COLLATERAL');
  const entries: { kind: string | undefined; offset: number; length: number; at: number }[] = [];
  for (let i = 0; ; i++) {
    if (i === MAX_ENTRIES) r.fail(`no terminating all-zero entry within ${MAX_ENTRIES} certificate table entries`, 'certTable');
    const at = r.offset;
    const guid = r.take(16, `certTable[${i}].guid`);
    const offset = r.u32(`certTable[${i}].offset`);
    const length = r.u32(`certTable[${i}].length`);
    if (isAllZero(guid) && offset === 0 && length === 0) break;
    entries.push({ kind: kindOf(guid), offset, length, at });
  }
  const headerEnd = r.offset;
  return entries.flatMap((e, i) => {
    if (e.offset < headerEnd || e.offset > bytes.length || e.length > bytes.length - e.offset) {
      r.fail(`entry ${i} (offset ${e.offset}, length ${e.length}) lies outside the ${bytes.length - headerEnd} bytes after the ${headerEnd}-byte header`, `certTable[${i}]`, e.at);
    }
    return e.kind ? [{ kind: e.kind, der: bytes.subarray(e.offset, e.offset + e.length) }] : [];
  });
}
