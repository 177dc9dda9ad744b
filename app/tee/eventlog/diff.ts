import type { EventLogView, EventView } from './inspect.js';
import type { Decoded } from './decode/types.js';
import { clip } from './decode/text.js';

/**
 * A known-good event log as the reference: per register, the first event whose digest differs, said in
 * words from both events' decoded data. Digests are compared (they are what the register holds); the
 * words come from event data and describe, they do not prove.
 */
export interface RegisterDiff {
  register: string;
  /** Replayed values in the common bank. */
  expected?: string;
  actual?: string;
  same: boolean;
  /** Position within this register (0-based) of the first differing event. */
  at?: number;
  /** Log positions of that event in each log (absent where one log has no event there). */
  expectedEvent?: number;
  actualEvent?: number;
  what?: string;
}

export interface EventLogDiff {
  bank: string;
  same: boolean;
  registers: RegisterDiff[];
}

/** Compares two logs in the bank both have (SHA-384 for CC logs, SHA-256 preferred for TPM logs). */
export function diffEventLogs(expected: EventLogView, actual: EventLogView): EventLogDiff {
  const bank = commonBank(expected, actual);
  const exp = byRegister(expected.events);
  const act = byRegister(actual.events);
  const names = [...new Set([...exp.keys(), ...act.keys()])].sort(registerOrder);
  const registers = names.map((register) => diffRegister(register, exp.get(register) ?? [], act.get(register) ?? [], bank, expected, actual));
  return { bank, same: registers.every((r) => r.same), registers };
}

type Positioned = { e: EventView; at: number };

function byRegister(events: readonly EventView[]): Map<string, Positioned[]> {
  const out = new Map<string, Positioned[]>();
  events.forEach((e, at) => {
    if (e.register) (out.get(e.register) ?? out.set(e.register, []).get(e.register)!).push({ e, at });
  });
  return out;
}

function diffRegister(register: string, exp: Positioned[], act: Positioned[], bank: string, expLog: EventLogView, actLog: EventLogView): RegisterDiff {
  const values = { ...value('expected', registerValue(expLog, bank, register)), ...value('actual', registerValue(actLog, bank, register)) };
  const n = Math.max(exp.length, act.length);
  for (let i = 0; i < n; i++) {
    const a = exp[i];
    const b = act[i];
    if (a && b && digestOf(a.e, bank) === digestOf(b.e, bank)) continue;
    const where = { at: i, ...(a ? { expectedEvent: a.at } : {}), ...(b ? { actualEvent: b.at } : {}) };
    return { register, ...values, same: false, ...where, what: describe(a, b, bank) };
  }
  return { register, ...values, same: true };
}

function value(key: 'expected' | 'actual', v: string | undefined): Partial<RegisterDiff> {
  return v === undefined ? {} : { [key]: v };
}

function describe(a: Positioned | undefined, b: Positioned | undefined, bank: string): string {
  if (!a) return `extra event ${b!.at} (${label(b!.e)}): the expected log has no event here`;
  if (!b) return `missing event: expected event ${a.at} (${label(a.e)}) is not in the log`;
  const [dx, dy] = [digestOf(a.e, bank), digestOf(b.e, bank)];
  // Images and tagged events are measured by digest alone: their words are the digests, not the data.
  const byDigest = a.e.decoded.kind === 'image-load' || a.e.decoded.kind === 'tagged';
  if (!byDigest && a.e.typeName === b.e.typeName && a.e.decoded.summary === b.e.decoded.summary)
    return `event ${b.at} (${label(b.e)}): same event data, different digest: expected ${dx} found ${dy}`;
  return sameKindWords(a.e.decoded, b.e.decoded, dx, dy) ?? `event ${b.at} (${label(b.e)}) differs from expected event ${a.at} (${label(a.e)})`;
}

/** Words for two events of the same meaning: the value that changed. */
function sameKindWords(x: Decoded, y: Decoded, dx: string, dy: string): string | undefined {
  if (x.kind === 'grub' && y.kind === 'grub' && x.role === y.role) {
    const what = x.role === 'kernel-cmdline' ? 'kernel command line' : x.role === 'command' ? 'GRUB command' : 'module command line';
    return `${what}: expected '${clip(x.text)}' found '${clip(y.text)}'`;
  }
  if (x.kind === 'image-load' && y.kind === 'image-load')
    return `boot loader image: expected ${dx} found ${dy} (paths from unverified event data: '${clip(x.devicePath, 80)}', '${clip(y.devicePath, 80)}')`;
  if (x.kind === 'efi-variable' && y.kind === 'efi-variable' && x.name === y.name) return `${x.name}: expected ${meaning(x)}, found ${meaning(y)}`;
  if (x.kind === 'tagged' && y.kind === 'tagged' && x.tagId === y.tagId)
    return `${x.tag === 'initrd' ? 'initrd' : x.tag === 'load-options' ? 'kernel command line (load options)' : 'tagged event'} digest: expected ${dx} found ${dy}`;
  if (x.kind === 'text' && y.kind === 'text') return `expected '${clip(x.text, 80)}' found '${clip(y.text, 80)}'`;
  return undefined;
}

function meaning(v: Decoded & { name: string }): string {
  return clip(v.summary.startsWith(`${v.name}: `) ? v.summary.slice(v.name.length + 2) : v.summary, 80);
}

function label(e: EventView): string {
  return `${e.typeName} ${clip(e.decoded.summary, 60)}`;
}

function digestOf(e: EventView, bank: string): string {
  return e.digests.find((d) => d.alg === bank)?.digest ?? '';
}

function commonBank(a: EventLogView, b: EventLogView): string {
  const both = a.algorithms.filter((x) => b.algorithms.includes(x));
  const preferred = a.format === 'ccel' ? ['SHA-384'] : ['SHA-256', 'SHA-384', 'SHA-512'];
  return preferred.find((x) => both.includes(x)) ?? both[0] ?? 'none';
}

function registerValue(view: EventLogView, bank: string, register: string): string | undefined {
  return (view.format === 'ccel' ? view.replayed : view.banks?.[bank])?.[register];
}

function registerOrder(a: string, b: string): number {
  const n = (s: string) => Number(s.replace(/\D/g, ''));
  return a.slice(0, 3).localeCompare(b.slice(0, 3)) || n(a) - n(b);
}
