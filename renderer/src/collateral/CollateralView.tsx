import type { VerifyResponse } from '../../../main/api/types.js';
import type { TimelineItem } from '../../../app/collateral/timeline.js';
import { expiresIn, shortTime } from './humanise.js';

const KIND: Record<TimelineItem['kind'], string> = { 'tcb-info': 'TCB info', 'qe-identity': 'QE identity', crl: 'CRL', certificate: 'Certificate' };
const STATUS: Record<TimelineItem['status'], { text: string; pill: string }> = {
  valid: { text: 'valid', pill: 'pill-good' },
  expired: { text: 'expired', pill: 'pill-bad' },
  'not-yet-valid': { text: 'not yet valid', pill: 'pill-warn' },
};
/** Within this much of its end an item is flagged: Intel's monthly collateral should be refreshed by then. */
const SOON_MS = 7 * 24 * 3600_000;

/** Every dated collateral item of this verification: issued, valid until, how long is left at the "as of" time. */
export function CollateralView({ response }: { response: VerifyResponse }) {
  const c = response.collateral;
  const expired = c.timeline.filter((i) => i.status !== 'valid').length;
  return (
    <section className="card collateral" data-testid="collateral-timeline">
      <h2>
        Collateral timeline{' '}
        <small>
          as of {shortTime(response.result.at)} · {c.timeline.length} items{expired ? ` · ${expired} not valid` : ''}
        </small>
      </h2>
      {c.missing.length > 0 && (
        <p className="notice bad" data-testid="collateral-missing">
          Missing: {c.missing.join(', ')}.{' '}
          {c.offline
            ? 'Offline mode uses the cache only: switch offline off to fetch them, or import a collateral bundle.'
            : 'They could not be fetched; see the notes below.'}
        </p>
      )}
      {c.timeline.length === 0 ? (
        <p className="hint">No dated collateral was used.</p>
      ) : (
        <table className="matrix timeline">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Issuer</th>
              <th scope="col">Issued</th>
              <th scope="col">Valid until</th>
              <th scope="col">Expires</th>
              <th scope="col" title="TCB evaluation data number">
                TCB eval #
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {c.timeline.map((i, n) => (
              <Row key={n} item={i} />
            ))}
          </tbody>
        </table>
      )}
      {c.notes.length > 0 && (
        <div className="notes" data-testid="collateral-notes">
          <h3>Collateral notes</h3>
          <ul>
            {c.notes.map((n, k) => (
              <li key={k}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** Date over time, so the narrow date columns never overlap. */
function When({ iso }: { iso?: string }) {
  const [date, time] = shortTime(iso).split(' ');
  return (
    <span className="when">
      {date}
      {time && <span className="source"> {time} UTC</span>}
    </span>
  );
}

function Row({ item }: { item: TimelineItem }) {
  const soon = item.status === 'valid' && item.expiresInMs !== undefined && item.expiresInMs < SOON_MS;
  const status = STATUS[item.status];
  return (
    <tr className={`tl-${item.status}${soon ? ' tl-soon' : ''}`} data-kind={item.kind} data-status={item.status}>
      <td>
        <span className="tl-kind">{KIND[item.kind]}</span>
        <div className="tl-label">{item.label}</div>
        <div className="source" title={item.source}>
          {item.source}
        </div>
      </td>
      <td>{item.issuer}</td>
      <td>
        <When iso={item.issued} />
      </td>
      <td>
        <When iso={item.validUntil} />
        <div className="source">{item.untilField}</div>
      </td>
      <td data-testid="expires-in">{expiresIn(item.expiresInMs)}</td>
      <td>{item.tcbEvaluationDataNumber ?? '—'}</td>
      <td>
        <span className={`status-pill ${soon ? 'pill-warn' : status.pill}`}>{soon ? 'expires soon' : status.text}</span>
      </td>
    </tr>
  );
}
