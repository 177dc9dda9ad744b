import { useEffect, useRef, useState } from 'react';
import type { VerificationResult } from '../../../app/report/result.js';
import { api } from '../api.js';
import { CheckList } from '../checks/CheckList.js';
import { useApp, setTab } from '../store.js';
import { verifyTarget } from '../connect/connect-store.js';
import { closeRun } from './fleet-store.js';
import { VerdictPill } from './VerdictPill.js';
import { shortTime } from '../collateral/humanise.js';

/**
 * One fleet run or history entry, opened from its row. A target of a recent fleet run shows every check of
 * that very run (the API keeps the last runs' results); a history entry is a summary with the first failure's
 * code, so it says so and offers a fresh run whose every check the main view shows.
 */
export function RunDetail() {
  const d = useApp((s) => s.runDetail);
  const verifying = useApp((s) => s.verifying);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [d]);
  const result = useRunResult(d?.jobId, d?.name);
  if (!d) return null;
  const s = d.summary;
  // Worst first: a fleet run's own list, else what the history kept, else the one error that stopped the run.
  const failures = d.errors?.length ? d.errors : s.failures?.length ? s.failures : d.error ? [d.error] : [];
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
      {failures.length ? (
        <ul className="run-failures" data-testid="run-failures">
          {failures.map((e, i) => (
            <li key={`${e.code}:${i}`}>
              {e.message} <span className="code">{e.code}</span>
            </li>
          ))}
        </ul>
      ) : s.errorCode ? (
        <ul className="run-failures" data-testid="run-failures">
          <li>
            <span className="code">{s.errorCode}</span> (this history entry predates the full list of failures)
          </li>
        </ul>
      ) : null}
      {result.checks ? (
        <CheckList checks={result.checks} />
      ) : (
        <p className="hint" data-testid="run-detail-kept">
          {result.why ?? `The history keeps a summary and the first failure of each run, not its checks. To see every check, verify ${d.name} again now.`}
        </p>
      )}
      <button type="button" className="primary" disabled={verifying === d.name} onClick={() => void verifyNow()} data-testid="run-detail-verify">
        Verify {d.name} now and show every check
      </button>
    </section>
  );
}

/** The full result of a fleet run's target, while the API still keeps that run. */
function useRunResult(jobId: string | undefined, name: string | undefined): { checks?: VerificationResult['checks']; why?: string } {
  const [state, setState] = useState<{ checks?: VerificationResult['checks']; why?: string }>({});
  useEffect(() => {
    setState({});
    if (!jobId || !name) return;
    let live = true;
    api.fleetResult({ jobId, name }).then(
      (r) => live && setState({ checks: r.result.checks }),
      (e: unknown) =>
        live && setState({ why: `The checks of this run are no longer kept (${String((e as Error).message ?? e)}): verify ${name} again to see them.` }),
    );
    return () => void (live = false);
  }, [jobId, name]);
  return state;
}
