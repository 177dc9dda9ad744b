import type { CryptoProvider } from '../../crypto/provider.js';
import { digestSync } from '../../crypto/digest-sync.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { EV_NO_ACTION, eventTypeName } from './event-types.js';
import { parseEventLog } from './parse.js';
import type { LogEvent, ParsedLog } from './parse.js';
import { canHash, detectFormat, replayBank, replayCcel, startupLocality } from './replay.js';
import type { LogFormat, Registers } from './replay.js';
import { decodeEvent } from './decode/index.js';
import type { Decoded, DecodeContext } from './decode/index.js';
import { isSignatureDb, variableParts } from './decode/variable.js';
import { eventLogClaims } from './claims.js';
import type { EventLogClaims } from './claims.js';

export const EVENTLOG_SCHEMA = 'tee-inspect/eventlog/v1' as const;

export interface EventView {
  /** The index as logged: a PCR (tcg) or a CC MR index, 1..4 = RTMR0..3 (ccel). */
  index: number;
  /** The register it extends ("rtmr0", "pcr7"), absent for EV_NO_ACTION (never extended). */
  register?: string;
  type: number;
  typeName: string;
  digests: { alg: string; digest: string }[];
  dataSize: number;
  /**
   * Whether every digest this program can compute equals the hash of the event data (as trustee's
   * digest_matches_event). False is normal for events that measure something else (an image, a variable's data).
   * Absent when no digest could be computed.
   */
  digestMatchesData?: boolean;
  /** What the data says, by the (unverified) event type: decode/types.ts. Facts are drawn from it only in claims. */
  decoded: Decoded;
}

export interface EventLogView {
  schema: typeof EVENTLOG_SCHEMA;
  format: LogFormat;
  eventCount: number;
  specVersion: string;
  algorithms: string[];
  /** ccel: RTMR0..3; tcg: the SHA-256 bank (else the first bank that could be replayed). */
  replayed: Registers;
  /** tcg only: every bank replayed, by algorithm name. */
  banks?: Record<string, Registers>;
  /** tcg only: banks listed in the log that this program cannot hash, so not replayed. */
  notReplayed?: string[];
  startupLocality?: number;
  events: EventView[];
  /** Facts for appraisal, each with the event it came from and its basis (claims.ts). */
  claims: EventLogClaims;
}

/** Parses and replays a log: what the register values must be if the log is complete and true. */
export async function inspectEventLog(bytes: Uint8Array, crypto: CryptoProvider): Promise<EventLogView> {
  const log = parseEventLog(bytes);
  const format = detectFormat(log);
  const ctx: DecodeContext = { uintnSize: log.specId.uintnSize };
  const events: EventView[] = [];
  for (const e of log.events) events.push(await eventView(e, format, ctx, crypto));
  const base = {
    schema: EVENTLOG_SCHEMA,
    format,
    eventCount: log.events.length,
    specVersion: log.specId.specVersion,
    algorithms: log.specId.algorithms.map((a) => a.name),
  };
  const registers = format === 'ccel' ? { replayed: await replayCcel(log, crypto) } : await tcgRegisters(log, crypto);
  const bank = format === 'ccel' ? 'SHA-384' : claimBank(registers);
  const decoded = log.events.map((event, i) => ({ event, decoded: events[i]!.decoded, ...(events[i]!.register ? { register: events[i]!.register } : {}) }));
  const claims = await eventLogClaims(log, decoded, format, registers.replayed, bank, crypto);
  return { ...base, ...registers, events, claims };
}

/** The bank claims' digests are given in: the bank `replayed` shows. */
function claimBank(r: Pick<EventLogView, 'replayed' | 'banks'>): string | undefined {
  return Object.entries(r.banks ?? {}).find(([, regs]) => regs === r.replayed)?.[0];
}

async function tcgRegisters(log: ParsedLog, crypto: CryptoProvider): Promise<Pick<EventLogView, 'replayed' | 'banks' | 'notReplayed' | 'startupLocality'>> {
  const banks: Record<string, Registers> = {};
  const notReplayed: string[] = [];
  for (const alg of log.specId.algorithms) {
    if (canHash(alg)) banks[alg.name] = await replayBank(log, alg, crypto);
    else notReplayed.push(alg.name);
  }
  const replayed = banks['SHA-256'] ?? Object.values(banks)[0] ?? {};
  const locality = startupLocality(log.events);
  return { replayed, banks, notReplayed, ...(locality === undefined ? {} : { startupLocality: locality }) };
}

async function eventView(e: LogEvent, format: LogFormat, ctx: DecodeContext, crypto: CryptoProvider): Promise<EventView> {
  const view: EventView = {
    index: e.index,
    type: e.type,
    typeName: eventTypeName(e.type),
    digests: e.digests.map((d) => ({ alg: d.alg.name, digest: toHex(d.digest) })),
    dataSize: e.data.length,
    decoded: decodeEvent(e.type, e.data, ctx),
  };
  if (e.type !== EV_NO_ACTION) view.register = format === 'ccel' ? `rtmr${e.index - 1}` : `pcr${e.index}`;
  const matches = await digestMatchesData(e, crypto);
  if (matches !== undefined) view.digestMatchesData = matches;
  await addDataSha256(view.decoded, e, crypto);
  return view;
}

/** Signature databases are appraised by the SHA-256 of their data, whatever the log's banks. */
async function addDataSha256(d: Decoded, e: LogEvent, crypto: CryptoProvider): Promise<void> {
  if (d.kind !== 'efi-variable' || !d.signatures || !isSignatureDb(d.vendorGuid, d.name)) return;
  d.dataSha256 = toHex(digestSync(crypto, 'SHA-256', variableParts(e.data).data));
}

async function digestMatchesData(e: LogEvent, crypto: CryptoProvider): Promise<boolean | undefined> {
  let result: boolean | undefined;
  for (const d of e.digests) {
    if (!canHash(d.alg)) continue;
    const same = equalBytes(digestSync(crypto, d.alg.name, e.data), d.digest);
    result = (result ?? true) && same;
  }
  return result;
}
