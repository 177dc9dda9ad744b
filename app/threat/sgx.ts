import { seed } from './seeds.js';
import type { ThreatCategory, ThreatRow, ThreatTie, VulnerabilityHistory } from './types.js';

const APP = seed('004_4409214c4d422acc.txt', 'Creation of an SGX Application');
const ENCLAVES = '004_4409214c4d422acc.txt';
const S = { SGX: 'mitigated' } as const;

/** SGX protections as the seeds state them, each turned into the threat it answers. */
export const SGX_ROWS: readonly ThreatRow[] = [
  {
    id: 'sgx.epc-access',
    threat: 'Enclave memory read from outside the enclave',
    category: 'confidentiality',
    mitigatedBy: S,
    ties: ['memory', 'hardware'],
    source: { ...APP, quote: 'EPC access only by the respective enclave' },
  },
  {
    id: 'sgx.tampering',
    threat: 'Code and data tampered with or accessed from outside the enclave',
    category: 'integrity',
    mitigatedBy: S,
    ties: ['memory', 'hardware'],
    source: seed(
      '002_e574538adb639cf8.txt',
      'What does Confidential Computing mean?',
      'Code and data cannot be tampered and accessed from outside of the trust boundaries of a secure enclave/trust domain',
    ),
  },
  {
    id: 'sgx.administrators',
    threat: 'Cloud provider and administrators access data in use',
    category: 'confidentiality',
    mitigatedBy: S,
    ties: ['memory', 'hardware'],
    source: seed(ENCLAVES, 'Confidential Computing und Secure Enclaves', 'Allows for additional security against administrators'),
    seeAlso: [seed(ENCLAVES, 'Confidential Computing und Secure Enclaves', 'Relaxes the trust model against the cloud provider')],
  },
  {
    id: 'sgx.debug-enclave',
    threat: 'Debug enclave: memory open to inspection',
    category: 'confidentiality',
    mitigatedBy: S,
    ties: ['debug'],
    source: seed(
      ENCLAVES,
      'Secure Value Recovery Service (Beta)',
      'a debug enclave can currently only be run with SGX debugging enabled, allowing inspection of its encrypted memory, and invalidating its security properties',
    ),
    seeAlso: [{ ...APP, quote: 'No debugging' }],
  },
  {
    id: 'sgx.memory-outside-cpu',
    threat: 'Memory read outside the processor package',
    category: 'physical',
    mitigatedBy: S,
    ties: ['hardware'],
    source: seed(
      '001_1962e623fc24d9cf.txt',
      'Why is confidential computing anticipated',
      'Only after reading the encrypted memory lines into the processor package does such data get decrypted so that it can be processed.',
    ),
    seeAlso: [{ ...APP, quote: 'Uninterrupted encryption' }],
  },
  {
    id: 'sgx.unverified-enclave',
    threat: 'Unverified enclave or execution environment',
    category: 'attestation',
    mitigatedBy: S,
    ties: ['hardware'],
    claims: { sgx: ['mrEnclave', 'mrSigner'] },
    source: { ...APP, quote: 'Verification of the enclave and of the execution environment through remote attestation' },
    seeAlso: [{ ...APP, quote: 'Hardware based root keys' }],
  },
];

const HISTORY_SRC = seed('000_37fe1b8787ae3b5a.txt', 'SGX Vulnerabilities');
const IDS_WHY =
  "The advisory and CVE ids are not in the seed table; they are Intel's published ids for the same attack, so the row can be matched with the advisories of a TCB level.";

function hist(
  id: string,
  category: ThreatCategory,
  h: VulnerabilityHistory,
  ties: readonly ThreatTie[],
  sgx: 'mitigated' | 'not-mitigated',
  note?: string,
): ThreatRow {
  const r: ThreatRow = {
    id: `sgx.history.${id}`,
    threat: h.attack,
    category,
    mitigatedBy: { SGX: sgx },
    ties,
    history: h,
    source: { ...HISTORY_SRC, quote: h.description },
  };
  if (h.advisories) r.justification = IDS_WHY;
  if (note) r.note = note;
  return r;
}

/**
 * 000's "SGX Vulnerabilities" table (name, year and description verbatim). Attacks fixed by microcode
 * take part in TCB Recovery (001), so they are mitigated when the platform's TCB level no longer lists them.
 */
export const SGX_HISTORY: readonly ThreatRow[] = [
  hist(
    'prime-probe',
    'side-channel',
    {
      attack: 'Prime+Probe attack',
      year: '2017',
      description:
        'proof-of-concept that can grab RSA keys from SGX enclaves running on the same system within five minutes by using certain CPU instructions in lieu of a fine-grained timer to exploit cache DRAM side-channels.',
    },
    ['no-tee'],
    'not-mitigated',
  ),
  hist(
    'foreshadow',
    'side-channel',
    {
      attack: 'Foreshadow (L1TF) - Spectre-like',
      year: '2018',
      description: 'Allows attackers to access information in the L1 data cache.',
      advisories: ['INTEL-SA-00161'],
      cves: ['CVE-2018-3615'],
    },
    ['tcb', 'hardware'],
    'mitigated',
  ),
  hist(
    'enclave-attack',
    'misc',
    { attack: 'Enclave attack', year: '2019', description: 'possible to run malicious code from within the enclave itself. - Debatable' },
    [],
    'not-mitigated',
    'SGX hides enclave code from the host, it does not restrict it; the seed itself calls this debatable.',
  ),
  hist(
    'plundervolt',
    'fault-injection',
    {
      attack: 'Plundervolt',
      year: '2018 (updated: 2020)',
      description: 'inject timing specific faults into execution within the enclave, resulting in leakage of information.',
      advisories: ['INTEL-SA-00289'],
      cves: ['CVE-2019-11157'],
    },
    ['tcb', 'hardware'],
    'mitigated',
  ),
  hist(
    'lvi',
    'side-channel',
    {
      attack: 'LVI (Load Value Injection)',
      year: '2020 (updated 2021)',
      description:
        'injects data into a program aiming to replace the value loaded from memory which is then used for a short time before the mistake is spotted and rolled back',
      advisories: ['INTEL-SA-00334'],
      cves: ['CVE-2020-0551'],
    },
    ['tcb', 'hardware'],
    'mitigated',
    'Intel lists it as SWHardeningNeeded: the enclave must be built with LVI mitigations, which the quote cannot show.',
  ),
  hist(
    'sgaxe',
    'side-channel',
    {
      attack: 'SGAxe',
      year: '2020',
      description: 'speculative execution attack on cache, leaking content of the enclave',
      advisories: ['INTEL-SA-00329'],
      cves: ['CVE-2020-0549'],
    },
    ['tcb', 'hardware'],
    'mitigated',
  ),
  hist(
    'aepic-leak',
    'side-channel',
    {
      attack: 'ÆPIC leak',
      year: '2022',
      description:
        'allows for an attacker with root/admin privileges to gain access to encryption keys via the APIC by inspecting data transfers from L1 and L2 cache',
      advisories: ['INTEL-SA-00657'],
      cves: ['CVE-2022-21233'],
    },
    ['tcb', 'hardware'],
    'mitigated',
  ),
  hist('microscope', 'side-channel', { attack: 'MicroScope replay attack', year: '2022', description: 'Side-channel attack' }, ['no-tee'], 'not-mitigated'),
];
