import { basename } from 'node:path';
import type { ReferenceSetJson } from '../../app/appraisal/create-reference.js';
import { snpReferenceValues } from '../../app/tee/snp/measure/reference-values.js';
import type { NamedBytes } from '../../app/appraisal/artefact-set.js';
import { tdxReferenceValues } from '../../app/tee/tdx/measure/reference-values.js';
import type { TdxArtefacts } from '../../app/tee/tdx/measure/reference-values.js';
import { parseMeasureTdxArgs } from './measure-tdx.js';
import { artefactSet } from '../../app/appraisal/artefact-set.js';
import type { PredictedValues } from '../../app/appraisal/artefact-set.js';
import { claimKinds } from '../../app/appraisal/catalogue.js';
import type { Technology } from '../../app/appraisal/catalogue.js';
import { isTechnology, TECHNOLOGIES } from '../../app/tee/registry.js';
import { bootReferenceValues } from '../../app/tee/eventlog/predict/reference-values.js';
import type { BootValueInputs } from '../../app/tee/eventlog/predict/reference-values.js';
import type { BootPath } from '../../app/tee/eventlog/predict/index.js';
import type { CryptoProvider } from '../../app/crypto/provider.js';
import { nodeCryptoProvider, nodeSha384Stream } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { KERNEL_LIMIT, OVMF_LIMIT, parseMeasureArgs } from './measure-snp.js';
import { usage } from './reference-args.js';

/** A set of values predicted from build artefacts (`--measure`), each with the provenance that produced it. */
export async function measuredSet(
  kind: 'snp' | 'tdx' | 'boot',
  argv: string[],
  tool: string,
  createdAt: string,
  setName: string | undefined,
): Promise<ReferenceSetJson> {
  const crypto = nodeCryptoProvider();
  const values =
    kind === 'snp'
      ? snpReferenceValues(await snpArtefacts(argv), tool, createdAt, crypto)
      : kind === 'tdx'
        ? tdxReferenceValues(await tdxArtefacts(argv), tool, createdAt, crypto, nodeSha384Stream)
        : await bootValues(argv, tool, createdAt, crypto);
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
  return { ovmf: await named(a.ovmf, 'OVMF image', OVMF_LIMIT), pageAddOrder: a.pageAddOrder, ...(await bootArtefacts(argv, a.boot)) };
}

/** The boot flags as measure tdx parses them, the files read; the path must be named (see tdxArtefacts). */
async function bootArtefacts(
  argv: string[],
  b: ReturnType<typeof parseMeasureTdxArgs>['boot'],
): Promise<Omit<BootValueInputs, 'bank' | 'boot'> & { boot?: BootPath }> {
  if (!b) return {};
  if (!argv.some((x) => x === '--boot' || x.startsWith('--boot=')))
    throw usage('--kernel, --initrd and --append give boot.* values only with --boot qemu-direct|uefi|grub (each path measures them differently)');
  return {
    boot: b.path,
    kernel: await named(b.kernel, 'kernel', KERNEL_LIMIT),
    ...(b.initrd !== undefined ? { initrd: await named(b.initrd, 'initrd', KERNEL_LIMIT) } : {}),
    ...(b.append !== undefined ? { cmdline: b.append } : {}),
    ...(b.memoryBytes !== undefined ? { memoryBytes: b.memoryBytes } : {}),
    ...(b.initrdOption ? { initrdOption: b.initrdOption } : {}),
  };
}

/** The OVMF variable store's size, given as a number or as the store file itself. */
async function varsSize(s: { varsSize?: number; varsFile?: string }): Promise<number> {
  return s.varsSize ?? (await readInput(s.varsFile!, 'OVMF variable store', { limit: OVMF_LIMIT })).length;
}

/**
 * `--measure boot --technology T`: boot.* values alone, for any technology whose claims include them (a TPM or
 * Azure vTPM log: SHA-256; a TDX CC event log: SHA-384). The bank is the one the technology's claims are in.
 */
async function bootValues(argv: string[], tool: string, createdAt: string, crypto: CryptoProvider): Promise<PredictedValues> {
  const { technology, rest } = takeTechnology(argv);
  if (rest.some((x) => /^--(ovmf|page-add-order)(=|$)/.test(x)))
    throw usage('--measure boot takes no firmware: use --measure tdx for MRTD and boot values together');
  const kernelKind = claimKinds(technology)['boot.kernelDigest'];
  if (!kernelKind || kernelKind.kind !== 'hex')
    throw usage(`${technology} evidence carries no boot event claims (boot.*), so boot values cannot be reference values for it`);
  if (!rest.some((x) => x === '--kernel' || x.startsWith('--kernel=')))
    throw usage('--measure boot needs --boot PATH and --kernel FILE (and the initrd and command line it boots with)');
  const parsed = parseMeasureTdxArgs(rest);
  const { boot, ...files } = await bootArtefacts(rest, parsed.boot!);
  const bank = kernelKind.bytes === 48 ? 'SHA-384' : 'SHA-256';
  return { technology, ...bootReferenceValues({ ...files, boot: boot!, bank }, tool, createdAt, crypto) };
}

function takeTechnology(argv: string[]): { technology: Technology; rest: string[] } {
  const at = argv.findIndex((x) => x === '--technology' || x.startsWith('--technology='));
  const value = at < 0 ? undefined : argv[at]!.includes('=') ? argv[at]!.slice('--technology='.length) : argv[at + 1];
  if (value === undefined) throw usage('--measure boot needs --technology T (the evidence the values are for: tdx, tpm, azure-snp-vtpm, azure-tdx-vtpm)');
  if (!isTechnology(value)) throw usage(`--technology must be one of ${TECHNOLOGIES.join(', ')}, not "${value}"`);
  const rest = argv.filter((_, i) => i !== at && !(i === at + 1 && !argv[at]!.includes('=')));
  return { technology: value, rest };
}
