import { citation } from '../../../app/threat/seeds.js';
import type { Source } from '../../../app/threat/types.js';
import type { ThreatSource } from '../../../app/report/report.js';

/** A seed document cited by title and author (never by its file name), with the slide or section. */
export function citeSource(s: Source): string {
  return citation(s);
}

/** The report's own source form (report.threats[].source): title — author, locator. */
export function citeThreatSource(s: ThreatSource): string {
  if (s.title === s.author && !s.locator) return `${s.title} (not in the source documents)`;
  return `${s.title} — ${s.author}${s.locator ? `, ${s.locator}` : ''}`;
}
