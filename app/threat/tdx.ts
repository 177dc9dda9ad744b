import { seed } from './seeds.js';
import type { ThreatRow } from './types.js';
import { DCAP_CHECKS as DCAP } from '../tee/dcap/checks.js';

const CVM = '003_9e0cb27a51a6d34f.txt';
const T = { TDX: 'mitigated' } as const;

/**
 * TDX rows. The seeds say little about TDX threats beyond what confidential VMs promise (003), so rows they
 * do not state are marked source 'product', each with a short, conservative justification.
 */
export const TDX_ROWS: readonly ThreatRow[] = [
  {
    id: 'tdx.host-reads-memory',
    threat: 'Host reads VM memory',
    category: 'confidentiality',
    mitigatedBy: T,
    ties: ['memory', 'hardware'],
    source: seed(CVM, 'Problem Statement', 'In non-CC architectures, data in memory is not encrypted, so it can be accessed by the host'),
    seeAlso: [seed(CVM, 'Problem Statement', 'Encrypted memory stores live data as cypher text, so that it becomes garbled when read by the host')],
  },
  {
    id: 'tdx.host-corrupts-state',
    threat: 'Host corrupts or poisons CPU state or RAM contents',
    category: 'integrity',
    mitigatedBy: T,
    ties: ['memory', 'hardware'],
    source: seed(CVM, 'Problem Statement', 'Integrity ensures the host cannot corrupt nor poison CPU state or RAM contents'),
    seeAlso: [seed(CVM, 'Confidential Virtual Machines', 'Hypervisor no longer trusted, exposes new features')],
  },
  {
    id: 'tdx.boot-tampering',
    threat: 'Tampered guest firmware or boot sequence',
    category: 'integrity',
    mitigatedBy: T,
    ties: ['hardware'],
    claims: { tdx: ['mrTd', 'rtmr0'] },
    source: seed(CVM, 'Confidential Virtual Machines', 'Guest firmware and boot sequence is measured'),
  },
  {
    id: 'tdx.kernel-tampering',
    threat: 'Tampered guest kernel',
    category: 'integrity',
    mitigatedBy: T,
    ties: ['hardware'],
    claims: { tdx: ['rtmr1', 'rtmr2'] },
    source: seed(CVM, 'Confidential Virtual Machines', 'Guest kernel can be measured'),
  },
  {
    id: 'tdx.module',
    threat: 'Vulnerable or unknown TDX module',
    category: 'tcb',
    mitigatedBy: T,
    ties: ['tcb', 'hardware'],
    checks: [DCAP.tdxModule.id],
    tcbPart: 'tdxModule',
    source: 'product',
    justification:
      "The TDX module runs in SEAM and enforces TD isolation, so it is in the TCB: its identity (MRSEAM) and version (TEE_TCB_SVN) are judged against Intel's TDX module identities.",
    seeAlso: [seed(CVM, 'Intel TDX (and SGX)', 'New CPU mode, Secure Arbitration Mode (SEAM)')],
  },
  {
    id: 'tdx.debug-td',
    threat: 'Debug TD: the host can read and change TD memory',
    category: 'confidentiality',
    mitigatedBy: T,
    ties: ['debug'],
    source: 'product',
    justification: "A TD with TD_ATTRIBUTES.DEBUG set lets the host read and write its private memory and CPU state through the TDX module's debug interface.",
    seeAlso: [
      seed(
        '004_4409214c4d422acc.txt',
        'Secure Value Recovery Service (Beta)',
        'allowing inspection of its encrypted memory, and invalidating its security properties',
      ),
    ],
  },
  {
    id: 'tdx.offline-dram',
    threat: 'Offline DRAM analysis (cold boot)',
    category: 'physical',
    mitigatedBy: T,
    ties: ['hardware'],
    source: 'product',
    justification: 'TD private memory is encrypted with a per-TD key inside the memory controller, so DRAM contents read offline are ciphertext.',
    seeAlso: [seed(CVM, 'Vendor landscape', 'Example attack: Cold boot', 'the SEV row of the same threat')],
  },
  {
    id: 'tdx.denial-of-service',
    threat: 'Denial of service by the host',
    category: 'availability',
    mitigatedBy: { TDX: 'not-mitigated' },
    ties: ['no-tee'],
    source: 'product',
    justification: 'The host still schedules the TD and allocates its memory and devices, so it can stop or starve it at will.',
    seeAlso: [seed(CVM, 'Guarantees', 'Does not offer any guarantee of service')],
  },
  {
    id: 'tdx.side-channels',
    threat: 'Side channels (cache timing, page access patterns, performance data)',
    category: 'side-channel',
    mitigatedBy: { TDX: 'not-mitigated' },
    ties: ['no-tee'],
    source: 'product',
    justification:
      'TDX does not claim full side-channel resistance: the TD shares caches and cores with other software, and the host still manages its page mappings.',
    seeAlso: [seed('002_e574538adb639cf8.txt', 'Timeline of the microarchitectural side channel vulnerabilities')],
  },
];
