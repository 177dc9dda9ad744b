import type { ReferenceSetJson } from '../../../../app/appraisal/create-reference.js';
import { artefactSet } from '../../../../app/appraisal/artefact-set.js';
import { nobleProvider } from '../../../../app/crypto/noble.js';
import { TeeError } from '../../../../app/errors.js';
import { snpReferenceValues } from '../../../../app/tee/snp/measure/reference-values.js';
import type { NamedBytes } from '../../../../app/appraisal/artefact-set.js';
import { VCPU_SIGS } from '../../../../app/tee/snp/measure/index.js';
import type { Vmm } from '../../../../app/tee/snp/measure/index.js';
import { tdxReferenceValues } from '../../../../app/tee/tdx/measure/reference-values.js';
import type { PageAddOrder } from '../../../../app/tee/tdx/measure/index.js';
import type { BootPath, InitrdOption } from '../../../../app/tee/eventlog/predict/index.js';

/** What the user gives: the build's files and launch parameters, as the `measure` commands take them. */
export interface DeriveForm {
  technology: 'sev-snp' | 'tdx';
  firmware?: File;
  kernel?: File;
  initrd?: File;
  /** undefined: no command line given (SNP: measured as empty when a kernel is). */
  cmdline: string;
  vcpus: string;
  vcpuType: string;
  vmm: Vmm;
  guestFeatures: string;
  pageAddOrder: PageAddOrder;
  boot: BootPath | 'none';
  memoryMiB: string;
  /** qemu-direct: where OVMF puts "initrd=initrd" in the load options (edk2 today: in front; dstack-mr: behind). */
  initrdOption: InitrdOption;
  /** SEV-SNP with a Coconut SVSM in front of OVMF, and the OVMF variable store's size in bytes. */
  svsm?: File;
  varsSize: string;
  setName: string;
}

export function initialForm(technology: string | undefined): DeriveForm {
  return {
    technology: technology === 'sev-snp' ? 'sev-snp' : 'tdx',
    cmdline: '',
    vcpus: '1',
    vcpuType: 'EPYC-v4',
    vmm: 'qemu',
    guestFeatures: '0x1',
    pageAddOrder: 'single',
    boot: 'none',
    memoryMiB: '2048',
    initrdOption: 'prefix',
    varsSize: '540672',
    setName: '',
  };
}

/** The largest file read for a measurement: beyond any firmware, kernel or initrd, and bounds the memory used. */
export const MAX_ARTEFACT_BYTES = 512 * 1024 * 1024;

async function named(f: File | undefined, what: string): Promise<NamedBytes | undefined> {
  if (!f) return undefined;
  if (f.size > MAX_ARTEFACT_BYTES) throw new TeeError('USAGE_ERROR', `the ${what} ${f.name} is ${f.size} bytes, more than the 512 MiB read for a measurement`);
  return { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
}

function whole(text: string, what: string, min: number, max: number): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new TeeError('USAGE_ERROR', `${what} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

function hexNumber(text: string, what: string): bigint {
  if (!/^0x[0-9a-f]{1,16}$/i.test(text.trim())) throw new TeeError('USAGE_ERROR', `${what} must be 0x-prefixed hex (for example 0x1), not "${text}"`);
  return BigInt(text.trim());
}

/** The set these artefacts predict, computed in the renderer with the pure core (no upload, no network). */
export async function deriveSet(form: DeriveForm, tool: string, createdAt: string): Promise<ReferenceSetJson> {
  const crypto = nobleProvider();
  const ovmf = await named(form.firmware, 'firmware image');
  if (!ovmf) throw new TeeError('USAGE_ERROR', 'choose the firmware (OVMF/TDVF) image the guest is launched with');
  const kernel = await named(form.kernel, 'kernel');
  const initrd = await named(form.initrd, 'initrd');
  if (initrd && !kernel) throw new TeeError('USAGE_ERROR', 'an initrd is measured only with the kernel it is loaded by: choose the kernel too');
  const common = { ...(kernel ? { kernel } : {}), ...(initrd ? { initrd } : {}) };
  const svsm = form.technology === 'sev-snp' ? await named(form.svsm, 'SVSM image') : undefined;
  if (svsm && kernel) throw new TeeError('USAGE_ERROR', 'an SVSM launch measures no kernel of its own: clear the kernel, or the SVSM image');
  const values = form.technology === 'sev-snp' ? snp(form, ovmf, common, svsm, tool, createdAt, crypto) : tdx(form, ovmf, common, tool, createdAt, crypto);
  return artefactSet(values, tool, form.setName);
}

type Files = { kernel?: NamedBytes; initrd?: NamedBytes };

function snp(
  form: DeriveForm,
  ovmf: NamedBytes,
  files: Files,
  svsm: NamedBytes | undefined,
  tool: string,
  createdAt: string,
  crypto: ReturnType<typeof nobleProvider>,
) {
  const sig = form.vmm === 'qemu' ? VCPU_SIGS[form.vcpuType] : undefined;
  if (form.vmm === 'qemu' && sig === undefined) throw new TeeError('USAGE_ERROR', `unknown vCPU type "${form.vcpuType}"`);
  if (svsm && form.vmm !== 'qemu') throw new TeeError('USAGE_ERROR', 'an SVSM launch is measured as QEMU makes it: choose the QEMU VMM');
  return snpReferenceValues(
    {
      ovmf,
      vcpus: whole(form.vcpus, 'the vCPU count', 1, 4096),
      ...(form.vmm === 'qemu' ? { vcpuType: form.vcpuType, vcpuSig: sig! } : {}),
      vmm: form.vmm,
      guestFeatures: hexNumber(form.guestFeatures, 'the guest features'),
      ...files,
      ...(files.kernel ? { append: form.cmdline } : {}),
      ...(svsm ? { svsm: { image: svsm, varsSize: whole(form.varsSize, 'the OVMF variable store size (bytes)', 0, 64 * 1024 * 1024) } } : {}),
    },
    tool,
    createdAt,
    crypto,
  );
}

function tdx(form: DeriveForm, ovmf: NamedBytes, files: Files, tool: string, createdAt: string, crypto: ReturnType<typeof nobleProvider>) {
  if (files.kernel && form.boot === 'none')
    throw new TeeError('USAGE_ERROR', 'say how the kernel is booted (QEMU direct, UEFI or GRUB) so its events can be predicted');
  const boot = form.boot === 'none' ? undefined : form.boot;
  return tdxReferenceValues(
    {
      ovmf,
      pageAddOrder: form.pageAddOrder,
      ...files,
      ...(boot ? { boot, cmdline: form.cmdline } : {}),
      ...(boot === 'qemu-direct'
        ? { memoryBytes: whole(form.memoryMiB, 'the guest memory (MiB)', 16, 16 * 1024 * 1024) * 1024 * 1024, initrdOption: form.initrdOption }
        : {}),
    },
    tool,
    createdAt,
    crypto,
  );
}
