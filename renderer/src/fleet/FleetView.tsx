import { useEffect } from 'react';
import type { FleetRow, TargetView } from '../../../main/api/types.js';
import { useApp, setTab } from '../store.js';
import { loadTargets, askHostKey } from '../connect/connect-store.js';
import { cancelFleet, openRun, showHistory, startFleet } from './fleet-store.js';
import type { RunDetail as Detail } from './fleet-store.js';
import { RunDetail } from './RunDetail.js';
import './fleet.css';
import { VerdictPill } from './VerdictPill.js';
import { SchedulePanel } from './SchedulePanel.js';
import { HistoryPanel } from './HistoryPanel.js';
import { shortTime } from '../collateral/humanise.js';

/** Every saved target at once: a run with bounded parallelism, its progress, each target's latest result and history. */
export function FleetView() {
  const targets = useApp((s) => s.targets);
  const job = useApp((s) => s.fleetJob);
  const error = useApp((s) => s.fleetError);
  const message = useApp((s) => s.connectMessage);
  const running = job?.state === 'running';
  useEffect(() => void loadTargets(), []);
  const rows = new Map(job?.rows.map((r) => [r.name, r]));
  return (
    <div className="fleet">
      <section className="card">
        <div className="fleet-head">
          <h2>
            Fleet{' '}
            <small>
              {targets.length} saved target{targets.length === 1 ? '' : 's'}
            </small>
          </h2>
          <div className="form-actions">
            <button type="button" className="primary" disabled={running || targets.length === 0} onClick={() => void startFleet()} data-testid="fleet-start">
              Verify all
            </button>
            <button type="button" disabled={!running} onClick={() => void cancelFleet()} data-testid="fleet-cancel">
              Cancel
            </button>
          </div>
        </div>
        {targets.length === 0 && (
          <p className="hint">
            No saved targets.{' '}
            <button type="button" className="link" onClick={() => setTab('connect')}>
              Add one in Connect
            </button>
            .
          </p>
        )}
        {job && <Progress done={job.done} total={job.total} state={job.state} />}
        {(error || job?.error) && (
          <p className="notice bad" role="alert">
            {error ?? job?.error}
          </p>
        )}
        {message && (
          <p className={`notice ${message.kind === 'error' ? 'bad' : 'good'}`} role="status">
            {message.text}
          </p>
        )}
        {targets.length > 0 && (
          <table className="matrix fleet-table" data-testid="fleet-table">
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">This run</th>
                <th scope="col">Verdict</th>
                <th scope="col">TCB</th>
                <th scope="col">Last verified</th>
                <th scope="col">
                  <span className="sr-only">History</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => (
                <Row key={t.name} t={t} row={rows.get(t.name)} {...(job ? { jobId: job.jobId } : {})} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <RunDetail />
      <SchedulePanel />
      <HistoryPanel />
    </div>
  );
}

function Progress({ done, total, state }: { done: number; total: number; state: string }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <div className="progress-wrap" data-testid="fleet-progress" data-done={done} data-total={total} data-state={state}>
      <div className="progress" role="progressbar" aria-label="Fleet verification" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text" data-testid="fleet-progress-text">
        {done}/{total} {state === 'running' ? 'verifying…' : state === 'cancelled' ? 'cancelled' : 'done'}
      </span>
    </div>
  );
}

/** This run's state for the target if it is part of one, else the last saved result; the row opens that run. */
function Row({ t, row, jobId }: { t: TargetView; row?: FleetRow; jobId?: string }) {
  const shown = row?.state === 'done' ? row : undefined;
  const latest = shown ?? t.latest;
  const err = shown?.error;
  const detail: Detail | undefined = latest
    ? {
        name: t.name,
        from: shown ? 'fleet run' : 'history',
        summary: latest,
        ...(shown?.source ? { source: shown.source } : {}),
        ...(err && !row?.cancelled ? { error: err } : {}),
        ...(shown?.errors ? { errors: shown.errors } : {}),
        ...(shown && jobId && shown.verdict !== 'error' ? { jobId } : {}),
      }
    : undefined;
  const open = () => detail && openRun(detail);
  return (
    <tr data-fleet-row={t.name} data-state={row?.state ?? 'idle'} onClick={open}>
      <td>
        {detail ? (
          <button type="button" className="link row-open" onClick={(e) => (e.stopPropagation(), open())} data-testid={`open-run-${t.name}`}>
            {t.name}
          </button>
        ) : (
          <strong>{t.name}</strong>
        )}
        <div className="source mono">{t.url}</div>
      </td>
      <td>
        {row ? (
          row.state === 'done' ? (
            row.cancelled ? (
              'cancelled'
            ) : (
              `${Math.round((row.elapsedMs ?? 0) / 100) / 10} s`
            )
          ) : row.state === 'running' ? (
            <span className="spinner">verifying…</span>
          ) : (
            'queued'
          )
        ) : (
          '—'
        )}
      </td>
      <td>
        <VerdictPill verdict={latest?.verdict} tier={latest?.tier} />
        {err &&
          !row?.cancelled &&
          (shown?.errors ?? [err]).map((e, i) => (
            <div className="row-failure" data-testid="row-failure" key={`${e.code}:${i}`}>
              {e.message} <span className="code">{e.code}</span>
            </div>
          ))}
        {!shown && latest?.errorCode && <div className="error small">{latest.errorCode}</div>}
        {err?.detail && err.code === 'HOST_KEY_UNKNOWN' && (
          <button type="button" className="link" onClick={(e) => (e.stopPropagation(), askHostKey({ ...err.detail!, code: 'HOST_KEY_UNKNOWN' }))}>
            Confirm host key…
          </button>
        )}
      </td>
      <td>{latest?.tcbStatus ?? '—'}</td>
      <td className="nowrap">{shortTime(latest?.time)}</td>
      <td>
        <button type="button" className="link" onClick={(e) => (e.stopPropagation(), void showHistory(t.name))} data-testid={`history-${t.name}`}>
          History
        </button>
      </td>
    </tr>
  );
}
