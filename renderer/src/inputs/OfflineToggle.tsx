import { useApp, setOffline } from '../store.js';

/** Offline: collateral from the cache only. The banner says so, and names what the last verification lacked. */
export function OfflineToggle() {
  const offline = useApp((s) => s.offline);
  const missing = useApp((s) => s.response?.collateral.missing);
  return (
    <div className="field">
      <label className="switch">
        <input type="checkbox" role="switch" checked={offline} onChange={(e) => setOffline(e.target.checked)} data-testid="offline-toggle" />
        <span>Offline (no network for collateral)</span>
      </label>
      {offline ? (
        <div className="offline-banner" role="status" data-testid="offline-banner">
          <strong>Offline:</strong> collateral from the cache only;{' '}
          {missing === undefined ? (
            'nothing verified yet.'
          ) : missing.length ? (
            <>
              missing: <span data-testid="offline-missing">{missing.join(', ')}</span>.
            </>
          ) : (
            'nothing missing.'
          )}
        </div>
      ) : (
        <em className="hint">Missing collateral is fetched from Intel PCS or AMD KDS and cached.</em>
      )}
    </div>
  );
}
