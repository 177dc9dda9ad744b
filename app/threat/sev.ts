import { seed } from './seeds.js';
import type { Mitigation, ThreatCategory, ThreatRow, ThreatTie } from './types.js';

/**
 * The AMD SEV / SEV-ES / SEV-SNP mitigation table as 003 shows it (twice: under "Guarantees" and under
 * "Vendor landscape"). Threat and example-attack wording is the seed's; ✓ ★ ⊘ become the three Mitigation values.
 */
export const SEV_COLUMNS = ['SEV', 'SEV-ES', 'SEV-SNP'] as const;

const FILE = '003_9e0cb27a51a6d34f.txt';
const Y: Mitigation = 'mitigated';
const O: Mitigation = 'optional';
const N: Mitigation = 'not-mitigated';

function row(
  id: string,
  group: string,
  category: ThreatCategory,
  threat: string,
  example: string,
  cells: readonly [Mitigation, Mitigation, Mitigation],
  ties: readonly ThreatTie[],
  note?: string,
): ThreatRow {
  const r: ThreatRow = {
    id: `sev.${id}`,
    threat,
    example,
    group,
    category,
    mitigatedBy: { SEV: cells[0], 'SEV-ES': cells[1], 'SEV-SNP': cells[2] },
    ties,
    source: seed(FILE, 'Vendor landscape', `Example attack: ${example}`, 'SEV / SEV-ES / SEV-SNP table ("Potential Threats"), second rendering'),
    seeAlso: [seed(FILE, 'Guarantees', undefined, 'the same table, first rendering')],
  };
  if (note) r.note = note;
  return r;
}

const C = 'Confidentiality';
const I = 'Integrity';
const A = 'Availability';
const P = 'Physical Access Attacks';
const M = 'Misc.';

export const SEV_ROWS: readonly ThreatRow[] = [
  row('vm-memory', C, 'confidentiality', 'VM Memory', 'Hypervisor reads private VM memory', [Y, Y, Y], ['memory', 'hardware']),
  row('vm-register-state', C, 'confidentiality', 'VM Register State', 'Read VM register state after VMEXIT', [N, Y, Y], ['memory', 'hardware']),
  row('dma-protection', C, 'confidentiality', 'DMA Protection', 'Device attempts to read VM memory', [Y, Y, Y], ['memory', 'hardware']),
  row('replay-protection', I, 'integrity', 'Replay Protection', 'Replace VM memory with an old copy', [N, N, Y], ['memory', 'hardware']),
  row('data-corruption', I, 'integrity', 'Data Corruption', 'Replace VM memory with junk data', [N, N, Y], ['memory', 'hardware']),
  row('memory-aliasing', I, 'integrity', 'Memory Aliasing', 'Map two guest pages to same DRAM page', [N, N, Y], ['memory', 'hardware']),
  row('memory-remapping', I, 'integrity', 'Memory Re-Mapping', 'Switch DRAM page mapped to a guest page', [N, N, Y], ['memory', 'hardware']),
  row('dos-on-hypervisor', A, 'availability', 'Denial of Service on Hypervisor', 'Malicious guest refuses to yield/exit', [Y, Y, Y], ['hardware']),
  row('dos-on-guest', A, 'availability', 'Denial of Service on Guest', 'Malicious hypervisor refuses to run guest', [N, N, N], ['no-tee']),
  row('offline-dram', P, 'physical', 'Offline DRAM analysis', 'Cold boot', [Y, Y, Y], ['hardware']),
  row('active-dram', P, 'physical', 'Active DRAM corruption', 'Manipulate DDR bus while VM is running', [N, N, N], []),
  row('tcb-rollback', M, 'tcb', 'TCB Rollback', 'Revert AMD-SP firmware to old version', [N, N, Y], ['tcb', 'hardware']),
  row('interrupt-injection', M, 'integrity', 'Malicious Interrupt/Exception Injection', 'Inject interrupt while RFLAGS.IF=0', [N, N, O], ['hardware']),
  row('branch-predictor-poisoning', M, 'side-channel', 'Indirect Branch Predictor Poisoning', 'Poison BTB from hypervisor', [N, N, O], ['hardware']),
  row('debug-registers', M, 'integrity', 'Secure Hardware Debug Registers', 'Change breakpoints during debug', [N, N, O], ['hardware']),
  row(
    'trusted-cpuid',
    M,
    'integrity',
    'Trusted CPUID Information',
    'Hypervisors lies about platform capabilities',
    [N, N, O],
    ['hardware'],
    'The two renderings in 003 differ for SEV-SNP: "Guarantees" shows ⊘, "Vendor landscape" shows ★. The later, Vendor landscape one is used.',
  ),
  row('architectural-side-channels', M, 'side-channel', 'Architectural Side Channels', 'PRIME+PROBE to track VM accesses', [N, N, N], ['no-tee']),
  row('page-level-side-channels', M, 'side-channel', 'Page-level Side Channels', 'Track VM access patterns through page tables', [N, N, N], ['no-tee']),
  row('performance-counter-tracking', M, 'side-channel', 'Performance Counter Tracking', 'Fingerprint VM apps by performance data', [N, N, N], ['no-tee']),
];

/** SEV-SNP rows the seed table lacks, tied to what an SNP report states. */
export const SNP_PRODUCT_ROWS: readonly ThreatRow[] = [
  {
    id: 'snp.debug-guest',
    threat: 'Debug guest: the host can decrypt guest memory',
    category: 'confidentiality',
    mitigatedBy: { 'SEV-SNP': 'mitigated' },
    ties: ['debug'],
    source: 'product',
    justification:
      "A guest whose policy allows debugging lets the hypervisor ask the AMD Secure Processor to decrypt and encrypt its memory; the report's policy.DEBUG says whether it is allowed.",
    seeAlso: [
      seed(
        '004_4409214c4d422acc.txt',
        'Secure Value Recovery Service (Beta)',
        'allowing inspection of its encrypted memory, and invalidating its security properties',
      ),
    ],
  },
];
