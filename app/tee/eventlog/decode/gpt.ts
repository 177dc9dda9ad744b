import { ByteReader } from '../../../bytes/reader.js';
import { guidText } from './guid.js';
import { clip, u64, utf16 } from './text.js';
import type { GptDecoded } from './types.js';

const SIGNATURE = 'EFI PART';
/** EFI_PARTITION_TABLE_HEADER as UEFI_GPT_DATA carries it (UEFI 2.10, 5.3.2): 92 bytes. */
const HEADER = 92;
const ENTRY_MIN = 128;
const MAX_PARTITIONS = 256;

/** UEFI_GPT_DATA (PFP 10.4.4.3): the GPT header, NumberOfPartitions (UINT64), then that many partition entries. */
export function decodeGpt(bytes: Uint8Array): GptDecoded {
  const r = new ByteReader(bytes);
  const header = r.sub(HEADER, 'gpt.header');
  const signature = String.fromCharCode(...header.take(8, 'gpt.signature'));
  if (signature !== SIGNATURE) header.fail(`GPT header signature is "${signature}", not "${SIGNATURE}"`, 'gpt.signature', 0);
  header.take(48, 'gpt.fields');
  const diskGuid = guidText(header.take(16, 'gpt.diskGuid'));
  header.take(12, 'gpt.entryLba');
  const entrySize = header.u32('gpt.sizeOfPartitionEntry');
  if (entrySize < ENTRY_MIN) header.fail(`partition entries of ${entrySize} bytes (at least ${ENTRY_MIN})`, 'gpt.sizeOfPartitionEntry', 84);
  const count = u64(r, 'gpt.numberOfPartitions');
  if (count > MAX_PARTITIONS || count * entrySize > r.remaining)
    r.fail(`${count} partitions of ${entrySize} bytes do not fit the ${r.remaining} bytes left`, 'gpt.numberOfPartitions');
  const partitions: GptDecoded['partitions'] = [];
  for (let i = 0; i < count; i++) partitions.push(partition(r.sub(entrySize, 'gpt.partition'), i + 1));
  const names = partitions.map((p) => p.name || `#${p.number}`).join(', ');
  return { kind: 'gpt', summary: clip(`GPT disk ${diskGuid}, ${count} partition${count === 1 ? '' : 's'}: ${names}`), diskGuid, partitions };
}

function partition(r: ByteReader, number: number): GptDecoded['partitions'][number] {
  const typeGuid = guidText(r.take(16, 'partition.typeGuid'));
  const uniqueGuid = guidText(r.take(16, 'partition.uniqueGuid'));
  const firstLba = u64(r, 'partition.startingLba');
  const lastLba = u64(r, 'partition.endingLba');
  r.take(8, 'partition.attributes');
  const name = utf16(r.take(72, 'partition.name')).replace(/\0.*$/s, '');
  return { number, typeGuid, uniqueGuid, firstLba, lastLba, name };
}
