import type { VerifyResponse } from '../../../main/api/types.js';
import { useApp, setTab } from '../store.js';
import './connect.css';

/**
 * How the shown result's evidence was obtained, and what became of it. "Bound to a fresh nonce" is said only
 * when the result shows it (freshness established and the signatures valid); every failure is listed in the
 * result's order (worst first), each by its check's title and what that check found.
 */
export function AcquisitionNote() {
  const origin = useApp((s) => s.origin);
  const response = useApp((s) => s.response);
  const a = response?.acquisition;
  if (origin?.kind !== 'target' || !response || !a) return null;
  const failures = failureLines(response);
  return (
    <div className={`notice acquisition-note${failures.length ? ' bad' : ''}`} data-testid="acquisition">
      <p className="acq-line">
        Evidence from <span className="mono">{a.source}</span>
        {a.provider ? ` (${a.provider})` : ''} in {a.elapsedMs} ms, {nonceSentence(response)}
        {a.collateralFromTarget.length ? `; with ${a.collateralFromTarget.join(', ')}` : ''}.{' '}
        <button type="button" className="link" onClick={() => setTab('inspector')}>
          See every check
        </button>
        <button type="button" className="link" onClick={() => setTab('collateral')}>
          Collateral timeline
        </button>
      </p>
      {failures.length > 0 && (
        <ul className="acq-failures" data-testid="acquisition-failures">
          {failures.map((f, i) => (
            <li key={i}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the nonce proved, as the result says it: its freshness gap and whether the signatures hold. */
function nonceSentence(response: VerifyResponse): string {
  const r = response.result;
  if (!response.acquisition?.nonce) return 'without a nonce: nothing proves it is recent';
  if (r.notEstablished.includes('freshness'))
    return 'but the evidence does not carry the fresh 64-byte nonce sent: it may be replayed, nothing proves it is recent';
  if (!r.cryptoValid) return 'with a fresh 64-byte nonce sent, but its binding is not proven: the evidence signatures did not verify';
  return 'bound to a fresh 64-byte nonce';
}

/** "Failed: <check title> — <what it found>" for each error, worst first as the result orders them. */
export function failureLines(response: VerifyResponse): string[] {
  const r = response.result;
  return r.errors.map((e) => {
    const check = e.check ? r.checks.find((c) => c.id === e.check) : undefined;
    return check ? `Failed: ${check.title} — ${check.explain}` : `Failed: ${e.message}`;
  });
}
