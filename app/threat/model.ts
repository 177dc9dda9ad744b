import { seed } from './seeds.js';
import { TECHNOLOGIES, technologyInfo } from '../tee/registry.js';
import type { Cited, IsolationModel, IsolationModelId, LayerId, TrustLayer, Technology } from './types.js';

const TB = '000_37fe1b8787ae3b5a.txt';
const TB_TITLE = 'Trust Boundary: Elements with the potential to access confidential data';
/** The text dump keeps the pictures' labels but not their boundary lines: the inside sets follow the caption. */
const DRAWN =
  'which elements sit inside the boundary is drawn, not written; the sets follow the caption "Elements with the potential to access confidential data"';

export type LayerDef = Pick<TrustLayer, 'id' | 'label' | 'kind'> & Cited;

/** Every layer the views can show. The first eight are the seed's rings, in its order (outermost first). */
export const LAYERS: Readonly<Record<LayerId, LayerDef>> = {
  'cloud-stack': { id: 'cloud-stack', label: 'Cloud Stack & Cloud System Administrators', kind: 'infrastructure', source: seed(TB, TB_TITLE) },
  'bios-firmware': { id: 'bios-firmware', label: 'BIOS & Firmware', kind: 'infrastructure', source: seed(TB, TB_TITLE) },
  'host-os-hypervisor': { id: 'host-os-hypervisor', label: 'Host OS & Hypervisor', kind: 'infrastructure', source: seed(TB, TB_TITLE) },
  'vm-admin': { id: 'vm-admin', label: 'Virtual Machine Administrator', kind: 'infrastructure', source: seed(TB, TB_TITLE) },
  'guest-firmware': {
    id: 'guest-firmware',
    label: 'Guest firmware',
    kind: 'workload',
    source: seed('003_9e0cb27a51a6d34f.txt', 'Confidential Virtual Machines', 'Guest firmware and boot sequence is measured'),
    seeAlso: [seed('003_9e0cb27a51a6d34f.txt', 'How do we get this to work?', 'Guest firmware support')],
  },
  'guest-os': { id: 'guest-os', label: 'Guest OS', kind: 'workload', source: seed(TB, TB_TITLE) },
  application: { id: 'application', label: 'Application or Process', kind: 'workload', source: seed(TB, TB_TITLE) },
  'function-library': {
    id: 'function-library',
    label: 'Function or Library',
    kind: 'workload',
    source: seed(TB, 'Confidential Computing: Function or Library Isolation'),
  },
  'confidential-data': { id: 'confidential-data', label: 'Confidential Data', kind: 'data', source: seed(TB, TB_TITLE) },
  'tdx-module': {
    id: 'tdx-module',
    label: 'TDX module (SEAM)',
    kind: 'root',
    source: seed('003_9e0cb27a51a6d34f.txt', 'Intel TDX (and SGX)', 'New CPU mode, Secure Arbitration Mode (SEAM)'),
    seeAlso: [seed('003_9e0cb27a51a6d34f.txt', 'Intel TDX (and SGX)', 'Various binary modules expose required services')],
  },
  // Software, not hardware: nothing vouches for its code but a reference value for the launch digest (not 'root').
  paravisor: {
    id: 'paravisor',
    label: 'Paravisor (HCL) and vTPM',
    kind: 'workload',
    source: seed('003_9e0cb27a51a6d34f.txt', 'AMD SEV-ES and SEV-SNP', 'VMPLs enable protected services, e.g. vTPM'),
  },
  'tee-hardware': {
    id: 'tee-hardware',
    label: 'TEE Hardware',
    kind: 'root',
    source: seed('004_4409214c4d422acc.txt', 'Trust assumptions', 'Confidential Computing: trusting only hardware (TEE)'),
    seeAlso: [
      seed('002_e574538adb639cf8.txt', 'What is needed for a fully functional attestation mechanism ?', 'HW RoT for storage, reporting and measurement'),
    ],
  },
};

