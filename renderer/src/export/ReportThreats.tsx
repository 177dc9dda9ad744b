import type { ThreatView } from '../../../app/report/report.js';
import { ThreatTable } from '../threats/ThreatTable.js';

/** The report's threat rows (report.threats) in the export: the app view's own table. */
export function ReportThreats({ threats, technology }: { threats: ThreatView[]; technology: string }) {
  return <ThreatTable threats={threats} technology={technology} testid="report-threats" />;
}
