import type { LayerId, Technology } from './types.js';
import { DCAP_CHECKS as DCAP } from '../tee/dcap/checks.js';
import { azureSpecs, TPM_SPECS } from './azure.js';

/**
 * What a layer's evidence is made of. `checks` are check ids; a leading '*.' matches any prefix, for
 * technologies whose check ids are not fixed yet. `tcb` reads the result's TCB report (a named part, or the
 * combined status). `expect` is the value a claim must have (debug: false).
 */
export interface EvidenceSpec {
  label: string;
  claim?: string;
  checks?: readonly string[];
  tcb?: 'status' | 'tdxModule';
  expect?: unknown;
  how: string;
}

type Specs = Readonly<Partial<Record<LayerId, readonly EvidenceSpec[]>>>;

const SIG = DCAP.quoteSignature.id;
const PCK = [DCAP.pckChain.id, DCAP.pckValidity.id, DCAP.rootCrl.id, DCAP.pckRevocation.id];
const QE = [DCAP.qeReportSignature.id, DCAP.qeReportBinding.id, DCAP.qeIdentityMatch.id, DCAP.qeIdentityTcb.id];

const m = (label: string, claim: string, how: string, checks: readonly string[] = [SIG]): EvidenceSpec => ({ label, claim, checks, how });

function dcapCommon(debugWhat: string): Specs {
  return {
    'bios-firmware': [
      {
        label: 'TCB level',
        checks: [DCAP.tcbLevel.id],
        how: "The platform's TCB components, microcode the BIOS loads among them, are matched against Intel's TCB levels. This judges their versions; it does not admit the BIOS into the boundary.",
      },
    ],
    'host-os-hypervisor': [
      {
        label: 'Debug mode',
        claim: 'debug',
        expect: false,
        checks: [DCAP.policyDebug.id],
        how: `${debugWhat} is off, so the host cannot use debug access to read or change its memory.`,
      },
    ],
    'confidential-data': [
      m(
        'REPORT_DATA',
        'reportData',
        "The workload's own data in the signed quote (e.g. a hash of a public key), binding a channel or session to this evidence.",
      ),
      {
        label: 'Debug mode',
        claim: 'debug',
        expect: false,
        checks: [DCAP.policyDebug.id],
        how: 'Production mode: the data is not open to the host through debug access.',
      },
      { label: 'Nonce', checks: [DCAP.nonce.id], how: "REPORT_DATA begins with the verifier's nonce, so the quote is fresh and not a replay." },
    ],
  };
}

const DCAP_ROOT: readonly EvidenceSpec[] = [
  {
    label: 'PCK certificate chain',
    checks: PCK,
    how: "The key that signed the quoting enclave's report belongs to a genuine Intel CPU: its certificate chains to the pinned Intel root and is not revoked.",
  },
  {
    label: 'Quoting Enclave',
    checks: QE,
    how: "The quote was signed by Intel's Quoting Enclave at an acceptable TCB level, and its report binds the attestation key.",
  },
];

const SGX: Specs = {
  ...dcapCommon("The enclave's ATTRIBUTES.DEBUG bit"),
  application: [
    m('MRENCLAVE', 'mrEnclave', "Measurement of the enclave's code and initial data, signed in the quote: compare it with the build you expect."),
    m('MRSIGNER', 'mrSigner', 'Hash of the key that signed the enclave: who vouches for this code.'),
    m('ISVPRODID / ISVSVN', 'isvSvn', 'Product id and security version the signer assigned; ISVSVN rises with each security fix.'),
    m('CONFIGID', 'configId', 'A configuration the launcher bound to the enclave at start.'),
  ],
  'tee-hardware': [
    ...DCAP_ROOT,
    {
      label: 'TCB status',
      claim: 'cpuSvn',
      tcb: 'status',
      checks: [DCAP.tcbLevel.id, DCAP.tcbStatus.id],
      how: "The CPU SVN and PCE SVN meet one of Intel's TCB levels; its status and advisories say what is still open.",
    },
  ],
};

