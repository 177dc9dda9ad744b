import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { measureTdx } from '../../app/tee/tdx/measure/index.js';
import { measureSnp, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import { medianMs } from './median.js';
import { nodeSha384Stream } from '../../main/node-crypto.js';
import type { Budget } from './median.js';

/** Debian's `ovmf` package: a real OVMF.fd carrying TDX metadata (2 MiB; Debian ships no 4 MiB one with TDX metadata). */
export const DEBIAN_OVMF = '/usr/share/ovmf/OVMF.fd';

/** Median ms of the MRTD of Debian's OVMF.fd, both page-add orders, with node:crypto's SHA-384 as the CLI does; undefined when the package is absent. */
export async function benchMeasureTdx(budget: Budget): Promise<{ single: number; twoPass: number; bytes: number } | undefined> {
  if (!existsSync(DEBIAN_OVMF)) return undefined;
  const image = new Uint8Array(readFileSync(DEBIAN_OVMF));
  const small = { ...budget, iterations: Math.min(budget.iterations, 20) };
  return {
    single: await medianMs(small, async () => void measureTdx(image, 'single', nodeSha384Stream)),
    twoPass: await medianMs(small, async () => void measureTdx(image, 'two-pass', nodeSha384Stream)),
    bytes: image.length,
  };
}

/**
 * Median ms of an SNP launch digest of a 4 MiB OVMF (4 vCPUs, EPYC-v4, QEMU) with node:crypto's SHA-384, as the CLI
 * measures: the image ends in sev-snp-measure's AmdSev fixture, so its metadata is real (Debian ships no 4 MiB OVMF.fd).
 */
export async function benchMeasureSnp(budget: Budget): Promise<number> {
  const suffix = new Uint8Array(readFileSync(new URL('../fixtures/sev-snp-measure/ovmf_AmdSev_suffix.bin', import.meta.url)));
  const ovmf = new Uint8Array(4 << 20);
  ovmf.set(suffix, ovmf.length - suffix.length);
  const sha384 = (b: Uint8Array) => new Uint8Array(createHash('sha384').update(b).digest());
  const small = { ...budget, iterations: Math.min(budget.iterations, 30) };
  return medianMs(small, async () => void measureSnp({ ovmf, vcpus: 4, vcpuSig: VCPU_SIGS['EPYC-v4']!, vmm: 'qemu', guestFeatures: 1n, sha384 }));
}
