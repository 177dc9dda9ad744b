import type { VerificationResult } from '../report/result.js';
import { factsOf } from './facts.js';
import type { Facts } from './facts.js';
import { judgeRow } from './rules.js';
import { seed } from './seeds.js';
import { historyFor, threatTable } from './tables.js';
import type { InstanceStatus, MatrixRow, Technology, ThreatMatrix, ThreatRow } from './types.js';

export const INSTANCE_STATUSES: readonly InstanceStatus[] = ['mitigated', 'not-mitigated', 'open-by-policy', 'open-tcb', 'not-by-any-tee', 'unknown'];

/**
 * The threat rows of result.technology, each tied to what this evidence proved. Advisories of a TCB
 * status other than UpToDate become 'open-tcb' rows, unless a table row (the SGX history) already names them.
 */
export function threatMatrix(result: VerificationResult): ThreatMatrix {
  const f = factsOf(result);
  if (!f.technology) {
    return {
      technology: null,
      column: null,
      rows: [],
      openAdvisories: [],
      counts: count([]),
      note: `No threat table for technology "${result.technology}": the evidence could not be read or is not SGX, TDX or SEV-SNP.`,
    };
  }
  const table = threatTable(f.technology);
  const rows: MatrixRow[] = table.rows.map((row) => {
    const by = row.mitigatedBy[table.column] ?? 'not-mitigated';
    const { status, because, basis } = judgeRow({ row, by, column: table.column, technology: table.technology }, f);
    return { row, byTechnology: by, instanceStatus: status, because, basis };
  });
  const open = openAdvisories(f);
  const covered = new Set(rows.filter((r) => r.instanceStatus === 'open-tcb').flatMap((r) => r.row.history?.advisories ?? []));
  for (const id of open) if (!covered.has(id)) rows.push(advisoryRow(id, table.column, f));
  return { technology: f.technology, column: table.column, rows, openAdvisories: open, counts: count(rows) };
}

/** Advisory ids this evidence leaves open: those of a TCB status other than UpToDate, when the appraisal can be relied on. */
function openAdvisories(f: Facts): string[] {
  if (!f.cryptoValid || f.doubt.length > 0 || !f.tcb || f.tcb.status === 'UpToDate') return [];
  return [...f.tcb.advisories];
}

const KNOWN_VULNERABILITIES = seed('002_e574538adb639cf8.txt', 'Are the secure enclave technologies secure?', 'are the known vulnerabilities patched?');

function advisoryRow(id: string, column: string, f: Facts): MatrixRow {
  const hist = historyFor(id);
  const row: ThreatRow = {
    id: `tcb.advisory.${id}`,
    threat: hist ? `${id} (${hist.threat})` : id,
    category: 'tcb',
    mitigatedBy: { [column]: 'mitigated' },
    ties: ['tcb'],
    source: KNOWN_VULNERABILITIES,
    note: "Listed by the TCB info for this platform's TCB level; the advisory says which BIOS, microcode or configuration change closes it.",
  };
  const status = f.tcb?.status ?? 'unknown';
  return {
    row,
    byTechnology: 'mitigated',
    instanceStatus: 'open-tcb',
    because: `TCB status ${status}: the TCB info lists ${id} for this platform's TCB level.`,
    basis: ['tcb.advisories', id],
  };
}

function count(rows: readonly MatrixRow[]): Record<InstanceStatus, number> {
  const c = Object.fromEntries(INSTANCE_STATUSES.map((s) => [s, 0])) as Record<InstanceStatus, number>;
  for (const r of rows) c[r.instanceStatus] += 1;
  return c;
}

/** The table for a technology before any evidence: every row 'unknown', for showing what could be proven. */
export function threatMatrixFor(technology: Technology): ThreatMatrix {
  const table = threatTable(technology);
  const rows: MatrixRow[] = table.rows.map((row) => {
    const by = row.mitigatedBy[table.column] ?? 'not-mitigated';
    const noTee = row.ties.includes('no-tee');
    return {
      row,
      byTechnology: by,
      instanceStatus: noTee ? 'not-by-any-tee' : 'unknown',
      because: noTee ? 'No TEE mitigates this.' : 'No evidence yet.',
      basis: [],
    };
  });
  return { technology, column: table.column, rows, openAdvisories: [], counts: count(rows) };
}
