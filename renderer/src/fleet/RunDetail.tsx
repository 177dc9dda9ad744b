import { useEffect, useRef } from 'react';
import { useApp, setTab } from '../store.js';
import { verifyTarget } from '../connect/connect-store.js';
import { closeRun } from './fleet-store.js';
import { VerdictPill } from './VerdictPill.js';
import { shortTime } from '../collateral/humanise.js';

/**
 * One fleet run or history entry, opened from its row: everything the API kept of that run. The API keeps a
 * summary and the first failure per target, not the run's checks, so this says so and offers a fresh run
 * whose every check the main view shows.
 */
export function RunDetail() {
  const d = useApp((s) => s.runDetail);
  const verifying = useApp((s) => s.verifying);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [d]);
  if (!d) return null;
  const s = d.summary;
  const verifyNow = async () => {
    await verifyTarget(d.name);
    setTab('inspector');
  };
  return (
    <section className="card run-detail" data-testid="fleet-run-detail" aria-labelledby="run-detail-title">
      <div className="fleet-head">
        <h2 id="run-detail-title" tabIndex={-1} ref={heading}>
          {d.name}{' '}
          <small>
            {d.from === 'history' ? 'history entry' : 'this fleet run'} · {shortTime(s.time)}
          </small>
        </h2>
        <button type="button" className="link" onClick={closeRun} aria-label="close run details">
          ✕
        </button>
      </div>
      <dl className="run-facts">
        <dt>Verdict</dt>
        <dd>
          <VerdictPill verdict={s.verdict} tier={s.tier} />
        </dd>
        <dt>TCB status</dt>
        <dd>{s.tcbStatus ?? 'not determined'}</dd>
        {s.technology && (
          <>
            <dt>Technology</dt>
            <dd>{s.technology}</dd>
          </>
        )}
        {d.source && (
          <>
            <dt>Source</dt>
            <dd className="mono">{d.source}</dd>
          </>
        )}
        {s.elapsedMs !== undefined && (
          <>
            <dt>Took</dt>
            <dd>{(s.elapsedMs / 1000).toFixed(1)} s</dd>
          </>
        )}
      </dl>
      {d.error ? (
        <ul className="run-failures" data-testid="run-failures">
          <li>
            {d.error.message} <span className="code">{d.error.code}</span>
          </li>
        </ul>
      ) : s.errorCode ? (
        <ul className="run-failures" data-testid="run-failures">
          <li>
            <span className="code">{s.errorCode}</span> (the history keeps only the first failure's code)
          </li>
        </ul>
      ) : null}
      <p className="hint" data-testid="run-detail-kept">
        The app keeps a summary and the first failure of each run, not its checks. To see every check, verify {d.name} again now.
      </p>
      <button type="button" className="primary" disabled={verifying === d.name} onClick={() => void verifyNow()} data-testid="run-detail-verify">
        Verify {d.name} now and show every check
      </button>
    </section>
  );
}
