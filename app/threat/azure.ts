import { seed } from './seeds.js';
import type { EvidenceSpec } from './evidence-specs.js';
import type { LayerId, ThreatRow } from './types.js';

/**
 * Azure confidential VMs (SNP or TDX with Microsoft's paravisor and a vTPM) and bare TPM quotes. The seeds
 * name the idea (003: VMPLs enable protected services such as a vTPM) but not Azure's design, so rows and
 * layers the seeds do not state are source 'product' with the reason.
 */
const CVM = '003_9e0cb27a51a6d34f.txt';
const RISE = '002_e574538adb639cf8.txt';
const VTPM_SEED = seed(CVM, 'AMD SEV-ES and SEV-SNP', 'VMPLs enable protected services, e.g. vTPM');

type Specs = Readonly<Partial<Record<LayerId, readonly EvidenceSpec[]>>>;

const VTPM_QUOTE = ['tpm.quote.signature', 'azure.ak.binding', 'tpm.pcr-digest'];

/** What Azure adds to (and changes in) the hardware report's layers: the paravisor, the guest's PCRs, freshness from the vTPM. */
export function azureSpecs(hardware: Specs, firmwareClaim: 'measurement' | 'mrTd'): Specs {
  return {
    ...hardware,
    paravisor: [
      {
        label: 'Runtime data binding',
        checks: ['azure.hcl.binding', 'azure.vmpl'],
        how: "The paravisor (HCL) put the SHA-256 of its runtime data (the vTPM's AK, the VM's settings) into the hardware report at VMPL 0; that report is signed by the CPU vendor's chain.",
      },
      {
        label: 'vTPM attestation key',
        checks: ['azure.ak.binding', 'tpm.ak.trust'],
        how: 'The vTPM quote verifies with the AK the runtime data names (HCLAkPub).',
      },
      // The bindings are proven; the paravisor's own code is only in the launch digest, so the layer is at best measured.
      {
        label: firmwareClaim === 'measurement' ? 'Paravisor code (in MEASUREMENT)' : 'Paravisor code (in MRTD)',
        claim: firmwareClaim,
        how: "The paravisor's code is covered by the hardware's launch digest together with UEFI: measured, and proven genuine only by a reference value for that digest.",
      },
    ],
    'guest-firmware': [
      {
        label: firmwareClaim === 'measurement' ? 'MEASUREMENT' : 'MRTD',
        claim: firmwareClaim,
        how: "Launch digest of Microsoft's paravisor and UEFI firmware image, taken by the hardware: it covers them, not the guest OS.",
      },
    ],
    'guest-os': [
      {
        label: 'PCRs (vTPM quote)',
        claim: 'pcrs',
        checks: VTPM_QUOTE,
        how: "The guest's boot (boot loader, kernel, Secure Boot state) is only in the vTPM's PCRs: measured, signed by the AK, not by the hardware itself.",
      },
    ],
    'confidential-data': [
      ...(hardware['confidential-data'] ?? []).filter((s) => s.label !== 'Nonce'),
      {
        label: 'Nonce (vTPM quote)',
        checks: ['tpm.nonce'],
        how: "The vTPM quote's extraData is the verifier's nonce: the only freshness, as the HCL report is made at boot.",
      },
    ],
  };
}

/** A bare TPM quote: measurements in the PCRs, no hardware isolation and no tie of the AK to a genuine TPM unless pinned. */
export const TPM_SPECS: Specs = {
  'guest-os': [
    {
      label: 'PCRs',
      claim: 'pcrs',
      checks: ['tpm.quote.signature', 'tpm.pcr-digest', 'tpm.ak.trust'],
      how: 'What the firmware and boot loader extended into the PCRs, signed by the AK.',
    },
  ],
  'confidential-data': [{ label: 'Nonce', checks: ['tpm.nonce'], how: "The quote's extraData is the verifier's nonce, so the quote is fresh." }],
};

export const AZURE_ROLES: Readonly<Partial<Record<LayerId, string>>> = {
  paravisor:
    "Microsoft's paravisor (HCL) at VMPL 0 and the vTPM it provides: inside the TCB. It writes the runtime data the hardware report binds and holds the vTPM's keys.",
  'guest-firmware': 'The UEFI firmware the paravisor loads: in the hardware measurement together with the paravisor.',
  'guest-os': 'The guest kernel: not in the hardware measurement; only in the vTPM PCRs, which the event log explains.',
};

export const TPM_ROLES: Readonly<Partial<Record<LayerId, string>>> = {
  'guest-os': 'Measured into the PCRs by the firmware and boot loader; a TPM quote signs them but isolates nothing.',
};

const row = (r: Omit<ThreatRow, 'category'> & { category?: ThreatRow['category'] }): ThreatRow => ({ category: 'integrity', ...r });

/** Rows for an Azure confidential VM table whose hardware column is `column` ('SEV-SNP' or 'TDX'). */
export function azureRows(column: string): ThreatRow[] {
  const m = { [column]: 'mitigated' } as const;
  return [
    row({
      id: 'azure.paravisor',
      threat: 'Tampered paravisor or runtime data (a different AK substituted)',
      mitigatedBy: m,
      ties: ['hardware'],
      checks: ['azure.hcl.binding', 'azure.vmpl', 'azure.ak.binding'],
      source: 'product',
      justification: "The paravisor runs inside the TCB at VMPL 0; the hardware report binds its runtime data, and the runtime data names the vTPM's AK.",
      seeAlso: [VTPM_SEED],
    }),
    row({
      id: 'azure.guest-boot',
      threat: 'Tampered guest boot loader or kernel',
      mitigatedBy: m,
      ties: ['hardware'],
      checks: VTPM_QUOTE,
      source: seed(CVM, 'Confidential Virtual Machines', 'Guest kernel can be measured'),
      note: 'On Azure the kernel is measured into the vTPM PCRs only; compare them with reference values (or replay an event log).',
    }),
    row({
      id: 'azure.replay',
      threat: 'Replay of an older HCL report and vTPM quote',
      mitigatedBy: m,
      ties: ['freshness'],
      source: seed(
        RISE,
        'What is needed for a fully functional attestation mechanism ?',
        'Efficient and scalable protocol that can mitigate known attacks (e.g. replay attacks)',
      ),
      note: 'The HCL report is made at boot: only the vTPM quote over the nonce (tpm.nonce) shows freshness.',
    }),
  ];
}

export const TPM_ROWS: readonly ThreatRow[] = [
  row({
    id: 'tpm.software-key',
    threat: 'The quote is signed by a software key, not a TPM',
    mitigatedBy: { TPM: 'not-mitigated' },
    ties: [],
    checks: ['tpm.ak.trust'],
    source: 'product',
    justification: 'A quote only shows that whoever holds the AK signed; without an AK certificate, a pin or a hardware binding the AK may be any key.',
  }),
  row({
    id: 'tpm.replay',
    threat: 'Replay of an older quote',
    mitigatedBy: { TPM: 'mitigated' },
    ties: ['freshness'],
    source: seed(
      RISE,
      'What is needed for a fully functional attestation mechanism ?',
      'Efficient and scalable protocol that can mitigate known attacks (e.g. replay attacks)',
    ),
  }),
];
