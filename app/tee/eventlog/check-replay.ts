import type { Check, CheckSpec } from '../../check.js';
import { trustedReplay } from './claim-sources.js';
import { fail, pass, warn } from '../../check.js';
import { isTeeError } from '../../errors.js';
import type { EvidencePart, VerifyEnv } from '../module.js';
import { inspectEventLog } from './inspect.js';
import type { EventLogView } from './inspect.js';
import { EVENTLOG_CHECKS, EVENTLOG_CHECK_SPECS } from './checks.js';
import { bootClaims } from './claim-schema.js';
import { compareRegisters, describeComparison } from './compare.js';
import type { RegisterComparison } from './compare.js';

export type { RegisterComparison } from './compare.js';

/** Register values a signature covers, which an event log must replay to. */
export interface SignedRegisters {
  kind: 'rtmr' | 'pcr';
  /** The PCR bank the values are of (TPM quotes); RTMRs are SHA-384. */
  bank?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** Register name ("rtmr0", "pcr7") to lower-case hex, only values a verified signature covers. */
  values: Readonly<Record<string, string>>;
  /** What signed them, as the text names it: "the TD quote", "the TPM quote". */
  source: string;
  /** Registers honest guests extend at runtime without log entries (RTMR3): a difference there is "not replayable", not tampering. */
  runtime?: readonly string[];
}

/** One event log compared with signed registers: what the views show. */
export interface EventLogReplay {
  name: string;
  comparedWith: string;
  /** True when every register the log describes replays to its signed value. */
  matched: boolean;
  registers: RegisterComparison[];
  log: EventLogView;
}

export interface ReplayOutcome {
  checks: Check[];
  catalogue: readonly CheckSpec[];
  replays: EventLogReplay[];
  /** The `boot` claims of the first log that replayed to the signed registers; absent when none did. */
  claims?: { boot: Record<string, string | boolean> };
}

const FORMAT_OF = { rtmr: 'ccel', pcr: 'tcg' } as const;

/**
 * Every event-log part of the evidence that describes this kind of register, parsed, replayed and compared
 * with the signed values (`eventlog.replay`; EVENTLOG_REPLAY_MISMATCH names the register and the first event
 * that can no longer be trusted). Logs of the other kind are left unused (the result lists them as ignored).
 * No checks at all when no log was given: the registers then stay opaque, signed hashes.
 */
export async function checkEventLogParts(parts: readonly EvidencePart[], signed: SignedRegisters, env: VerifyEnv): Promise<ReplayOutcome> {
  const checks: Check[] = [];
  const replays: EventLogReplay[] = [];
  for (const part of parts.filter((p) => p.role === 'eventlog')) {
    const read = await readLog(part, env);
    if ('error' in read) {
      env.used.add(part);
      checks.push(fail(EVENTLOG_CHECKS.format, `${part.name}: ${read.error}`, 'MALFORMED_EVIDENCE'));
      continue;
    }
    if (read.view.format !== FORMAT_OF[signed.kind]) continue;
    env.used.add(part);
    checks.push(pass(EVENTLOG_CHECKS.format, formatText(part.name, read.view)));
    const registers = compareRegisters(read.view, registerValues(read.view, signed), signed);
    const matched = !registers.some((r) => r.status === 'mismatch');
    replays.push({ name: part.name, comparedWith: signed.source, matched, registers, log: read.view });
    checks.push(replayCheck(part.name, registers, signed, read.view));
  }
  // Facts from a log count only when its replay matched: then each event is what the signed registers hold.
  const trusted = trustedReplay(replays);
  const boot = trusted ? bootClaims(trusted.log.claims) : {};
  return { checks, catalogue: checks.length ? EVENTLOG_CHECK_SPECS : [], replays, ...(Object.keys(boot).length ? { claims: { boot } } : {}) };
}

async function readLog(part: EvidencePart, env: VerifyEnv): Promise<{ view: EventLogView } | { error: string }> {
  try {
    return { view: await inspectEventLog(part.bytes, env.crypto) };
  } catch (e) {
    if (isTeeError(e)) return { error: `not a readable event log: ${e.message}` };
    throw e;
  }
}

function formatText(name: string, view: EventLogView): string {
  const kind = view.format === 'ccel' ? 'TDX CC event log (RTMR0..3, SHA-384)' : `TCG PC Client event log (${view.algorithms.join(', ')})`;
  return `${name}: ${kind}, ${view.eventCount} events.`;
}

/** The replayed values of the bank the signature covers. */
function registerValues(view: EventLogView, signed: SignedRegisters): Readonly<Record<string, string>> | undefined {
  if (signed.kind === 'rtmr') return view.replayed;
  return view.banks?.[signed.bank ?? 'SHA-256'];
}

function replayCheck(name: string, registers: RegisterComparison[], signed: SignedRegisters, view: EventLogView): Check {
  const spec = EVENTLOG_CHECKS.replay;
  const bad = registers.filter((r) => r.status === 'mismatch');
  const text = describeComparison(registers, signed, view);
  if (bad.length) return fail(spec, `${name} does not describe this boot: ${text}`, 'EVENTLOG_REPLAY_MISMATCH');
  if (!registerValues(view, signed))
    return warn(spec, `${name} has no ${signed.bank ?? 'SHA-256'} bank, the one ${signed.source} signs, so it could not be compared: nothing in it is proven.`);
  if (!registers.some((r) => r.status === 'match' && r.events > 0))
    return warn(spec, `${name} could not be compared with ${signed.source}: ${text} Nothing in it is proven.`);
  return pass(spec, `${name} replays to ${signed.source}'s values: ${text}`);
}
