import type { VerificationResult } from '../../../app/report/result.js';
import type { TrustBoundaryView as BoundaryModel } from '../../../app/report/report.js';
import { useApp } from '../store.js';
import { BoundaryLayers } from './BoundaryLayers.js';

/**
 * The trust boundary of the shown verification, exactly as its report states it (report.trustBoundary):
 * the view computes no state of its own, so it and the threat matrix (also from the report) agree.
 * `boundary` may be passed; otherwise the store's current report is drawn. `result` is accepted for the
 * caller's sake and only used to say when there is no report.
 */
export function TrustBoundaryView({ boundary, result }: { boundary?: BoundaryModel; result?: VerificationResult }) {
  const fromStore = useApp((s) => s.response?.report.trustBoundary);
  const shown = boundary ?? fromStore;
  if (!shown) return <section className="card">No trust boundary: {result ? `the report for ${result.technology} has none` : 'nothing verified yet'}.</section>;
  return <BoundaryLayers boundary={shown} testid="trust-boundary" />;
}
