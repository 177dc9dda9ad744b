import type { CryptoProvider } from '../../../crypto/provider.js';
import type { ValueProvenanceJson } from '../../../appraisal/create-reference.js';
import type { ProvenanceInput } from '../../../appraisal/reference.js';
import { provenanceInput } from '../../../appraisal/artefact-set.js';
import type { NamedBytes } from '../../../appraisal/artefact-set.js';
import { DEFAULT_QEMU_MEMORY, predictBootEvents } from './index.js';
import type { BootPath, BootPrediction, InitrdOption } from './index.js';

/** The files and parameters of one boot path, as `reference create` and the app take them. */
export interface BootValueInputs {
  boot: BootPath;
  /** The event log's bank: SHA-384 for a CC event log (TDX), SHA-256 for a TPM log. */
  bank: 'SHA-384' | 'SHA-256';
  kernel?: NamedBytes;
  initrd?: NamedBytes;
  cmdline?: string;
  /** qemu-direct: guest memory in bytes. */
  memoryBytes?: number;
  initrdOption?: InitrdOption;
}

/** The boot.* values these artefacts give on this path, each with its own provenance entry. */
export function bootReferenceValues(
  input: BootValueInputs,
  tool: string,
  createdAt: string,
  crypto: CryptoProvider,
): { claims: Record<string, string[]>; provenance: ValueProvenanceJson[] } {
  const claims: Record<string, string[]> = {};
  const provenance: ValueProvenanceJson[] = [];
  for (const p of predictions(input, crypto)) {
    claims[p.claim] = [p.value];
    provenance.push(bootProvenance(p, input, tool, createdAt, crypto));
  }
  return { claims, provenance };
}

function predictions(input: BootValueInputs, crypto: CryptoProvider): BootPrediction[] {
  return predictBootEvents(
    {
      path: input.boot,
      bank: input.bank,
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
function bootProvenance(p: BootPrediction, input: BootValueInputs, tool: string, createdAt: string, crypto: CryptoProvider): ValueProvenanceJson {
  const file = p.input === 'kernel' ? input.kernel : p.input === 'initrd' ? input.initrd : undefined;
  const inputs: ProvenanceInput[] = file ? [provenanceInput(p.input, file, crypto)] : [];
  const qemuKernel = p.input === 'kernel' && input.boot === 'qemu-direct';
  if (qemuKernel && input.initrd) inputs.push(provenanceInput('initrd', input.initrd, crypto));
  const parameters: Record<string, string | number | boolean> = { boot: input.boot, bank: input.bank };
  if (p.input === 'cmdline' || qemuKernel) parameters.cmdline = input.cmdline ?? '';
  if (qemuKernel) parameters.memoryBytes = input.memoryBytes ?? DEFAULT_QEMU_MEMORY;
  if (input.boot === 'qemu-direct' && p.input === 'cmdline' && input.initrd) parameters.initrdOption = input.initrdOption ?? 'prefix';
  return { claims: { [p.claim]: p.value }, source: 'artefacts', tool, createdAt, method: p.method, inputs, parameters, describes: { [p.claim]: p.label } };
}
