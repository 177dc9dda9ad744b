import type { EventLogReplay } from './check-replay.js';
import type { ClaimSource } from './claims.js';

/** Where a `boot.*` claim was measured: the register, the event's position in the log and, in words, the event. */
export interface ClaimSourceRef {
  register: string;
  event: number;
  /** The event type and what its (unverified) data says it was: "EV_EFI_BOOT_SERVICES_APPLICATION, path …". */
  detail?: string;
}

/** The log whose claims became `boot`: the first that replayed to the signed registers with events (as check-replay.ts chooses). */
export function trustedReplay(replays: readonly EventLogReplay[] | undefined): EventLogReplay | undefined {
  return replays?.find((r) => r.matched && r.registers.some((x) => x.status === 'match' && x.events > 0));
}

/**
 * Claims that keep their first value (claims.ts setOnce) come from their first source; logged digests are
 * overwritten by each later matching event, so theirs is the last.
 */
const LAST_WINS = new Set(['kernelDigest', 'kernelCmdlineDigest', 'initrdDigest']);
const BOOT_SCALARS = new Set(['secureBoot', 'pk', 'kek', 'db', 'dbx', 'kernelCmdline', 'kernelDigest', 'kernelCmdlineDigest', 'initrdDigest']);

/** For each `boot.*` claim of the trusted log, the event it was read from; empty when no log replayed. */
export function bootClaimSources(replays: readonly EventLogReplay[] | undefined): Record<string, ClaimSourceRef> {
  const log = trustedReplay(replays)?.log;
  if (!log) return {};
  const chosen = new Map<string, ClaimSource>();
  for (const s of log.claims.sources) {
    if (!BOOT_SCALARS.has(s.claim)) continue;
    if (!chosen.has(s.claim) || LAST_WINS.has(s.claim)) chosen.set(s.claim, s);
  }
  const out: Record<string, ClaimSourceRef> = {};
  for (const [claim, s] of chosen) {
    const type = log.events[s.event]?.typeName;
    const detail = [type, s.unverifiedDetail].filter(Boolean).join(', ');
    out[`boot.${claim}`] = { register: s.register, event: s.event, ...(detail ? { detail } : {}) };
  }
  return out;
}
