import type { ThreatSource, ThreatStatus, ThreatView } from '../../../app/report/report.js';

/**
 * The report's threat rows (report.threats) made ready to read: rows naming the same threat (same id, or
 * the same title from two seed documents) become one row citing every source, with the worse status.
 * Pure; nothing here judges a threat, it only groups what the report says.
 */
export interface ThreatLine {
  id: string;
  /** Every report row merged into this one. */
  ids: string[];
  title: string;
  status: ThreatStatus;
  because: string[];
  sources: ThreatSource[];
}

export const STATUS_LABEL: Readonly<Record<ThreatStatus, string>> = {
  mitigated: 'mitigated',
  'open-by-policy': 'open: not established',
  'not-mitigated': 'NOT mitigated',
  'no-tee-mitigates': 'no TEE mitigates',
};

export const STATUS_PILL: Readonly<Record<ThreatStatus, string>> = {
  mitigated: 'pill-good',
  'open-by-policy': 'pill-warn',
  'not-mitigated': 'pill-bad',
  'no-tee-mitigates': 'pill-none',
};

/** Higher is worse: a merged row keeps the worst of what its parts say. */
const SEVERITY: Readonly<Record<ThreatStatus, number>> = { mitigated: 0, 'no-tee-mitigates': 1, 'open-by-policy': 2, 'not-mitigated': 3 };

export function mergeThreats(threats: readonly ThreatView[]): ThreatLine[] {
  const out: ThreatLine[] = [];
  const byKey = new Map<string, ThreatLine>();
  for (const t of threats) {
    const seen = byKey.get(`id:${t.id}`) ?? byKey.get(`title:${titleKey(t.title)}`);
    if (seen) {
      merge(seen, t);
    } else {
      const line: ThreatLine = { id: t.id, ids: [t.id], title: t.title, status: t.status, because: [t.because], sources: [t.source] };
      out.push(line);
      byKey.set(`title:${titleKey(t.title)}`, line);
    }
    byKey.set(`id:${t.id}`, seen ?? byKey.get(`title:${titleKey(t.title)}`)!);
  }
  return out;
}

function merge(line: ThreatLine, t: ThreatView): void {
  if (!line.ids.includes(t.id)) line.ids.push(t.id);
  if (SEVERITY[t.status] > SEVERITY[line.status]) line.status = t.status;
  if (!line.because.includes(t.because)) line.because.push(t.because);
  if (!line.sources.some((s) => s.title === t.source.title && s.locator === t.source.locator)) line.sources.push(t.source);
}

function titleKey(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The row's label: a not-mitigated row the report folded from "not established" says so. */
export function statusLabel(line: ThreatLine): string {
  if (line.status === 'not-mitigated' && line.because.every((b) => b.startsWith('Not established'))) return 'not established (counted as NOT mitigated)';
  return STATUS_LABEL[line.status];
}

export function countByStatus(lines: readonly ThreatLine[]): [ThreatStatus, number][] {
  const order: ThreatStatus[] = ['mitigated', 'open-by-policy', 'not-mitigated', 'no-tee-mitigates'];
  return order.map((s) => [s, lines.filter((l) => l.status === s).length] as [ThreatStatus, number]).filter(([, n]) => n > 0);
}
