import type { ReferenceSummary } from '../../app/report/result.js';

/**
 * One line naming the reference file the verdict used: its name, SHA-256 prefix and signature state, so a
 * reader can tell a signed, checked set from one nobody vouched for.
 */
export function referenceFileLine(file: string, ref: ReferenceSummary): string {
  const digest = ref.sha256 ? ` (sha256:${ref.sha256.slice(0, 16)}…)` : '';
  return `Reference file: ${file}${digest}, ${signatureWords(ref)}`;
}

export function signatureWords(ref: Pick<ReferenceSummary, 'signature'>): string {
  const s = ref.signature;
  if (!s) return 'unsigned';
  if (s.verified && s.keySha256) return `signed (${s.alg}) by key sha256:${s.keySha256} (verified)`;
  return `signed (${s.alg}), signature not checked (no --reference-key)`;
}
