/** "in 3 days", "2 hours ago": a duration the way people say it, to the largest whole unit that fits. */
const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'year'],
  [30 * 24 * 3600_000, 'month'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

export function duration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a second';
}

/** Relative to the verification time ("as of"): "in 12 days", "expired 3 hours ago". */
export function expiresIn(ms: number | undefined): string {
  if (ms === undefined) return 'no end date';
  return ms >= 0 ? `in ${duration(ms)}` : `expired ${duration(ms)} ago`;
}

/** ISO time shown compactly in UTC: 2025-07-19 10:00 UTC. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}
