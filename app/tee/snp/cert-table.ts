import { ByteReader } from '../../bytes/reader.js';
import { toHex, isAllZero } from '../../bytes/hex.js';
import { pemBlocks } from '../../pki/pem.js';

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
 * The certificates a table carries, by kind (unknown GUIDs are skipped), as DER; throws ParseError when
 * the table has no terminator within 64 entries, an entry points into the header or past the end, or a
 * known entry is neither DER nor one PEM CERTIFICATE block.
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
      r.fail(
        `entry ${i} (offset ${e.offset}, length ${e.length}) lies outside the ${bytes.length - headerEnd} bytes after the ${headerEnd}-byte header`,
        `certTable[${i}]`,
        e.at,
      );
    }
    return e.kind ? [{ kind: e.kind, der: entryDer(r, bytes.subarray(e.offset, e.offset + e.length), `certTable[${i}]`, e.kind, e.offset) }] : [];
  });
}

/**
 * One entry's certificate as DER. The table carries DER (a SEQUENCE, first byte 0x30), as AMD KDS
 * serves it; some hosts fill it from KDS's PEM files instead, so an entry that is exactly one PEM
 * CERTIFICATE block (RFC 7468; blanks around it and NUL padding after it aside) is taken as that
 * block's DER. Anything else (other text, several blocks, another label) is refused naming the entry.
 */
function entryDer(r: ByteReader, blob: Uint8Array, field: string, kind: string, offset: number): Uint8Array {
  if (blob[0] === 0x30) return blob;
  const text = pemText(blob);
  if (text === undefined) r.fail(`the ${kind} entry is neither a DER certificate (first byte 0x30) nor a PEM CERTIFICATE block`, field, offset);
  const blocks = pemBlocks(text, 'MALFORMED_COLLATERAL');
  if (blocks.length !== 1 || blocks[0]!.label !== 'CERTIFICATE') {
    r.fail(
      `the ${kind} entry holds ${blocks.length === 1 ? `a PEM "${blocks[0]!.label}" block` : `${blocks.length} PEM blocks`}; exactly one CERTIFICATE block is accepted`,
      field,
      offset,
    );
  }
  return blocks[0]!.der;
}

/** The entry as PEM text: printable ASCII and line breaks only, beginning with BEGIN armour and ending with dashes. */
function pemText(blob: Uint8Array): string | undefined {
  let end = blob.length;
  while (end > 0 && blob[end - 1] === 0) end--;
  const body = blob.subarray(0, end);
  if (!body.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09)) return undefined;
  const text = new TextDecoder().decode(body).trim();
  return text.startsWith('-----BEGIN ') && text.endsWith('-----') ? text : undefined;
}
