import { basename } from 'node:path';
import type { ReferenceSetJson } from '../../app/appraisal/create-reference.js';
import { snpReferenceValues } from '../../app/tee/snp/measure/reference-values.js';
import type { NamedBytes } from '../../app/tee/snp/measure/reference-values.js';
import { tdxReferenceValues } from '../../app/tee/tdx/measure/reference-values.js';
import type { TdxArtefacts } from '../../app/tee/tdx/measure/reference-values.js';
import { parseMeasureTdxArgs } from './measure-tdx.js';
import { artefactSet } from '../../app/appraisal/artefact-set.js';
import { nodeCryptoProvider, nodeSha384Stream } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { KERNEL_LIMIT, OVMF_LIMIT, parseMeasureArgs } from './measure-snp.js';
import { usage } from './reference-args.js';

/** A set of values predicted from build artefacts (`--measure`), each with the provenance that produced it. */
export async function measuredSet(
  kind: 'snp' | 'tdx',
  argv: string[],
  tool: string,
  createdAt: string,
  setName: string | undefined,
): Promise<ReferenceSetJson> {
  const crypto = nodeCryptoProvider();
  const values =
    kind === 'snp'
      ? snpReferenceValues(await snpArtefacts(argv), tool, createdAt, crypto)
      : tdxReferenceValues(await tdxArtefacts(argv), tool, createdAt, crypto, nodeSha384Stream);
  return artefactSet(values, tool, setName);
}

async function named(path: string, what: string, limit: number): Promise<NamedBytes> {
  return { name: basename(path), bytes: await readInput(path, what, { limit }) };
}

/** The `measure snp` flags, parsed by measure snp's own parser. */
async function snpArtefacts(argv: string[]) {
  const a = parseMeasureArgs(argv, 'snp');
  return {
    ovmf: await named(a.ovmf, 'OVMF', OVMF_LIMIT),
    ...(a.ovmfHash ? { ovmfHash: a.ovmfHash } : {}),
    vcpus: a.vcpus,
    ...(a.vcpuType !== undefined ? { vcpuType: a.vcpuType } : {}),
    ...(a.vcpuSig !== undefined ? { vcpuSig: a.vcpuSig } : {}),
    vmm: a.vmm,
    guestFeatures: a.guestFeatures,
    ...(a.kernel ? { kernel: await named(a.kernel, 'kernel', KERNEL_LIMIT) } : {}),
    ...(a.initrd ? { initrd: await named(a.initrd, 'initrd', KERNEL_LIMIT) } : {}),
    ...(a.append !== undefined ? { append: a.append } : {}),
    ...(a.svsm ? { svsm: { image: await named(a.svsm.file, 'SVSM image', OVMF_LIMIT), varsSize: await varsSize(a.svsm) } } : {}),
  };
}

/**
 * The `measure tdx` flags, parsed by measure tdx's own parser. For a reference set the boot path must be named:
 * the same files measure differently on each path, and a value predicted for the wrong one would never match.
 */
async function tdxArtefacts(argv: string[]): Promise<TdxArtefacts> {
  const a = parseMeasureTdxArgs(argv);
  if (a.ovmf === undefined) throw usage('--measure tdx needs --ovmf FILE');
  const named_ = (flag: string) => argv.some((x) => x === flag || x.startsWith(`${flag}=`));
  if (a.boot && !named_('--boot'))
    throw usage('--kernel, --initrd and --append give boot.* values only with --boot qemu-direct|uefi|grub (each path measures them differently)');
  const b = a.boot;
  return {
    ovmf: await named(a.ovmf, 'OVMF image', OVMF_LIMIT),
    pageAddOrder: a.pageAddOrder,
    ...(b ? { boot: b.path, kernel: await named(b.kernel, 'kernel', KERNEL_LIMIT) } : {}),
    ...(b?.initrd !== undefined ? { initrd: await named(b.initrd, 'initrd', KERNEL_LIMIT) } : {}),
    ...(b?.append !== undefined ? { cmdline: b.append } : {}),
    ...(b?.memoryBytes !== undefined ? { memoryBytes: b.memoryBytes } : {}),
    ...(b?.initrdOption ? { initrdOption: b.initrdOption } : {}),
  };
}

/** The OVMF variable store's size, given as a number or as the store file itself. */
async function varsSize(s: { varsSize?: number; varsFile?: string }): Promise<number> {
  return s.varsSize ?? (await readInput(s.varsFile!, 'OVMF variable store', { limit: OVMF_LIMIT })).length;
}
