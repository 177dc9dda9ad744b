import type { CryptoProvider } from '../../../crypto/provider.js';
import type { ValueProvenanceJson } from '../../../appraisal/create-reference.js';
import type { ProvenanceInput } from '../../../appraisal/reference.js';
import { DEFAULT_QEMU_MEMORY, predictBootEvents } from '../../eventlog/predict/index.js';
import type { BootPath, BootPrediction, InitrdOption } from '../../eventlog/predict/index.js';
import { provenanceInput } from '../../snp/measure/reference-values.js';
import type { NamedBytes } from '../../snp/measure/reference-values.js';
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
  for (const p of bootPredictions(input, crypto)) {
    claims[p.claim] = [p.value];
    provenance.push(bootProvenance(p, input, tool, createdAt, crypto));
  }
  return { technology: 'tdx', claims, provenance };
}

function bootPredictions(input: TdxArtefacts, crypto: CryptoProvider): BootPrediction[] {
  if (!input.boot) return [];
  return predictBootEvents(
    {
      path: input.boot,
      bank: 'SHA-384',
      ...(input.kernel ? { kernel: input.kernel.bytes } : {}),
      ...(input.initrd ? { initrd: input.initrd.bytes } : {}),
      ...(input.cmdline !== undefined ? { cmdline: input.cmdline } : {}),
      ...(input.memoryBytes !== undefined ? { memoryBytes: input.memoryBytes } : {}),
      ...(input.initrdOption ? { initrdOption: input.initrdOption } : {}),
    },
    crypto,
  );
}

/**
 * One entry per predicted event. On the QEMU direct path the kernel's digest depends on the initrd's size, the
 * command line and the memory size (QEMU patches them into the setup header), so those are recorded with it.
 */
function bootProvenance(p: BootPrediction, input: TdxArtefacts, tool: string, createdAt: string, crypto: CryptoProvider): ValueProvenanceJson {
  const file = p.input === 'kernel' ? input.kernel : p.input === 'initrd' ? input.initrd : undefined;
  const inputs: ProvenanceInput[] = file ? [provenanceInput(p.input, file, crypto)] : [];
  const qemuKernel = p.input === 'kernel' && input.boot === 'qemu-direct';
  if (qemuKernel && input.initrd) inputs.push(provenanceInput('initrd', input.initrd, crypto));
  const parameters: Record<string, string | number | boolean> = { boot: input.boot!, bank: 'SHA-384' };
  if (p.input === 'cmdline' || qemuKernel) parameters.cmdline = input.cmdline ?? '';
  if (qemuKernel) parameters.memoryBytes = input.memoryBytes ?? DEFAULT_QEMU_MEMORY;
  if (input.boot === 'qemu-direct' && p.input === 'cmdline' && input.initrd) parameters.initrdOption = input.initrdOption ?? 'prefix';
  return { claims: { [p.claim]: p.value }, source: 'artefacts', tool, createdAt, method: p.method, inputs, parameters, describes: { [p.claim]: p.label } };
}
