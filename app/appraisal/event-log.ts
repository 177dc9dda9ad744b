import { fail, pass, skip } from '../check.js';
import type { Check } from '../check.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { isTeeError } from '../errors.js';
import type { ClaimDiff } from '../report/result.js';
import type { EventLogReplay } from '../tee/eventlog/check-replay.js';
import { diffEventLogs } from '../tee/eventlog/diff.js';
import type { EventLogDiff } from '../tee/eventlog/diff.js';
import { inspectEventLog } from '../tee/eventlog/inspect.js';
import type { EventLogView } from '../tee/eventlog/inspect.js';
import { escapeControls } from '../text/sanitize.js';
import { REFERENCE_CHECKS as R } from './checks.js';
import type { ReferenceAppraisal } from './appraise.js';

const NAME = 'known-good event log';

/**
 * A known-good event log as the reference: the evidence's log, once it replayed to the signed registers,
 * is compared with it register by register; the first differing event is named in words ("kernel command
 * line: expected … found …"). A log that did not replay proves nothing, so nothing is compared then.
 */
export async function appraiseKnownGoodLog(
  checks: readonly Check[],
  replays: readonly EventLogReplay[],
  good: Uint8Array,
  crypto: CryptoProvider,
): Promise<ReferenceAppraisal> {
  const expected = await readGood(good, crypto);
  // `set` names the comparison once one was made: then the measurements count as compared (notEstablished).
  const outcome = (claims: Check, diffs: ClaimDiff[], matched: boolean, compared = false): ReferenceAppraisal => ({
    checks: [...checks, claims, ...notApplicable()],
    diffs,
    reference: { name: NAME, set: compared ? 'event log, event by event' : null, matched },
  });
  if ('error' in expected)
    return outcome(fail(R.claims, `The reference file is not a readable event log: ${expected.error}.`, 'MALFORMED_REFERENCE'), [], false);
  const replay = replays.find((r) => r.log.format === expected.view.format);
  if (!replay)
    return outcome(
      fail(
        R.claims,
        `The reference is a known-good ${kind(expected.view)}, but no such log of this evidence was replayed against its signed registers, so there is nothing to compare it with.`,
        'REFERENCE_MISMATCH',
        'Supply the event log of this machine with the evidence (--eventlog), then compare.',
      ),
      [],
      false,
    );
  if (!replay.matched)
    return outcome(
      fail(
        R.claims,
        `${replay.name} does not replay to ${replay.comparedWith}'s values (eventlog.replay), so comparing it with the known-good log would prove nothing.`,
        'REFERENCE_MISMATCH',
      ),
      [],
      false,
    );
  const diff = diffEventLogs(expected.view, replay.log);
  return outcome(diffCheck(replay, diff), diffsOf(diff), diff.same, true);
}

async function readGood(bytes: Uint8Array, crypto: CryptoProvider): Promise<{ view: EventLogView } | { error: string }> {
  try {
    return { view: await inspectEventLog(bytes, crypto) };
  } catch (e) {
    if (isTeeError(e)) return { error: e.message };
    throw e;
  }
}

const kind = (v: EventLogView) => (v.format === 'ccel' ? 'CC event log' : 'TCG event log');

function diffsOf(diff: EventLogDiff): ClaimDiff[] {
  return diff.registers.map((r) => ({ claim: `eventlog.${r.register}`, expected: [r.expected ?? ''], actual: r.actual ?? '', match: r.same }));
}

function diffCheck(replay: EventLogReplay, diff: EventLogDiff): Check {
  const bad = diff.registers.filter((r) => !r.same);
  if (bad.length === 0)
    return pass(
      R.claims,
      `${replay.name} matches the known-good log event by event in every register (${diff.registers.length}, ${diff.bank} bank); it also replays to ${replay.comparedWith}'s values.`,
    );
  // The words quote event data: escaped, since they may be shown in a terminal.
  const words = bad.map((r) => `${r.register.toUpperCase()}: ${escapeControls(r.what ?? 'differs')}`).join('; ');
  return fail(
    R.claims,
    `${bad.length} of ${diff.registers.length} registers differ from the known-good log: ${words}. This machine did not boot what the known-good log describes.`,
    'REFERENCE_MISMATCH',
    'If this boot is an approved change, take its log as the new known-good log; otherwise do not trust this machine.',
  );
}

function notApplicable(): Check[] {
  const why = 'a known-good event log names no minimum, TCB status or debug policy; the default policy applies.';
  return [skip(R.minimum, why), skip(R.tcb, why), skip(R.debug, why)];
}
