import type { CryptoProvider } from '../../../crypto/provider.js';
import type { ValueProvenanceJson } from '../../../appraisal/create-reference.js';
import { bootReferenceValues } from '../../eventlog/predict/reference-values.js';
import type { BootPath, InitrdOption } from '../../eventlog/predict/index.js';
import { provenanceInput } from '../../../appraisal/artefact-set.js';
import type { NamedBytes } from '../../../appraisal/artefact-set.js';
import { measureTdx } from './index.js';
import type { PageAddOrder, Sha384Factory } from './index.js';

/** The `measure tdx` inputs; kernel, initrd and command line give event-level values when a boot path is named. */
export interface TdxArtefacts {
  ovmf: NamedBytes;
  pageAddOrder: PageAddOrder;
  kernel?: NamedBytes;
  initrd?: NamedBytes;
  cmdline?: string;
  boot?: BootPath;
  /** qemu-direct: guest memory in bytes. */
  memoryBytes?: number;
  /** qemu-direct: where OVMF puts "initrd=initrd" in the load options (edk2 today: in front). */
  initrdOption?: InitrdOption;
}

export interface TdxReferenceValues {
  technology: 'tdx';
  claims: Record<string, string[]>;
  provenance: ValueProvenanceJson[];
}

/**
 * MRTD from the firmware image, and with a boot path the boot.* event digests of kernel, initrd and command line,
 * each value with its own provenance entry: the inputs and parameters that produced it and what it measures, so a
 * mismatch can name the input that explains it.
 */
export function tdxReferenceValues(
  input: TdxArtefacts,
  tool: string,
  createdAt: string,
  crypto: CryptoProvider,
  createSha384?: Sha384Factory,
): TdxReferenceValues {
  const m = measureTdx(input.ovmf.bytes, input.pageAddOrder, createSha384);
  const claims: Record<string, string[]> = { mrTd: [m.mrTd] };
  const provenance: ValueProvenanceJson[] = [
    {
      claims: { mrTd: m.mrTd },
      source: 'artefacts',
      tool,
      createdAt,
      method: 'measure tdx (TDH.MEM.PAGE.ADD and TDH.MR.EXTEND of the TDVF sections)',
      inputs: [provenanceInput('ovmf', input.ovmf, crypto)],
      parameters: { pageAddOrder: input.pageAddOrder },
      describes: { mrTd: 'TD firmware (TDVF/OVMF) image' },
    },
  ];
  if (input.boot) {
    const { kernel, initrd, cmdline, boot, memoryBytes, initrdOption } = input;
    const values = bootReferenceValues(
      {
        boot,
        bank: 'SHA-384',
        ...(kernel ? { kernel } : {}),
        ...(initrd ? { initrd } : {}),
        ...(cmdline !== undefined ? { cmdline } : {}),
        ...(memoryBytes !== undefined ? { memoryBytes } : {}),
        ...(initrdOption ? { initrdOption } : {}),
      },
      tool,
      createdAt,
      crypto,
    );
    Object.assign(claims, values.claims);
    provenance.push(...values.provenance);
  }
  return { technology: 'tdx', claims, provenance };
}
