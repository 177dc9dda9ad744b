import { ByteReader } from '../../bytes/reader.js';
import { ParseError } from '../../errors.js';
import { EV_NO_ACTION, hashAlgorithmName } from './event-types.js';
import type { HashAlgorithm } from './event-types.js';
import { parseSpecId } from './spec-id.js';
import type { SpecIdEvent } from './spec-id.js';
import { refuseCcelTable } from './ccel-table.js';

/** One TCG_PCR_EVENT2 record: the register index as logged (a PCR, or a CC MR index for TDX). */
export interface LogEvent {
  index: number;
  type: number;
  digests: { alg: HashAlgorithm; digest: Uint8Array }[];
  /** A view into the input (no copy). */
  data: Uint8Array;
  offset: number;
}

export interface ParsedLog {
  specId: SpecIdEvent;
  /** Every record after the Spec ID header, EV_NO_ACTION included. */
  events: LogEvent[];
  /** Where the records end: the start of the 0xFF or 0x00 fill, or the end of the input. */
  end: number;
}

const SHA1_SIZE = 20;
const END_MARK = 0xffffffff;

/**
 * Parses a TCG PC Client crypto-agile event log (PFP spec 10.2.1-10.2.2): a SHA-1 TCG_PCR_EVENT header
 * carrying the Spec ID event, then TCG_PCR_EVENT2 records up to the fill that pads the log area.
 * Every size is checked against what remains before it is read; failures are MALFORMED_EVIDENCE.
 */
export function parseEventLog(bytes: Uint8Array): ParsedLog {
  refuseCcelTable(bytes);
  const r = new ByteReader(bytes);
  const specId = readHeader(r);
  const lastData = lastNonFill(bytes);
  const events: LogEvent[] = [];
  while (!atEnd(r, lastData)) events.push(readEvent(r, specId.algorithms));
  return { specId, events, end: r.offset };
}

function readHeader(r: ByteReader): SpecIdEvent {
  r.u32('header.pcrIndex');
  const typeAt = r.offset;
  const type = r.u32('header.eventType');
  if (type !== EV_NO_ACTION) r.fail(`not a crypto-agile event log: the first event is of type ${type}, not EV_NO_ACTION`, 'header.eventType', typeAt);
  r.take(SHA1_SIZE, 'header.digest');
  const size = r.u32('header.eventSize');
  return parseSpecId(r.sub(size, 'header.event'));
}

/** The end: no room for another record, an all-fill remainder, or a record starting with 0xFFFFFFFF. */
function atEnd(r: ByteReader, lastData: number): boolean {
  if (r.offset > lastData) return true;
  if (r.remaining < 8) throw new ParseError(`${r.remaining} trailing bytes are neither a record nor fill`, { field: 'event', offset: r.offset });
  const b = r.bytes;
  const at = r.offset;
  const word = (o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
  return word(at) === END_MARK || word(at + 4) === END_MARK;
}

/** The offset of the last byte that is neither 0x00 nor 0xFF (-1 if none): found once, so end checks stay O(1). */
function lastNonFill(bytes: Uint8Array): number {
  let i = bytes.length - 1;
  while (i >= 0 && (bytes[i] === 0 || bytes[i] === 0xff)) i--;
  return i;
}

function readEvent(r: ByteReader, algorithms: HashAlgorithm[]): LogEvent {
  const offset = r.offset;
  const index = r.u32('event.pcrIndex');
  const type = r.u32('event.eventType');
  const digests = readDigests(r, algorithms);
  const size = r.u32('event.eventSize');
  const data = r.take(size, 'event.event');
  return { index, type, digests, data, offset };
}

/** TPML_DIGEST_VALUES: one digest per bank of the Spec ID event, each bank once, sizes from that event only. */
function readDigests(r: ByteReader, algorithms: HashAlgorithm[]): LogEvent['digests'] {
  const at = r.offset;
  const count = r.u32('event.digestCount');
  if (count !== algorithms.length) r.fail(`the record has ${count} digests but the Spec ID event declares ${algorithms.length} banks`, 'event.digestCount', at);
  const out: LogEvent['digests'] = [];
  for (let i = 0; i < count; i++) {
    const algAt = r.offset;
    const id = r.u16('event.hashAlg');
    const alg = algorithms.find((a) => a.id === id);
    if (!alg) r.fail(`digest of algorithm ${hashAlgorithmName(id)}, which the Spec ID event does not declare`, 'event.hashAlg', algAt);
    if (out.some((d) => d.alg.id === id)) r.fail(`two ${alg.name} digests in one record`, 'event.hashAlg', algAt);
    out.push({ alg, digest: r.take(alg.size, 'event.digest') });
  }
  return out;
}
