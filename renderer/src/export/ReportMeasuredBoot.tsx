import type { VerificationResult } from '../../../app/report/result.js';
import { Pill } from '../eventlog/bits.js';
import { RegisterTable } from '../eventlog/RegisterTable.js';
import { LOG_WORDS, eventLogsOf, logState } from '../eventlog/measured-boot.js';
import '../eventlog/eventlog.css';

/**
 * The printed report's measured boot: per event log, whether it replayed to the signed registers, with the
 * register table (the events themselves stay in the app and in the JSON report, which carries the log).
 */
export function ReportMeasuredBoot({ result }: { result: VerificationResult }) {
  const logs = eventLogsOf(result.fields);
  if (logs.length === 0) return null;
  return (
    <section className="card" data-testid="report-measured-boot">
      <h2>Measured boot</h2>
      {logs.map(({ value: replay }) => {
        const { state, check } = logState(replay, result.checks);
        return (
          <div key={replay.name} className="mb-log">
            <h3>
              Event log {replay.name} <small>{replay.log.eventCount} events</small>
            </h3>
            <p>
              <Pill tone={LOG_WORDS[state].tone}>{LOG_WORDS[state].word}</Pill> Compared with {replay.comparedWith}.{check ? ` ${check.explain}` : ''}
            </p>
            <RegisterTable registers={replay.registers} comparedWith={replay.comparedWith} logName={replay.name} />
          </div>
        );
      })}
    </section>
  );
}