const SEED_RINGS: readonly LayerId[] = ['cloud-stack', 'bios-firmware', 'host-os-hypervisor', 'vm-admin', 'guest-os', 'application', 'confidential-data'];
/** Azure confidential VMs: the paravisor (HCL) and its vTPM sit between the VM administrator and the guest firmware, inside the TCB. */
const AZURE_LAYERS: readonly LayerId[] = [
  'cloud-stack',
  'bios-firmware',
  'host-os-hypervisor',
  'vm-admin',
  'paravisor',
  'guest-firmware',
  'guest-os',
  'application',
  'confidential-data',
];

/** The seed's four pictures, for a side-by-side comparison. */
export const ISOLATION_MODELS: Readonly<Record<IsolationModelId, IsolationModel>> = {
  none: {
    id: 'none',
    label: 'Without Confidential Computing',
    layers: SEED_RINGS,
    inside: SEED_RINGS,
    source: seed(TB, 'Without Confidential Computing', undefined, DRAWN),
  },
  vm: {
    id: 'vm',
    label: 'Confidential Computing: VM Isolation',
    layers: SEED_RINGS,
    inside: ['vm-admin', 'guest-os', 'application', 'confidential-data'],
    source: seed(TB, 'Confidential Computing: VM Isolation', undefined, DRAWN),
    seeAlso: [seed(TB, 'VM Isolation (e.g. Intel® TDX)')],
  },
  process: {
    id: 'process',
    label: 'Confidential Computing: Application or Process Isolation',
    layers: SEED_RINGS,
    inside: ['application', 'confidential-data'],
    source: seed(TB, 'Confidential Computing: Application or Process Isolation', undefined, DRAWN),
    seeAlso: [seed(TB, 'App Isolation (e.g. Intel® SGX)')],
  },
  function: {
    id: 'function',
    label: 'Confidential Computing: Function or Library Isolation',
    layers: ['cloud-stack', 'bios-firmware', 'host-os-hypervisor', 'vm-admin', 'guest-os', 'application', 'function-library', 'confidential-data'],
    inside: ['function-library', 'confidential-data'],
    source: seed(TB, 'Confidential Computing: Function or Library Isolation', undefined, DRAWN),
  },
};

/** Each technology's isolation picture as its module declares it: VM for TDX and SEV-SNP, process for SGX (000, 001: "Process-based" / "VM-based TEEs"). */
export const ISOLATION_OF: Readonly<Record<Technology, IsolationModelId>> = Object.fromEntries(
  TECHNOLOGIES.map((t) => [t, technologyInfo(t)!.isolation]),
) as Record<Technology, IsolationModelId>;

/**
 * Layers shown per technology, outermost first. Added to the seed's rings: the guest firmware of a
 * confidential VM (measured, so worth its own row), the TDX module, and the TEE hardware the boundary
 * is rooted in — listed last, as the root rather than a ring.
 */
export const TECH_LAYERS: Readonly<Record<Technology, readonly LayerId[]>> = {
  sgx: ['cloud-stack', 'bios-firmware', 'host-os-hypervisor', 'vm-admin', 'guest-os', 'application', 'confidential-data', 'tee-hardware'],
  tdx: [
    'cloud-stack',
    'bios-firmware',
    'host-os-hypervisor',
    'vm-admin',
    'guest-firmware',
    'guest-os',
    'application',
    'confidential-data',
    'tdx-module',
    'tee-hardware',
  ],
  'sev-snp': [
    'cloud-stack',
    'bios-firmware',
    'host-os-hypervisor',
    'vm-admin',
    'guest-firmware',
    'guest-os',
    'application',
    'confidential-data',
    'tee-hardware',
  ],
  'azure-snp-vtpm': [...AZURE_LAYERS, 'tee-hardware'],
  'azure-tdx-vtpm': [...AZURE_LAYERS, 'tdx-module', 'tee-hardware'],
  // No isolation: the seed's picture without confidential computing; a TPM measures, it does not isolate.
  tpm: SEED_RINGS,
};

/** Inside the boundary: the model's inside set, plus the added layers (all inside what the hardware protects). */
export function isInside(technology: Technology, layer: LayerId): boolean {
  if (layer === 'guest-firmware' || layer === 'tdx-module' || layer === 'tee-hardware' || layer === 'paravisor') return true;
  return ISOLATION_MODELS[ISOLATION_OF[technology]].inside.includes(layer);
}
