import type { TrustBoundaryView } from '../../../app/report/report.js';
import { BoundaryLayers } from '../diagram/BoundaryLayers.js';

/** The report's own trust boundary in the export: the app view's component, every value printed in full. */
export function ReportBoundary({ boundary }: { boundary: TrustBoundaryView }) {
  return <BoundaryLayers boundary={boundary} testid="report-trust-boundary" full />;
}
