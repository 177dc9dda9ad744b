import { generalRows } from './general.js';
import { SEV_COLUMNS, SEV_ROWS, SNP_PRODUCT_ROWS } from './sev.js';
import { SGX_HISTORY, SGX_ROWS } from './sgx.js';
import { TDX_ROWS } from './tdx.js';
import { azureRows, TPM_ROWS } from './azure.js';
import type { Mitigation, Technology, ThreatRow, ThreatTable } from './types.js';
import { TECHNOLOGIES } from '../tee/registry.js';

export { GENERAL_ROWS } from './general.js';
export { SEV_COLUMNS, SEV_ROWS, SNP_PRODUCT_ROWS } from './sev.js';
export { SGX_HISTORY, SGX_ROWS } from './sgx.js';
export { TDX_ROWS } from './tdx.js';

const SPEC: Readonly<Record<Technology, { columns: readonly string[]; column: string; rows: readonly ThreatRow[] }>> = {
  sgx: { columns: ['SGX'], column: 'SGX', rows: [...SGX_ROWS, ...SGX_HISTORY] },
  tdx: { columns: ['TDX'], column: 'TDX', rows: TDX_ROWS },
  'sev-snp': { columns: SEV_COLUMNS, column: 'SEV-SNP', rows: [...SEV_ROWS, ...SNP_PRODUCT_ROWS] },
  'azure-snp-vtpm': { columns: SEV_COLUMNS, column: 'SEV-SNP', rows: [...SEV_ROWS, ...SNP_PRODUCT_ROWS, ...azureRows('SEV-SNP')] },
  'azure-tdx-vtpm': { columns: ['TDX'], column: 'TDX', rows: [...TDX_ROWS, ...azureRows('TDX')] },
  tpm: { columns: ['TPM'], column: 'TPM', rows: TPM_ROWS },
};

/**
 * The threat table for one technology: its own rows first, then the general ones. General rows hold for
 * every TEE, so their single value is spread over the table's columns.
 */
export function threatTable(technology: Technology): ThreatTable {
  const s = SPEC[technology];
  const spread = (r: ThreatRow): ThreatRow => {
    const v: Mitigation = Object.values(r.mitigatedBy)[0] ?? 'not-mitigated';
    return { ...r, mitigatedBy: Object.fromEntries(s.columns.map((c) => [c, v])) };
  };
  return { technology, columns: s.columns, column: s.column, rows: [...s.rows, ...generalRows(technology).map(spread)] };
}

/** Every row of every table once (general rows once), e.g. to check citations. */
export function allThreatRows(): ThreatRow[] {
  const seen = new Set<string>();
  const out: ThreatRow[] = [];
  for (const t of TECHNOLOGIES) {
    for (const r of threatTable(t).rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
  }
  return out;
}

/** The SGX history row (000) for an Intel advisory id, if the seed table has that attack. */
export function historyFor(advisory: string): ThreatRow | undefined {
  return SGX_HISTORY.find((r) => r.history?.advisories?.includes(advisory));
}
