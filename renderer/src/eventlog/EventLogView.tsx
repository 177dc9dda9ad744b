import type { Check } from '../../../app/check.js';
import { Pill } from './bits.js';
import { RegisterTable } from './RegisterTable.js';
import { RegisterEvents } from './RegisterEvents.js';
import { LOG_WORDS, groupByRegister, logState } from './measured-boot.js';
import type { ShownReplay } from './measured-boot.js';

const FORMAT: Record<string, string> = { ccel: 'CC event log (RTMRs, SHA-384)', tcg: 'TCG PC Client event log (PCRs)' };

/** One event log: whether it was compared and matched, its registers, then each register's events. */
export function EventLogView({ replay, checks }: { replay: ShownReplay; checks: readonly Check[] }) {
  const { state, check } = logState(replay, checks);
  const w = LOG_WORDS[state];
  const log = replay.log;
  return (
    <section className="card mb-log" data-testid="event-log" data-log={replay.name} data-state={state}>
      <h2>
        Event log {replay.name}{' '}
        <small>
          {FORMAT[log.format] ?? log.format}, {log.eventCount} events
        </small>
      </h2>
      <p className={`notice ${state === 'matched' ? 'good' : state === 'mismatch' ? 'bad' : ''}`} data-testid="log-state">
        <Pill tone={w.tone}>{w.word}</Pill> Compared with {replay.comparedWith}.{check ? ` ${check.explain}` : ' No replay check ran for this log.'}
      </p>
      <p className="mb-honesty">
        Decoded meanings are read from the log&apos;s own data. An event&apos;s meaning is <q>verified data</q> only when its register replays to the signed
        value and its digest is the hash of its data; everything else is unverified data, and the event type is never evidence.
      </p>
      <RegisterTable registers={replay.registers} comparedWith={replay.comparedWith} logName={replay.name} />
      {groupByRegister(replay).map((g) => (
        <RegisterEvents key={g.register ?? '-'} group={g} replay={replay} state={state} />
      ))}
    </section>
  );
}
