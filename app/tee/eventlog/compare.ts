import type { EventLogView } from './inspect.js';
import type { SignedRegisters } from './check-replay.js';

/**
 * One register: what the log replays to and what the signature says.
 * - match: equal (a register the log never extends matches when the signed value is still the reset value);
 * - mismatch: the log extends it and the values differ, or it never extends a boot register that is not at reset;
 * - not-replayable: a runtime register (RTMR3) that differs: extended after boot without entries in this log;
 * - not-in-log: a PCR the log never extends whose signed value is not the reset value: the log says nothing of it;
 * - not-signed: the log extends it but no verified signature covers its value, so it proves nothing.
 */
export interface RegisterComparison {
  register: string;
  status: 'match' | 'mismatch' | 'not-replayable' | 'not-in-log' | 'not-signed';
  replayed?: string;
  signed?: string;
  /** How many events of the log extend it. */
  events: number;
  /** Position in the log of the first event extending it: on a mismatch, the first event that can no longer be trusted. */
  firstEvent?: number;
}

/** Every register the log or the signature names, in register order. */
export function compareRegisters(view: EventLogView, replayed: Readonly<Record<string, string>> | undefined, signed: SignedRegisters): RegisterComparison[] {
  const names = new Set([...Object.keys(replayed ?? {}), ...Object.keys(signed.values)]);
  const counts = eventCounts(view);
  return [...names].sort(byRegister).map((register) => {
    const c = counts.get(register);
    const base = { register, events: c?.count ?? 0, ...(c ? { firstEvent: c.first } : {}) };
    const r = replayed?.[register];
    const s = signed.values[register];
    const values = { ...(r ? { replayed: r } : {}), ...(s ? { signed: s } : {}) };
    return { ...base, ...values, status: statusOf(base.events, r, s, signed.runtime?.includes(register) ?? false) };
  });
}

function statusOf(events: number, replayed: string | undefined, signed: string | undefined, runtime: boolean): RegisterComparison['status'] {
  if (signed === undefined) return 'not-signed';
  if (replayed === signed || (replayed === undefined && atReset(signed))) return 'match';
  if (runtime) return 'not-replayable';
  if (events === 0 && replayed === undefined) return 'not-in-log';
  return 'mismatch';
}

/** PCRs reset to all zeros (all ones for the DRTM PCRs 17-22): a register nothing extended. */
function atReset(hex: string): boolean {
  return /^(0+|f+)$/.test(hex);
}

function eventCounts(view: EventLogView): Map<string, { count: number; first: number }> {
  const counts = new Map<string, { count: number; first: number }>();
  view.events.forEach((e, i) => {
    if (!e.register) return;
    const c = counts.get(e.register);
    if (c) c.count++;
    else counts.set(e.register, { count: 1, first: i });
  });
  return counts;
}

/** "rtmr2" before "rtmr10", "pcr2" before "pcr10". */
function byRegister(a: string, b: string): number {
  const [pa, na] = split(a);
  const [pb, nb] = split(b);
  return pa === pb ? na - nb : pa < pb ? -1 : 1;
}

function split(name: string): [string, number] {
  const m = /^([a-z]+)(\d+)$/.exec(name);
  return m ? [m[1]!, Number(m[2])] : [name, 0];
}

/** The comparison in words: mismatches first (register, values, first untrusted event), then what matched and what was not compared. */
export function describeComparison(registers: RegisterComparison[], signed: SignedRegisters, view: EventLogView): string {
  const of = (s: RegisterComparison['status']) => registers.filter((r) => r.status === s);
  const upper = (r: RegisterComparison) => r.register.toUpperCase();
  const parts: string[] = [];
  for (const r of of('mismatch')) parts.push(mismatchText(r, signed, view));
  const matched = of('match').filter((r) => r.events > 0);
  if (matched.length) parts.push(`${matched.map(upper).join(', ')} ${matched.length === 1 ? 'matches' : 'match'}`);
  const reset = of('match').filter((r) => r.events === 0);
  if (reset.length) parts.push(`${reset.map(upper).join(', ')} never extended (reset value in both)`);
  const runtime = of('not-replayable');
  if (runtime.length)
    parts.push(
      `${runtime.map(upper).join(', ')} not replayable: extended after boot without entries in this log (normal for a runtime register), so the log says nothing of what it holds`,
    );
  const silent = of('not-in-log');
  if (silent.length)
    parts.push(
      `${silent.map(upper).join(', ')} not described by the log (never extended in it), so nothing is known of what ${silent.length === 1 ? 'it measures' : 'they measure'}`,
    );
  const unsigned = of('not-signed');
  if (unsigned.length) parts.push(`${unsigned.map(upper).join(', ')} extended in the log but not covered by ${signed.source}, so not compared`);
  return `${parts.join('; ')}.`;
}

function mismatchText(r: RegisterComparison, signed: SignedRegisters, view: EventLogView): string {
  const head = `${r.register.toUpperCase()} replays to ${r.replayed ?? 'its reset value'} but ${signed.source} says ${r.signed}`;
  if (r.firstEvent === undefined) return `${head} (the log never extends it: events are missing)`;
  const first = view.events[r.firstEvent]!;
  return `${head}: none of its ${r.events} events can be trusted, from event #${r.firstEvent} (${first.typeName}) on`;
}
