import type { TimelineItem } from '../../../app/collateral/timeline.js';

/** When every dated item of the collateral held at once: from the last one issued to the first one's end. */
export interface CollateralWindow {
  /** Items outside their validity at the verification time. */
  outside: TimelineItem[];
  /** The common window, or undefined when no single time has all of them valid. */
  from?: string;
  to?: string;
}

/** undefined: everything held at the chosen time (nothing to offer). */
export function collateralWindow(timeline: readonly TimelineItem[]): CollateralWindow | undefined {
  const outside = timeline.filter((t) => t.status !== 'valid');
  if (outside.length === 0) return undefined;
  const from = Math.max(...timeline.map((t) => Date.parse(t.issued)));
  const ends = timeline.flatMap((t) => (t.validUntil ? [Date.parse(t.validUntil)] : []));
  const to = ends.length ? Math.min(...ends) : undefined;
  if (to !== undefined && to < from) return { outside };
  return { outside, from: iso(from), ...(to !== undefined ? { to: iso(to) } : {}) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
