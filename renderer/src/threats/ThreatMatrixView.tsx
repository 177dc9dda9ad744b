import type { VerificationResult } from '../../../app/report/result.js';
import { threatMatrix } from '../../../app/threat/matrix.js';
import { citation } from '../../../app/threat/seeds.js';
import type { InstanceStatus, Mitigation } from '../../../app/threat/types.js';

const STATUS: Record<InstanceStatus, { label: string; pill: string }> = {
  mitigated: { label: 'mitigated', pill: 'pill-good' },
  'not-mitigated': { label: 'NOT mitigated', pill: 'pill-bad' },
  'open-by-policy': { label: 'open by policy', pill: 'pill-bad' },
  'open-tcb': { label: 'open: TCB', pill: 'pill-warn' },
  'not-by-any-tee': { label: 'no TEE mitigates', pill: 'pill-none' },
  unknown: { label: 'unknown', pill: 'pill-none' },
};
const MITIGATION: Record<Mitigation, string> = { mitigated: '✓', optional: '★', 'not-mitigated': '⊘' };

/** The seeds' threat tables for this technology, each row tied to what this evidence proves or leaves open. */
export function ThreatMatrixView({ result }: { result: VerificationResult }) {
  const m = threatMatrix(result);
  return (
    <section className="card" data-testid="threat-matrix">
      <h2>
        Threat matrix{' '}
        <small>
          {m.column ?? result.technology} ·{' '}
          {Object.entries(m.counts)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${STATUS[k as InstanceStatus].label}`)
            .join(' · ')}
        </small>
      </h2>
      {m.note && <p>{m.note}</p>}
      {m.openAdvisories.length > 0 && (
        <p>
          Open Intel advisories for this platform's TCB: <strong>{m.openAdvisories.join(', ')}</strong>
        </p>
      )}
      <table className="matrix">
        <thead>
          <tr>
            <th>Threat</th>
            <th>{m.column ?? 'Technology'} (by design)</th>
            <th>This instance</th>
            <th>Because</th>
          </tr>
        </thead>
        <tbody>
          {m.rows.map((r) => (
            <tr key={r.row.id} data-threat={r.row.id} data-status={r.instanceStatus}>
              <td>
                <strong>{r.row.threat}</strong>
                {r.row.example && <div className="source">e.g. {r.row.example}</div>}
                <div className="source">{r.row.source === 'product' ? `product: ${r.row.justification ?? ''}` : citation(r.row.source)}</div>
              </td>
              <td title={r.byTechnology}>
                {MITIGATION[r.byTechnology]} {r.byTechnology}
              </td>
              <td>
                <span className={`status-pill ${STATUS[r.instanceStatus].pill}`}>{STATUS[r.instanceStatus].label}</span>
              </td>
              <td>{r.because}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="source">Legend (from the seed tables): ✓ mitigated · ★ optionally mitigated · ⊘ not mitigated.</p>
    </section>
  );
}
