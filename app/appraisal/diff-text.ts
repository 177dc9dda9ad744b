import type { ClaimDiff, VerificationResult } from '../report/result.js';
import { escapeControls } from '../text/sanitize.js';

/**
 * The reference diff as plain text lines, for the CLI and text exports: one block per claim with
 * the actual value and every allowed value under it, so long hex values stay comparable by eye.
 * `paint` adds colour where the caller wants it (ANSI codes '32' green, '31;1' bold red).
 */
export function referenceDiffLines(
  r: Pick<VerificationResult, 'appraisal' | 'technology'>,
  paint: (code: string, s: string) => string = (_c, s) => s,
): string[] {
  const ref = r.appraisal.reference;
  if (!ref) return [];
  const head = `Reference values: "${ref.name}"`;
  if (ref.set === null) return [`${head}: ${paint('31;1', 'NO SET')} for ${r.technology} evidence`];
  const diffs = r.appraisal.diffs;
  const ok = diffs.filter((d) => d.match).length;
  const verdict = ref.matched ? paint('32;1', 'MATCH') : paint('31;1', 'MISMATCH');
  const lines = [`${head}, set "${ref.set}": ${verdict} (${ok} of ${diffs.length} claims as expected)`];
  const width = Math.max(...diffs.map((d) => d.claim.length), 5);
  for (const d of diffs) lines.push(...claimLines(d, width, paint));
  return lines;
}

function claimLines(d: ClaimDiff, width: number, paint: (code: string, s: string) => string): string[] {
  const mark = d.match ? paint('32', 'match') : paint('31;1', 'DIFF ');
  const pad = ' '.repeat(2 + 5 + 2 + width + 2);
  const lines = [`  ${mark}  ${d.claim.padEnd(width)}  actual    ${d.actual === '' ? '(absent from the evidence)' : d.actual}`];
  d.expected.forEach((e, i) => lines.push(`${pad}${i === 0 ? 'expected  ' : '          '}${e}`));
  // Event-log claims: where the value was measured and, for a mismatch, the input that explains it. The
  // detail quotes unverified event data, so control characters are escaped.
  if (d.source)
    lines.push(
      `${pad}measured  ${escapeControls(`${d.source.register.toUpperCase()}, event ${d.source.event}${d.source.detail ? ` (${d.source.detail})` : ''}`)}`,
    );
  if (d.explainedBy) lines.push(`${pad}because   ${escapeControls(d.explainedBy)}`);
  return lines;
}
