import { useApp } from '../store.js';
import { hideHistory, openRun } from './fleet-store.js';
import { VerdictPill } from './VerdictPill.js';
import { shortTime } from '../collateral/humanise.js';

/** One target's recent verifications, newest first, kept locally. */
export function HistoryPanel() {
  const h = useApp((s) => s.historyOf);
  if (!h) {
    return (
      <section className="card">
        <h2>History</h2>
        <p className="hint">Choose "History" on a target to see its recent verifications (kept on this computer).</p>
      </section>
    );
  }
  return (
    <section className="card" data-testid="fleet-history">
      <div className="fleet-head">
        <h2>
          History of {h.name} <small>{h.entries.length} most recent</small>
        </h2>
        <button type="button" className="link" onClick={hideHistory} aria-label="close history">
          ✕
        </button>
      </div>
      {h.entries.length === 0 ? (
        <p className="hint">Not verified yet.</p>
      ) : (
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Verdict</th>
              <th scope="col">TCB</th>
              <th scope="col">Problem</th>
              <th scope="col">Took</th>
            </tr>
          </thead>
          <tbody>
            {h.entries.map((e, i) => (
              <tr key={i} data-history-verdict={e.verdict} onClick={() => openRun({ name: h.name, from: 'history', summary: e })}>
                <td className="nowrap">
                  <button
                    type="button"
                    className="link row-open"
                    onClick={(ev) => (ev.stopPropagation(), openRun({ name: h.name, from: 'history', summary: e }))}
                    data-testid="open-history-entry"
                  >
                    {shortTime(e.time)}
                  </button>
                </td>
                <td>
                  <VerdictPill verdict={e.verdict} tier={e.tier} />
                </td>
                <td>{e.tcbStatus ?? '—'}</td>
                <td>{e.errorCode ?? ''}</td>
                <td className="nowrap">{(e.elapsedMs / 1000).toFixed(1)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