const TDX: Specs = {
  ...dcapCommon("The TD's TD_ATTRIBUTES.DEBUG bit"),
  'vm-admin': [
    m('MROWNER', 'mrOwner', 'An owner identity the launcher set for the TD.'),
    m('MROWNERCONFIG', 'mrOwnerConfig', 'Owner-defined configuration set at launch.'),
  ],
  'guest-firmware': [
    m('MRTD', 'mrTd', "Measurement of the TD's initial memory, the virtual firmware, taken by the TDX module as the TD was built."),
    m('RTMR0', 'rtmr0', 'What the firmware extended while configuring the TD (its configuration and ACPI tables, by convention).'),
  ],
  'guest-os': [
    m('RTMR1', 'rtmr1', 'What the firmware extended for the boot loader and kernel.'),
    m('RTMR2', 'rtmr2', 'What the boot loader and OS extended (command line, initrd, by convention).'),
  ],
  application: [
    m('RTMR3', 'rtmr3', 'What the guest extended at runtime for its workloads.'),
    m('MRCONFIGID', 'mrConfigId', 'A configuration the launcher bound to the TD.'),
  ],
  'tdx-module': [
    m('MRSEAM', 'mrSeam', "Measurement of the TDX module that enforces this TD's isolation."),
    {
      label: 'TDX module TCB',
      tcb: 'tdxModule',
      checks: [DCAP.tdxModule.id],
      how: "The module's version (TEE_TCB_SVN) meets a level of Intel's TDX module identities.",
    },
  ],
  'tee-hardware': [
    ...DCAP_ROOT,
    {
      label: 'TCB status',
      claim: 'teeTcbSvn',
      tcb: 'status',
      checks: [DCAP.tcbLevel.id, DCAP.tcbStatus.id],
      how: "Platform, Quoting Enclave and TDX module meet one of Intel's TCB levels; the combined status and advisories say what is still open.",
    },
  ],
};

/** SEV-SNP check ids are not fixed yet: '*.' patterns, and the claim names of DESIGN.md. */
const SNP: Specs = {
  'host-os-hypervisor': [
    { label: 'HOST_DATA', claim: 'hostData', how: 'Data the host supplied at launch: bound into the report, but chosen by the untrusted host.' },
    {
      label: 'Debug policy',
      claim: 'debug',
      expect: false,
      checks: ['*.policy.debug'],
      how: 'The guest policy forbids debugging, so the host cannot use the firmware to decrypt its memory.',
    },
  ],
  'vm-admin': [
    { label: 'ID key digest', claim: 'idKeyDigest', how: "The key that signed the launch's ID block: who vouched for this guest." },
    { label: 'Author key digest', claim: 'authorKeyDigest', how: 'The key that signed the ID key.' },
  ],
  'guest-firmware': [{ label: 'MEASUREMENT', claim: 'measurement', how: "Launch digest of the guest's initial image, taken by the AMD Secure Processor." }],
  'confidential-data': [
    { label: 'REPORT_DATA', claim: 'reportData', how: "The guest's own data in the signed report, binding a channel or session to it." },
    {
      label: 'Debug policy',
      claim: 'debug',
      expect: false,
      checks: ['*.policy.debug'],
      how: 'Production mode: the data is not open to the host through debug access.',
    },
    { label: 'Nonce', checks: ['*.nonce'], how: "REPORT_DATA begins with the verifier's nonce, so the report is fresh." },
  ],
  'tee-hardware': [
    { label: 'Signing key', claim: 'signingKey', how: "The report is signed by a chip-unique VCEK (or a VLEK) whose chain leads to AMD's root." },
    {
      label: 'Reported TCB',
      claim: 'reportedTcb',
      tcb: 'status',
      how: "Boot loader, TEE, SNP firmware and microcode versions the AMD Secure Processor reports, against the signing key's TCB.",
    },
  ],
};

export const EVIDENCE_SPECS: Readonly<Record<Technology, Specs>> = {
  sgx: SGX,
  tdx: TDX,
  'sev-snp': SNP,
  'azure-snp-vtpm': azureSpecs(SNP, 'measurement'),
  'azure-tdx-vtpm': azureSpecs(TDX, 'mrTd'),
  tpm: TPM_SPECS,
};
