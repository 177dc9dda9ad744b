import { seed } from './seeds.js';
import type { Technology, ThreatRow } from './types.js';
import { TECHNOLOGIES } from '../tee/registry.js';
import { DCAP_CHECKS as DCAP } from '../tee/dcap/checks.js';

const G = '003_9e0cb27a51a6d34f.txt';
const RISE = '002_e574538adb639cf8.txt';
const ALL: readonly Technology[] = TECHNOLOGIES;
const ANY = { TEE: 'not-mitigated' } as const;

/** Rows that hold for every technology: the seeds' statements about confidential computing and attestation. */
export const GENERAL_ROWS: readonly ThreatRow[] = [
  {
    id: 'cc.crashes',
    threat: 'Crashes',
    category: 'availability',
    mitigatedBy: ANY,
    ties: ['no-tee'],
    technologies: ALL,
    source: seed(G, 'Guarantees', 'Does not protect against crashes'),
  },
  {
    id: 'cc.no-guarantee-of-service',
    threat: 'Denial of service (no guarantee of service)',
    category: 'availability',
    mitigatedBy: ANY,
    ties: ['no-tee'],
    technologies: ALL,
    source: seed(G, 'Guarantees', 'Does not offer any guarantee of service'),
  },
  {
    id: 'cc.disk-network-data',
    threat: 'Disk and network data',
    category: 'scope',
    mitigatedBy: ANY,
    ties: ['no-tee'],
    technologies: ALL,
    source: seed(G, 'Guarantees', 'Does not protect disk, network data, ...'),
    note: 'Protect data at rest and in transit with encryption, keys released only after attestation.',
  },
  {
    id: 'cc.microarchitectural-side-channels',
    threat: 'Microarchitectural side channel attacks',
    category: 'side-channel',
    mitigatedBy: ANY,
    ties: ['no-tee'],
    technologies: ALL,
    source: seed(RISE, 'What else is happening?', 'microarchitectural side channel attacks and mitigations'),
    seeAlso: [seed(RISE, 'Timeline of the microarchitectural side channel vulnerabilities', undefined, 'L1DES, MFBDS, MDSUM, VRS, LVI, MLPDS, RIDL, TSX')],
    note: 'Individual attacks are fixed by microcode and show up as TCB advisories; side channels as a class are not closed by any TEE.',
  },
  {
    id: 'cc.replay',
    threat: 'Replay of old attestation evidence',
    category: 'attestation',
    mitigatedBy: { TEE: 'mitigated' },
    ties: ['freshness'],
    technologies: ALL,
    source: seed(
      RISE,
      'What is needed for a fully functional attestation mechanism ?',
      'Efficient and scalable protocol that can mitigate known attacks (e.g. replay attacks)',
    ),
    seeAlso: [seed(G, 'How does attestation work?', 'Send proof of identity (salted)')],
  },
  {
    id: 'cc.known-vulnerabilities',
    threat: 'Known vulnerabilities not patched',
    category: 'tcb',
    mitigatedBy: { TEE: 'mitigated' },
    ties: ['tcb', 'hardware'],
    technologies: ALL,
    source: seed(RISE, 'Are the secure enclave technologies secure?', 'are the known vulnerabilities patched?'),
    seeAlso: [
      seed(
        '001_1962e623fc24d9cf.txt',
        'Why is confidential computing anticipated',
        'a patch level indicator for the underlying server platform’s critical firmware',
      ),
      seed('001_1962e623fc24d9cf.txt', 'a) Process-based TEEs: Intel Software Guard Extensions (SGX)', 'Trusted Compute Base Recovery (TCB-R)'),
    ],
  },
  {
    id: 'cc.what-runs',
    threat: 'Unexpected code or platform',
    category: 'attestation',
    mitigatedBy: { TEE: 'mitigated' },
    ties: ['hardware'],
    technologies: ALL,
    claims: { sgx: ['mrEnclave', 'mrSigner'], tdx: ['mrTd', 'rtmr0', 'rtmr1', 'rtmr2', 'rtmr3'], 'sev-snp': ['measurement'] },
    source: seed(G, 'Problem Statement', 'Attestation proves where you are running and what you are running'),
  },
  {
    id: 'cc.quoting-enclave',
    threat: "Quote not from Intel's Quoting Enclave on a genuine platform",
    category: 'attestation',
    mitigatedBy: { TEE: 'mitigated' },
    ties: ['hardware'],
    technologies: ['sgx', 'tdx'],
    checks: [DCAP.pckChain.id, DCAP.pckRevocation.id, DCAP.qeReportSignature.id, DCAP.qeReportBinding.id, DCAP.qeIdentityMatch.id],
    source: seed(G, 'Intel TDX (and SGX)', 'Attestation performed by a Quoting Enclave'),
  },
  {
    id: 'cc.static-measurement',
    threat: 'Changes after boot are not measured',
    category: 'attestation',
    mitigatedBy: ANY,
    ties: [],
    technologies: ['tdx', 'sev-snp'],
    source: seed(
      '001_1962e623fc24d9cf.txt',
      'b) VM-based TEEs: Intel TDX And AMD SEV',
      'remote attestation of VM TEEs typically only focuses on the static boot stack',
    ),
    note: 'Runtime integrity rests on the guest, e.g. Linux IMA extending a runtime register.',
  },
  {
    id: 'cc.io-accelerators',
    threat: 'I/O-based accelerators outside the TEE',
    category: 'scope',
    mitigatedBy: ANY,
    ties: [],
    technologies: ALL,
    source: seed(
      '001_1962e623fc24d9cf.txt',
      'c) When to use what?',
      'A limiting factor for Confidential Computing in both cases is the use of I/O-based accelerators',
    ),
  },
];

/** General rows for one technology. */
export function generalRows(technology: Technology): ThreatRow[] {
  return GENERAL_ROWS.filter((r) => !r.technologies || r.technologies.includes(technology));
}
