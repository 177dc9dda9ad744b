import { isTechnology, technologyName } from '../../app/tee/registry.js';
import type { VerificationResult } from '../../app/report/result.js';
import type { CheckStatus } from '../../app/check.js';

/** notEstablished in plain words. */
const GAPS: Record<string, string> = {
  freshness: 'freshness (no nonce was checked: this could be a replay)',
  measurements: 'measurements (no reference values were compared)',
  revocation: 'revocation (a CRL was not available)',
  'tcb-currency': 'TCB currency (the TCB was not compared with a minimum)',
  'ak-trust': 'attestation-key trust (the TPM key is not tied to hardware or a pinned key)',
};

/** The text report a security officer reads: verdict first, then every check with its reason and fix. */
export function formatText(r: VerificationResult, evidenceName: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const mark: Record<CheckStatus, string> = { pass: paint('32', 'PASS'), fail: paint('31;1', 'FAIL'), warn: paint('33', 'WARN'), skip: paint('90', 'SKIP') };
  const lines: string[] = [];
  const verdict = r.verdict === 'verified' ? paint('32;1', 'VERIFIED') : paint('31;1', 'REJECTED');
  lines.push(`TEE Inspector — ${isTechnology(r.technology) ? technologyName(r.technology) : r.technology} (${r.format})`);
  lines.push(`Evidence:  ${evidenceName}  (${r.evidence.bytes} bytes, sha256 ${r.evidence.sha256})`);
  lines.push(`As of:     ${r.at}`);
  lines.push('');
  lines.push(`Verdict:   ${verdict}   appraisal: ${r.appraisal.tier}   signatures and chains: ${r.cryptoValid ? 'valid' : 'NOT valid'}`);
  if (r.tcb) {
    const adv = r.tcb.advisories.length ? r.tcb.advisories.join(', ') : 'none';
    lines.push(`TCB:       ${r.tcb.status}${r.tcb.date ? ` (TCB date ${r.tcb.date.slice(0, 10)})` : ''}   advisories: ${adv}`);
  }
  for (const e of r.errors) lines.push(`Error:     ${paint('31', e.code)} ${e.message}`);
  if (r.notEstablished.length) lines.push(`Not shown: ${r.notEstablished.map((g) => GAPS[g]).join('; ')}`);
  const noted = r.inputs.filter((i) => i.note);
  if (noted.length) lines.push('', 'Inputs:', ...noted.flatMap((i) => [`  ${i.role.toUpperCase().padEnd(8)} ${i.name}`, ...wrap(i.note!, 11)]));
  lines.push('', 'Checks:');
  for (const c of r.checks) {
    lines.push(`  ${mark[c.status]}  ${c.title}${c.code && c.status !== 'pass' ? `  [${c.code}]` : ''}  (${c.id})`);
    lines.push(...wrap(c.explain, 10));
    if (c.fix && c.status !== 'pass') lines.push(...wrap(`Fix: ${c.fix}`, 10));
  }
  const claims = Object.entries(r.claims).filter(([, v]) => typeof v !== 'object');
  if (claims.length) {
    lines.push('', 'Claims (attested only if the verdict is VERIFIED):');
    const width = Math.max(...claims.map(([k]) => k.length));
    for (const [k, v] of claims) lines.push(`  ${k.padEnd(width)}  ${String(v)}`);
  }
  return lines.join('\n') + '\n';
}

function wrap(text: string, indent: number, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width - indent) {
      out.push(' '.repeat(indent) + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(' '.repeat(indent) + line);
  return out;
}
