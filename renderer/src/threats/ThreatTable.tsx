import type { ThreatView } from '../../../app/report/report.js';
import { threatMatrixFor } from '../../../app/threat/matrix.js';
import { asTechnology } from '../../../app/threat/seeds.js';
import type { Mitigation } from '../../../app/threat/types.js';
import { citeThreatSource } from './cite.js';
import { countByStatus, mergeThreats, STATUS_LABEL, STATUS_PILL, statusLabel } from './threat-rows.js';
import './threats.css';

const MITIGATION: Readonly<Record<Mitigation, string>> = { mitigated: '✓ mitigated', optional: '★ optionally', 'not-mitigated': '⊘ not mitigated' };

/**
 * The report's threat rows (report.threats), duplicates merged, each citing its source document by title
 * and author. The "by design" column is the seed table's own (no evidence involved); "this instance" is the
 * report's. The app's view and the export both render this.
 */
export function ThreatTable({ threats, technology, testid }: { threats: readonly ThreatView[]; technology: string; testid: string }) {
  const lines = mergeThreats(threats);
  const tech = asTechnology(technology);
  const table = tech ? threatMatrixFor(tech) : undefined;
  const design = new Map(table?.rows.map((r) => [r.row.id, r]) ?? []);
  const column = table?.column ?? technology;
  return (
    <section className="card threats" data-testid={testid}>
      <h2>
        Threat matrix{' '}
        <small>
          {column} ·{' '}
          {countByStatus(lines)
            .map(([s, n]) => `${n} ${STATUS_LABEL[s]}`)
            .join(' · ')}{' '}
          · as stated in the report
        </small>
      </h2>
      <table className="matrix">
        <thead>
          <tr>
            <th>Threat</th>
            <th>{column} (by design)</th>
            <th>This instance</th>
            <th>Because</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const d = design.get(l.id);
            return (
              <tr key={l.id} data-threat={l.id} data-status={l.status} data-merged={l.ids.length > 1 ? l.ids.join(' ') : undefined}>
                <td>
                  <strong>{l.title}</strong>
                  {d?.row.example && <div className="source">e.g. {d.row.example}</div>}
                  {l.sources.map((s) => (
                    <div key={`${s.title}:${s.locator ?? ''}`} className="source">
                      {citeThreatSource(s)}
                    </div>
                  ))}
                </td>
                <td className="by-design">{d ? MITIGATION[d.byTechnology] : '—'}</td>
                <td>
                  <span className={`status-pill ${STATUS_PILL[l.status]}`}>{statusLabel(l)}</span>
                </td>
                <td>
                  {l.because.map((b) => (
                    <p key={b} className="because">
                      {b}
                    </p>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="source">
        Legend: “by design” is the source table’s verdict for {column} (✓ mitigated · ★ optionally mitigated · ⊘ not mitigated); “this instance” is what this
        evidence establishes. “open: not established” means the evidence does not show it is mitigated, e.g. because no reference value, nonce or minimum TCB
        was given.
      </p>
    </section>
  );
}
