import { ByteReader } from '../../../bytes/reader.js';
import { describeGuid, guidText } from './guid.js';
import { clip, u64, u64Hex } from './text.js';
import type { BlobDecoded, HandoffDecoded } from './types.js';

const MAX_TABLES = 256;
const LATIN1 = new TextDecoder('latin1');

/** A UINT8-sized description (the "2" forms of the blob and handoff events, PFP 10.4.4.6-10.4.4.7). */
function description(r: ByteReader, field: string): string {
  const size = r.u8(`${field}DescriptionSize`);
  return LATIN1.decode(r.take(size, `${field}Description`)).replace(/\0+$/, '');
}

/** UEFI_PLATFORM_FIRMWARE_BLOB(2): [description,] BlobBase and BlobLength (UINT64). The digest is of the blob. */
export function decodeBlob(bytes: Uint8Array, withDescription: boolean): BlobDecoded {
  const r = new ByteReader(bytes);
  const desc = withDescription ? description(r, 'blob') : undefined;
  const base = u64Hex(r, 'blob.base');
  const length = u64Hex(r, 'blob.length');
  const summary = clip(`${desc ? `"${desc}" ` : ''}firmware blob of ${length} bytes at ${base}`);
  return { kind: 'firmware-blob', summary, ...(desc !== undefined ? { description: desc } : {}), base, length };
}

/** UEFI_HANDOFF_TABLE_POINTERS(2): [description,] NumberOfTables (UINT64), then EFI_CONFIGURATION_TABLE {GUID, pointer}. */
export function decodeHandoff(bytes: Uint8Array, withDescription: boolean): HandoffDecoded {
  const r = new ByteReader(bytes);
  const desc = withDescription ? description(r, 'table') : undefined;
  const count = u64(r, 'handoff.numberOfTables');
  if (count > MAX_TABLES || count * 24 > r.remaining) r.fail(`${count} tables do not fit the ${r.remaining} bytes left`, 'handoff.numberOfTables');
  const tables: HandoffDecoded['tables'] = [];
  for (let i = 0; i < count; i++) tables.push({ guid: guidText(r.take(16, 'handoff.vendorGuid')), address: u64Hex(r, 'handoff.vendorTable') });
  const list = tables.map((t) => describeGuid(t.guid)).join(', ');
  return {
    kind: 'handoff-tables',
    summary: clip(`${desc ? `"${desc}": ` : ''}${count} table${count === 1 ? '' : 's'}: ${list}`),
    ...(desc !== undefined ? { description: desc } : {}),
    tables,
  };
}
