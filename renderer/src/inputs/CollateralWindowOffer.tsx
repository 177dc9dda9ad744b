import { useApp, setVerifyAt } from '../store.js';
import { collateralWindow } from './collateral-window.js';

/**
 * Collateral outside its validity at the chosen time: names what, and offers the time when all of it held.
 * Verifying as of then answers "was this evidence good when its collateral was current", not "is it good now".
 */
export function CollateralWindowOffer() {
  const timeline = useApp((s) => (s.origin?.kind === 'files' ? s.response?.collateral.timeline : undefined));
  const w = timeline && collateralWindow(timeline);
  if (!w) return null;
  const what = w.outside.map((t) => `${t.label} (${t.status === 'expired' ? `expired ${day(t.validUntil)}` : `not valid before ${day(t.issued)}`})`);
  return (
    <div className="window-offer" role="status" data-testid="window-offer">
      {w.from ? (
        <>
          This collateral was valid {day(w.from)} to {w.to ? day(w.to) : 'now'}: verify as of then?
          <div>
            <button type="button" onClick={() => setVerifyAt(w.from!)} data-testid="window-offer-use">
              Verify as of {w.from}
            </button>
          </div>
        </>
      ) : (
        'No single time has all of this collateral valid: some of it expired before the rest was issued. Fetch current collateral.'
      )}
      <div className="hint">Outside its validity at this time: {what.join('; ')}.</div>
    </div>
  );
}

function day(iso?: string): string {
  return iso ? iso.slice(0, 10) : '?';
}
