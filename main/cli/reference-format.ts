import type { ValueProvenanceJson } from '../../app/appraisal/create-reference.js';
import { escapeControls } from '../../app/text/sanitize.js';
import type { Created } from './reference-command.js';

/** What was added, to which set, and where each value came from; then what was kept rather than changed. */
export function formatCreated(c: Created): string {
  const set = c.file.sets.find((s) => s.name === c.set);
  const claims = Object.entries(c.added);
  const lines = [
    `${c.written ? `wrote ${c.written}` : 'reference file on standard output'}${c.signed ? ' (signed, JWS)' : ''}: set "${c.set}" (${set?.technology ?? '?'}) in "${c.file.name}"`,
    claims.length ? 'added:' : 'added nothing: every value was already allowed',
    ...claims.flatMap(([claim, values]) => values.map((v) => `  ${claim} ${String(v)}`)),
  ];
  const entries = (set?.provenance ?? []).filter((p) => Object.entries(p.claims).some(([claim, v]) => c.added[claim]?.includes(v)));
  if (entries.length) lines.push('provenance:', ...entries.map(provenanceLine));
  lines.push(...c.notes.map((n) => `note: ${n}`));
  if (set?.technology && entries.some((p) => p.evidence && p.evidence.verdict !== 'verified'))
    lines.push('note: a report was rejected as a whole (its signatures verified): make sure this workload is the one you approve');
  lines.push('review the values before you rely on them');
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}

function provenanceLine(p: ValueProvenanceJson): string {
  const what = Object.keys(p.claims).join(', ');
  if (p.evidence)
    return `  ${what}: evidence sha256 ${p.evidence.sha256} (${p.evidence.format}), verified as of ${p.evidence.at}: ${p.evidence.verdict}, ${p.evidence.tier}`;
  const inputs = (p.inputs ?? []).map((i) => `${i.role} ${i.name} sha256 ${i.sha256}`).join(', ');
  const params = Object.entries(p.parameters ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  return `  ${what}: ${p.method ?? p.source}${inputs ? `; ${inputs}` : ''}${params ? `; ${params}` : ''}`;
}
