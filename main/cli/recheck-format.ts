import type { RecheckOutcome, RecheckSummary } from '../../app/report/recheck.js';

/** What recheck says about an EAR token it was given. */
export interface TokenNote {
  alg: string;
  signatureVerified: boolean;
  claims: Record<string, unknown>;
}

/** The text form of a recheck: the answer first, then what was compared, then every difference. */
export function formatRecheck(o: RecheckOutcome & { token?: TokenNote }, file: string): string {
  const lines = [`TEE Inspector recheck — ${file}`, `Re-verified at: ${o.at}`, ''];
  lines.push(o.agrees ? 'Result:    AGREES — the inputs are intact and re-verify to the recorded result' : 'Result:    DOES NOT AGREE');
  if (o.token) {
    lines.push(`Token:     ${o.token.alg}, signature ${o.token.signatureVerified ? 'verified with the key given' : 'NOT verified'}`);
    const submods = o.token.claims['submods'] as Record<string, { status: string; trustVector: Record<string, number> }> | undefined;
    for (const [name, s] of Object.entries(submods ?? {}))
      lines.push(
        `           ${name}: ear.status ${s.status}; ${
          Object.entries(s.trustVector)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || 'no trustworthiness claims'
        }`,
      );
  }
  lines.push(`Recorded:  ${line(o.recorded)}`);
  lines.push(`Recheck:   ${o.recomputed ? line(o.recomputed) : 'not re-verified (see errors)'}`);
  for (const e of o.errors) lines.push(`Error:     ${e.code} ${e.message}`);
  return lines.join('\n') + '\n';
}

function line(s: RecheckSummary): string {
  const failing = s.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  return `${s.verdict}, ${s.tier}, signatures ${s.cryptoValid ? 'valid' : 'NOT valid'}, TCB ${s.tcbStatus ?? 'none'}, ${s.checks.length} checks${failing.length ? ` (failing: ${failing.join(', ')})` : ''}${s.errors.length ? `, errors ${s.errors.join(', ')}` : ''}`;
}
