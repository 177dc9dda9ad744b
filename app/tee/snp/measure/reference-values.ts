import { toHex } from '../../../bytes/hex.js';
import { digestSync } from '../../../crypto/digest-sync.js';
import type { CryptoProvider } from '../../../crypto/provider.js';
import type { ValueProvenanceJson } from '../../../appraisal/create-reference.js';
import { provenanceInput } from '../../../appraisal/artefact-set.js';
import type { NamedBytes } from '../../../appraisal/artefact-set.js';
import { measureSnp } from './snp.js';
import { measureSnpSvsm } from './svsm.js';
import type { Vmm } from './vmsa.js';
import { REFERENCE_IMPLEMENTATION } from './index.js';

/** The `measure snp` inputs, with the files' names kept for the provenance. */
export interface SnpArtefacts {
  ovmf: NamedBytes;
  ovmfHash?: Uint8Array;
  vcpus: number;
  vcpuType?: string;
  /** Undefined when the VMM ignores it (EC2, GCE). */
  vcpuSig?: number;
  vmm: Vmm;
  guestFeatures: bigint;
  kernel?: NamedBytes;
  initrd?: NamedBytes;
  append?: string;
  /** A Coconut SVSM launched in front of OVMF, and the size of the OVMF variable store QEMU maps below it. */
  svsm?: { image: NamedBytes; varsSize: number };
}

export interface SnpReferenceValues {
  technology: 'sev-snp';
  claims: Record<string, string[]>;
  provenance: ValueProvenanceJson[];
}

/**
 * The SEV-SNP launch digest of these artefacts as a reference value, with every input and parameter that changes
 * the digest recorded, so a reader can rebuild it (or see which input differs). The crypto gives SHA-256 for the
 * files' digests and a synchronous SHA-384 for the launch digest's thousand-odd pages.
 */
export function snpReferenceValues(input: SnpArtefacts, tool: string, createdAt: string, crypto: CryptoProvider): SnpReferenceValues {
  if (input.svsm) return svsmReferenceValues(input, input.svsm, tool, createdAt, crypto);
  const kernel = input.kernel ? { kernel: input.kernel.bytes, ...(input.initrd ? { initrd: input.initrd.bytes } : {}), append: input.append ?? '' } : undefined;
  const m = measureSnp({
    ovmf: input.ovmf.bytes,
    ...(input.ovmfHash ? { ovmfHash: input.ovmfHash } : {}),
    vcpus: input.vcpus,
    vcpuSig: input.vcpuSig ?? 0,
    vmm: input.vmm,
    guestFeatures: input.guestFeatures,
    ...(kernel ? { kernel } : {}),
    sha384: (b) => digestSync(crypto, 'SHA-384', b),
  });
  const files: [string, NamedBytes | undefined][] = [
    ['ovmf', input.ovmf],
    ['kernel', input.kernel],
    ['initrd', input.initrd],
  ];
  const inputs = files.flatMap(([role, f]) => (f ? [provenanceInput(role, f, crypto)] : []));
  return {
    technology: 'sev-snp',
    claims: { measurement: [m.measurement] },
    provenance: [
      {
        claims: { measurement: m.measurement },
        source: 'artefacts',
        tool,
        createdAt,
        method: `measure snp (as ${REFERENCE_IMPLEMENTATION})`,
        inputs,
        parameters: snpParameters(input),
        describes: { measurement: 'SEV-SNP launch digest' },
      },
    ],
  };
}

/** Every parameter that enters the digest; a kernel's command line is recorded even when empty (it is measured). */
function snpParameters(input: SnpArtefacts): Record<string, string | number | boolean> {
  return {
    vcpus: input.vcpus,
    ...(input.vcpuType !== undefined ? { vcpuType: input.vcpuType } : {}),
    ...(input.vcpuSig !== undefined ? { vcpuSig: `0x${input.vcpuSig.toString(16)}` } : {}),
    vmm: input.vmm,
    guestFeatures: `0x${input.guestFeatures.toString(16)}`,
    ...(input.ovmfHash ? { ovmfHash: toHex(input.ovmfHash) } : {}),
    ...(input.kernel ? { append: input.append ?? '', initrd: input.initrd ? 'given' : 'none (empty)' } : { kernel: 'none (no direct kernel boot)' }),
  };
}

/** sev-snp-measure's snp:svsm mode: the SVSM's own launch (QEMU, guest features 0x1), its image and store size recorded. */
function svsmReferenceValues(
  input: SnpArtefacts,
  svsm: NonNullable<SnpArtefacts['svsm']>,
  tool: string,
  createdAt: string,
  crypto: CryptoProvider,
): SnpReferenceValues {
  const { measurement } = measureSnpSvsm({
    ovmf: input.ovmf.bytes,
    svsm: svsm.image.bytes,
    varsSize: svsm.varsSize,
    vcpus: input.vcpus,
    vcpuSig: input.vcpuSig ?? 0,
    sha384: (b) => digestSync(crypto, 'SHA-384', b),
  });
  const parameters = {
    vcpus: input.vcpus,
    ...(input.vcpuType !== undefined ? { vcpuType: input.vcpuType } : {}),
    vcpuSig: `0x${(input.vcpuSig ?? 0).toString(16)}`,
    vmm: 'qemu',
    guestFeatures: '0x1',
    varsSize: svsm.varsSize,
  };
  return {
    technology: 'sev-snp',
    claims: { measurement: [measurement] },
    provenance: [
      {
        claims: { measurement },
        source: 'artefacts',
        tool,
        createdAt,
        method: `measure snp --svsm (as ${REFERENCE_IMPLEMENTATION}, snp:svsm mode)`,
        inputs: [provenanceInput('ovmf', input.ovmf, crypto), provenanceInput('svsm', svsm.image, crypto)],
        parameters,
        describes: { measurement: 'SEV-SNP launch digest (Coconut SVSM and OVMF)' },
      },
    ],
  };
}
