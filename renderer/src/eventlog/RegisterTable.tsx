import type { RegisterComparison } from '../../../app/tee/eventlog/compare.js';
import { Pill, CopyValue } from './bits.js';
import { registerLabel, registerWords } from './measured-boot.js';

/** Every register of one log: the replay result in words, the replayed and signed values in full, the event count. */
export function RegisterTable({ registers, comparedWith, logName }: { registers: RegisterComparison[]; comparedWith: string; logName: string }) {
  return (
    <table className="matrix mb-registers" data-testid="register-table">
      <caption className="sr-only">Replay of {logName} per register</caption>
      <thead>
        <tr>
          <th scope="col">Register</th>
          <th scope="col">Replay result</th>
          <th scope="col">Replayed from the log</th>
          <th scope="col">Signed by {comparedWith}</th>
          <th scope="col">Events</th>
        </tr>
      </thead>
      <tbody>
        {registers.map((r) => {
          const w = registerWords(r);
          return (
            <tr key={r.register} data-register={r.register} data-status={r.status}>
              <th scope="row">{registerLabel(r.register)}</th>
              <td>
                <Pill tone={w.tone}>{w.word}</Pill>
                <div className="mb-meaning">{w.meaning}</div>
              </td>
              <td>
                {r.replayed ? (
                  <CopyValue label={`${registerLabel(r.register)} replayed`} value={r.replayed} />
                ) : (
                  <span className="mb-muted">not extended by the log</span>
                )}
              </td>
              <td>
                {r.signed ? <CopyValue label={`${registerLabel(r.register)} signed`} value={r.signed} /> : <span className="mb-muted">no signed value</span>}
              </td>
              <td className="mb-count">{r.events}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
