import type { ThreatStatus, ThreatView } from '../../../app/report/report.js';

const STATUS: Record<ThreatStatus, { label: string; pill: string }> = {
  mitigated: { label: 'mitigated', pill: 'pill-good' },
  'open-by-policy': { label: 'open by policy', pill: 'pill-bad' },
  'not-mitigated': { label: 'NOT mitigated', pill: 'pill-bad' },
  'no-tee-mitigates': { label: 'no TEE mitigates', pill: 'pill-none' },
};

/** The report's threat rows (report.threats) as stated there, each citing its source document by title and author. */
export function ReportThreats({ threats }: { threats: ThreatView[] }) {
  return (
    <section className="card" data-testid="report-threats">
      <h2>
        Threat matrix <small>as stated in the report</small>
      </h2>
      <table className="matrix">
        <thead>
          <tr>
            <th>Threat</th>
            <th>This instance</th>
            <th>Because</th>
          </tr>
        </thead>
        <tbody>
          {threats.map((t) => (
            <tr key={t.id} data-threat={t.id} data-status={t.status}>
              <td>
                <strong>{t.title}</strong>
                <div className="source">
                  {t.source.title} — {t.source.author}
                  {t.source.locator ? `, ${t.source.locator}` : ''}
                </div>
              </td>
              <td>
                <span className={`status-pill ${STATUS[t.status].pill}`}>{STATUS[t.status].label}</span>
              </td>
              <td>{t.because}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
