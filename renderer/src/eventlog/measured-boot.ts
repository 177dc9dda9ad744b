import type { Check } from '../../../app/check.js';
import type { EventLogReplay, RegisterComparison } from '../../../app/tee/eventlog/check-replay.js';
import type { EventView } from '../../../app/tee/eventlog/inspect.js';
import type { PcrRow } from '../../../app/tee/tpm/describe.js';

/**
 * What the "Measured boot" view shows, read from result.fields and result.checks. Pure: the words and
 * states are decided here (and unit-tested); the components only lay them out. Nothing is computed that
 * the core did not establish: every state comes from a register comparison or a check's status.
 */

/** An event as the view reads it: `decoded` may be missing (reports of older versions). */
export type ShownEvent = Omit<EventView, 'decoded'> & { decoded?: { kind?: string; summary?: string } };
export type ShownReplay = Omit<EventLogReplay, 'log'> & { log: Omit<EventLogReplay['log'], 'events'> & { events: ShownEvent[] } };

export type Tone = 'good' | 'bad' | 'warn' | 'none';

/** Where in result.fields a part was found: top level, or under a part's key ("tpm"). */
export interface Found<T> {
  under?: string;
  value: T;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function isReplay(v: unknown): v is ShownReplay {
  return isObject(v) && typeof v.name === 'string' && Array.isArray(v.registers) && isObject(v.log) && Array.isArray(v.log.events);
}

function isPcrRow(v: unknown): v is PcrRow {
  return isObject(v) && typeof v.bank === 'string' && typeof v.index === 'number' && typeof v.value === 'string' && typeof v.attested === 'boolean';
}

/** `key` at the top of fields and one level down (a composite's parts keep their own fields: fields.tpm). */
function findArrays(fields: Record<string, unknown>, key: string): Found<unknown[]>[] {
  const top = Array.isArray(fields[key]) ? [{ value: fields[key] as unknown[] }] : [];
  const nested = Object.entries(fields).flatMap(([under, v]) => (isObject(v) && Array.isArray(v[key]) ? [{ under, value: v[key] as unknown[] }] : []));
  return [...top, ...nested];
}

export function eventLogsOf(fields: Record<string, unknown>): Found<ShownReplay>[] {
  return findArrays(fields, 'eventLogs').flatMap((f) => f.value.filter(isReplay).map((value) => ({ ...(f.under ? { under: f.under } : {}), value })));
}

export function pcrTablesOf(fields: Record<string, unknown>): Found<PcrRow[]>[] {
  return findArrays(fields, 'pcrs')
    .map((f) => ({ ...(f.under ? { under: f.under } : {}), value: f.value.filter(isPcrRow) }))
    .filter((f) => f.value.length > 0);
}

// ---- one log as a whole ----

export type LogState = 'matched' | 'mismatch' | 'not-compared';

/** The eventlog.replay check of this log: its text starts with the log's name. */
export function replayCheckOf(name: string, checks: readonly Check[]): Check | undefined {
  const replays = checks.filter((c) => c.id === 'eventlog.replay');
  return replays.find((c) => c.explain.startsWith(`${name} `)) ?? (replays.length === 1 ? replays[0] : undefined);
}

/** A log is proven only when its replay check passed; no check, or a warning, means it was not compared. */
export function logState(replay: ShownReplay, checks: readonly Check[]): { state: LogState; check?: Check } {
  const check = replayCheckOf(replay.name, checks);
  const withCheck = check ? { check } : {};
  if (check?.status === 'fail' || (check?.status === 'pass' && !replay.matched)) return { state: 'mismatch', ...withCheck };
  if (check?.status === 'pass') return { state: 'matched', ...withCheck };
  return { state: 'not-compared', ...withCheck };
}

export const LOG_WORDS: Record<LogState, { word: string; tone: Tone }> = {
  matched: { word: 'replays to the signed values', tone: 'good' },
  mismatch: { word: 'DOES NOT MATCH the signed values', tone: 'bad' },
  'not-compared': { word: 'not compared: nothing in it is proven', tone: 'warn' },
};

// ---- registers ----

export function registerLabel(register: string): string {
  return register.toUpperCase();
}

/** A register's replay result in words; "matches" only for a register the signature covers and the log replays to. */
export function registerWords(r: Pick<RegisterComparison, 'status' | 'events'>): { word: string; tone: Tone; meaning: string } {
  switch (r.status) {
    case 'match':
      return r.events > 0
        ? { word: 'matches', tone: 'good', meaning: 'The log replays to exactly the value the signature covers.' }
        : {
            word: 'matches (never extended)',
            tone: 'good',
            meaning: 'The log never extends it and the signed value is the reset value: nothing was measured into it.',
          };
    case 'mismatch':
      return { word: 'DOES NOT MATCH', tone: 'bad', meaning: 'The log replays to another value than the signed one: its events do not describe this boot.' };
    case 'not-replayable':
      return {
        word: 'not replayable (runtime)',
        tone: 'warn',
        meaning: 'Extended after boot without entries in this log (normal for a runtime register): the log says nothing of what it holds.',
      };
    case 'not-in-log':
      return {
        word: 'not described by the log',
        tone: 'none',
        meaning: 'The log never extends it, yet it is not at its reset value: nothing is known of what it measures.',
      };
    case 'not-signed':
      return { word: 'not signed', tone: 'none', meaning: 'The log extends it but no verified signature covers its value, so it proves nothing.' };
  }
}

export interface RegisterGroup {
  /** "rtmr0", "pcr7", or undefined for events extended into no register (EV_NO_ACTION). */
  register?: string;
  comparison?: RegisterComparison;
  /** Positions in log.events, in log order. */
  positions: number[];
}

/** The events of each register in log order, registers in the comparison's order; never-extended events last. */
export function groupByRegister(replay: ShownReplay): RegisterGroup[] {
  const byRegister = new Map<string | undefined, number[]>();
  replay.log.events.forEach((e, i) => {
    const list = byRegister.get(e.register) ?? [];
    list.push(i);
    byRegister.set(e.register, list);
  });
  const groups: RegisterGroup[] = replay.registers.map((c) => ({ register: c.register, comparison: c, positions: byRegister.get(c.register) ?? [] }));
  const named = new Set(replay.registers.map((c) => c.register));
  for (const [register, positions] of byRegister) if (register !== undefined && !named.has(register)) groups.push({ register, positions });
  const none = byRegister.get(undefined);
  if (none) groups.push({ positions: none });
  return groups;
}

export function untrustedFromText(register: string): string {
  return `from here on nothing in ${registerLabel(register)} can be trusted`;
}

// ---- events ----

export type EventBasis = 'checked' | 'measured-only' | 'untrusted' | 'unverified' | 'not-extended';

/**
 * How far an event's decoded meaning can be believed. Only 'checked' is: its register replays to the signed
 * value (the log was compared) AND its digest is the hash of its data. The event type is never evidence.
 */
export function eventBasis(event: Pick<ShownEvent, 'register' | 'digestMatchesData'>, comparison: RegisterComparison | undefined, state: LogState): EventBasis {
  if (!event.register) return 'not-extended';
  if (comparison?.status === 'mismatch') return 'untrusted';
  if (state === 'not-compared' || comparison?.status !== 'match') return 'unverified';
  return event.digestMatchesData === true ? 'checked' : 'measured-only';
}

export const BASIS_WORDS: Record<EventBasis, { word: string; tone: Tone; meaning: string }> = {
  checked: {
    word: 'verified data',
    tone: 'good',
    meaning: 'The register replays to its signed value and this digest is the hash of this data: the decoded meaning is what was measured.',
  },
  'measured-only': {
    word: 'unverified data',
    tone: 'warn',
    meaning:
      'The digest is part of a matching replay, but it is not the hash of this data (for an image load it is the image): the decoded text is not proven.',
  },
  untrusted: { word: 'untrusted', tone: 'bad', meaning: 'The register does not replay to its signed value: nothing this event says can be trusted.' },
  unverified: {
    word: 'unverified data',
    tone: 'warn',
    meaning: 'The register was not compared with a signed value: the decoded meaning is unverified data from the log.',
  },
  'not-extended': { word: 'not measured', tone: 'none', meaning: 'Never extended into a register (EV_NO_ACTION): no signature covers it.' },
};

export function digestMatchWords(v: boolean | undefined): { word: 'yes' | 'no' | 'n/a'; meaning: string } {
  if (v === true) return { word: 'yes', meaning: 'The digest is the hash of the event data as logged: what is decoded is what was measured.' };
  if (v === false)
    return {
      word: 'no',
      meaning:
        'The digest is not the hash of the event data. Normal for image loads (the digest is of the image, not of this data): no facts are derived from this event.',
    };
  return { word: 'n/a', meaning: 'No digest of this event could be recomputed (no algorithm this program can hash).' };
}

export const DIGEST_MATCH_EXPLAIN =
  'yes: the digest is the hash of the event data. no: it is not; for image loads the digest is of the image, not the data, so "no" is normal. n/a: nothing could be recomputed. Facts are only derived from events whose digest matches their data.';

/** A digest as the table shows it; the full value is one focus, hover or click away. */
export function shortDigest(hex: string): string {
  return hex.length <= 20 ? hex : `${hex.slice(0, 12)}…${hex.slice(-6)}`;
}

export function eventSummary(e: ShownEvent): string {
  const s = e.decoded?.summary;
  // The log's text may hold control characters: shown as visible escapes, never interpreted.
  return s ? s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : '';
}

// ---- PCRs of TPM quotes ----

/** Green only when the AK itself is trusted: a signature by a key tied to nothing proves little. */
export function pcrAttestedWords(attested: boolean, akTrusted: boolean): { word: string; tone: Tone } {
  if (!attested) return { word: 'supplied, not covered by the signature', tone: 'none' };
  return { word: 'attested (signed by the AK)', tone: akTrusted ? 'good' : 'warn' };
}

export function akTrusted(checks: readonly Check[]): boolean {
  return checks.some((c) => c.id === 'tpm.ak.trust' && c.status === 'pass');
}

/** What the AK's own trust means for the attested values (tpm.ak.trust); absent when there is no such check. */
export function akTrustNote(checks: readonly Check[]): { tone: Tone; text: string } | undefined {
  const c = checks.find((x) => x.id === 'tpm.ak.trust');
  if (!c) return undefined;
  if (c.status === 'pass') return { tone: 'good', text: `The AK is trusted: ${c.explain}` };
  return { tone: c.status === 'fail' ? 'bad' : 'warn', text: `The AK is not tied to hardware, so "attested" means signed by this key only. ${c.explain}` };
}

// ---- nothing to show ----

const CCEL_PATH = '/sys/firmware/acpi/tables/data/CCEL';
const TCG_PATH = '/sys/kernel/security/tpm0/binary_bios_measurements';

/** Signed boot registers among the fields ("rtmr0".."rtmr3"), which a log could have been replayed against. */
export function signedRegisterNames(fields: Record<string, unknown>): string[] {
  return Object.keys(fields).filter((k) => /^rtmr\d+$/.test(k) && typeof fields[k] === 'string');
}

/** What the view says when the result has no event log, PCR table or linked parts: what is missing and what to drop. */
export function emptyBootText(fields: Record<string, unknown>, isolation: string | undefined): { title: string; lines: string[] } {
  const rtmrs = signedRegisterNames(fields);
  if (rtmrs.length)
    return {
      title: 'No event log: the boot registers are signed but opaque',
      lines: [
        `${rtmrs.map(registerLabel).join(', ')} are covered by the signature, but without the event log nothing says what was measured into them.`,
        `Drop the CC event log (the ACPI CCEL table's data, ${CCEL_PATH}) together with the quote to replay it and see each event.`,
      ],
    };
  if (isolation === 'process')
    return {
      title: 'No measured boot for this evidence',
      lines: ['An enclave has no boot registers: its measurement covers the enclave code itself, shown on the Checks & fields tab.'],
    };
  return {
    title: 'No boot registers in this evidence',
    lines: [
      'This evidence carries no RTMRs or PCRs an event log could be replayed against.',
      `Measured boot needs a TD quote with its CC event log (${CCEL_PATH}), or a TPM quote with its TCG event log (${TCG_PATH}).`,
    ],
  };
}

/** The PCR table's note when no TCG log accompanies the quote. */
export const PCRS_WITHOUT_LOG = `No TCG event log was given: these PCR values are hashes and nothing says what they measure. Drop the log (${TCG_PATH}) with the evidence to replay it.`;
