import type { LayerId, Technology } from './types.js';
import { AZURE_ROLES, TPM_ROLES } from './azure.js';

type Roles = Readonly<Partial<Record<LayerId, string>>>;

/** Roles shared by all technologies unless a technology says otherwise below. */
const COMMON: Roles = {
  'cloud-stack':
    'Operates the infrastructure. Outside the boundary: the hardware isolation claims to keep it away from the data, though it can still deny service.',
  'confidential-data':
    'The data in use. It stays confidential only while the layers outside the boundary stay outside: debug mode off, and REPORT_DATA binding the evidence to this session (a nonce shows freshness).',
  'function-library': 'A function or library isolated on its own: the smallest boundary in the seed pictures.',
};

const SGX: Roles = {
  'bios-firmware':
    "Platform firmware, untrusted: it cannot read enclave memory. The microcode it loads is part of the CPU's TCB, which the TCB level judges; that does not make the BIOS trusted.",
  'host-os-hypervisor':
    'Schedules the enclave and pages its memory, untrusted: the CPU keeps it out of the Enclave Page Cache unless the enclave runs in debug mode.',
  'vm-admin': 'Administers the VM the enclave may run in. Outside: root in that VM does not open enclave memory.',
  'guest-os':
    "Runs the enclave's host application, untrusted: system calls and devices are proxied through call gates, so their answers must be checked by the enclave.",
  application: 'The enclave: its code and initial data are measured into MRENCLAVE and its signer into MRSIGNER; only the enclave can access its memory.',
  'tee-hardware':
    "The CPU, its microcode and Intel's Quoting Enclave: the root of the boundary. The PCK certificate chains to Intel's root; the TCB level says whether known vulnerabilities are fixed.",
};

const VM: Roles = {
  'host-os-hypervisor':
    'Creates, schedules and pages the confidential VM. No longer trusted: the hardware keeps it out of private guest memory and CPU state unless the guest runs in debug mode.',
  'vm-admin': "The tenant's administrator of the confidential VM. Inside the boundary: root in the guest reaches the data, so attestation cannot exclude them.",
  'guest-os': 'The guest kernel and its drivers, inside the boundary. It is covered by the evidence only as far as the boot chain measured it.',
  application: 'The workloads in the guest, inside the boundary; covered only by what the guest measures at runtime.',
};

const TDX: Roles = {
  'bios-firmware':
    'Host firmware, untrusted: it cannot read TD memory. The microcode and ACMs it loads (TCB components of category BIOS) are judged by the TCB level; that does not make the BIOS trusted.',
  'vm-admin':
    "The tenant's administrator of the TD. Inside the boundary: root in the guest reaches the data. MROWNER can name the owner the launcher declared.",
  'guest-firmware': "The TD's virtual firmware (TDVF): measured into MRTD when the TD is built and into RTMR0 as it configures the TD.",
  'guest-os':
    'The guest kernel: RTMR1 and RTMR2 hold what the firmware and boot loader extend (by convention the boot loader, kernel, command line and initrd).',
  application: 'The workloads in the TD: RTMR3 holds what the guest extends at runtime; MRCONFIGID can bind a configuration chosen at launch.',
  'tdx-module':
    'Runs in SEAM, a CPU mode above the hypervisor, and enforces TD isolation: it is in the TCB. Identified by MRSEAM and judged by the TDX module TCB level.',
  'tee-hardware':
    "The CPU, its microcode and Intel's Quoting Enclave: the root of the boundary. The PCK certificate chains to Intel's root; the TCB level (platform, QE and TDX module combined) says whether known vulnerabilities are fixed.",
};

const SNP: Roles = {
  'bios-firmware':
    "Host firmware, untrusted: it cannot read the guest's private memory. The AMD Secure Processor firmware is judged through the reported TCB, not the BIOS.",
  'guest-firmware': "The guest's initial image (typically OVMF): measured by the AMD Secure Processor into MEASUREMENT at launch.",
  'guest-os': 'The guest kernel: in MEASUREMENT only when the firmware hashes it at launch (measured direct boot); otherwise not covered by this report.',
  application: "The workloads in the guest: the SNP report does not measure them; a vTPM or the guest's own measurements must.",
  'tee-hardware':
    "The CPU and the AMD Secure Processor, a separate security processor: the root of the boundary. The VCEK or VLEK chains to AMD's root; the reported TCB names the firmware and microcode versions.",
};

const BY_TECH: Readonly<Record<Technology, readonly Roles[]>> = {
  sgx: [SGX, COMMON],
  tdx: [TDX, VM, COMMON],
  'sev-snp': [SNP, VM, COMMON],
  'azure-snp-vtpm': [AZURE_ROLES, SNP, VM, COMMON],
  'azure-tdx-vtpm': [AZURE_ROLES, TDX, VM, COMMON],
  tpm: [TPM_ROLES, COMMON],
};

export function roleOf(technology: Technology, layer: LayerId): string {
  for (const roles of BY_TECH[technology]) {
    const r = roles[layer];
    if (r) return r;
  }
  return '';
}
