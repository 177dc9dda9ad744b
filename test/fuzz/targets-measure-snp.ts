import { readFileSync } from 'node:fs';
import { measureSevEs, measureSnp, parseOvmf, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import type { FuzzTarget } from './targets-azure.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/sev-snp-measure/${name}`, import.meta.url)));
/** The OVMF tails of sev-snp-measure's fixtures: footer GUID table, SEV metadata and reset vector in 4 KiB. */
const seeds = () => [fixture('ovmf_AmdSev_suffix.bin'), fixture('ovmf_OvmfX64_suffix.bin')];
const KERNEL = { kernel: new Uint8Array([1, 2, 3]), append: 'console=ttyS0' };
const SIG = VCPU_SIGS['EPYC-v4']!;

/** OVMF parsing and SNP / SEV-ES measurement of mutated images: a digest or a TeeError, never anything else. */
export const MEASURE_SNP_FUZZ_TARGETS: readonly FuzzTarget[] = [
  { name: 'ovmfParse', run: parseOvmf, seeds },
  {
    name: 'measureSnpQemuKernel',
    run: (b) => measureSnp({ ovmf: b, vcpus: 2, vcpuSig: SIG, vmm: 'qemu', guestFeatures: 0x21n, kernel: KERNEL }),
    seeds,
  },
  { name: 'measureSnpEc2', run: (b) => measureSnp({ ovmf: b, vcpus: 3, vcpuSig: SIG, vmm: 'ec2', guestFeatures: 0x1n }), seeds },
  { name: 'measureSnpGce', run: (b) => measureSnp({ ovmf: b, vcpus: 2, vcpuSig: 0, vmm: 'gce', guestFeatures: 0x1n }), seeds },
  { name: 'measureSevEs', run: (b) => measureSevEs({ ovmf: b, vcpus: 2, vcpuSig: SIG, vmm: 'qemu', kernel: KERNEL }), seeds },
];
