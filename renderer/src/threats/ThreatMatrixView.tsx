import type { VerificationResult } from '../../../app/report/result.js';
import type { ThreatView } from '../../../app/report/report.js';
import { useApp } from '../store.js';
import { ThreatTable } from './ThreatTable.js';

/**
 * The threat rows of the shown verification as its report states them (report.threats), so this view and
 * the trust boundary (also the report's) never contradict each other. `threats` may be passed; otherwise the
 * store's current report is shown.
 */
export function ThreatMatrixView({ threats, result }: { threats?: readonly ThreatView[]; result?: VerificationResult }) {
  const report = useApp((s) => s.response?.report);
  const rows = threats ?? report?.threats;
  const technology = result?.technology ?? report?.result.technology ?? '';
  if (!rows) return <section className="card">No threat matrix: nothing verified yet.</section>;
  return <ThreatTable threats={rows} technology={technology} testid="threat-matrix" />;
}
