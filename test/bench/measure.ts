import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { measureTdx } from '../../app/tee/tdx/measure/index.js';
import { measureSnp, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import { medianMs } from './median.js';
import { nodeCryptoProvider, nodeSha384Stream } from '../../main/node-crypto.js';
import { predictBootEvents, predictQemuDirectRtmrs } from '../../app/tee/eventlog/predict/index.js';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import { signReference } from '../../main/reference/sign.js';
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

/** A real kernel where the CI unpacked one (TEE_PE_SAMPLES, or /boot), else none: the line then says it skipped. */
function realKernel(): Uint8Array | undefined {
  const dirs = [...(process.env.TEE_PE_SAMPLES ?? '').split(':'), '/boot'].filter((d) => d && existsSync(d));
  for (const d of dirs) {
    const f = readdirSync(d).find((n) => /^vmlinuz-/.test(n));
    if (f) return new Uint8Array(readFileSync(join(d, f)));
  }
  return undefined;
}

/** Median ms of the qemu-direct boot predictions (QEMU-patched Authenticode, initrd and command line digests, RTMR1/2) of a real kernel and a 32 MiB initrd. */
export async function benchBootPredict(budget: Budget): Promise<{ ms: number; kernelBytes: number } | undefined> {
  const kernel = realKernel();
  if (!kernel) return undefined;
  const initrd = new Uint8Array(32 << 20).fill(0x5a);
  const crypto = nodeCryptoProvider();
  const small = { ...budget, iterations: Math.min(budget.iterations, 10) };
  const ms = await medianMs(small, async () => {
    const p = predictBootEvents(
      { kernel, initrd, cmdline: 'console=ttyS0 root=/dev/vda1', path: 'qemu-direct', memoryBytes: 4 * 2 ** 30, bank: 'SHA-384' },
      crypto,
    );
    predictQemuDirectRtmrs(p, crypto);
  });
  return { ms, kernelBytes: kernel.length };
}

/** Median ms of reading a signed reference file with its key (JWS decode, ES256 verify, strict parse), node:crypto. */
export async function benchSignedReference(budget: Budget): Promise<number> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jws = await signReference(
    readFileSync('docs/examples/tdx-dcapqvl-v4.reference.json', 'utf8'),
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const bytes = new TextEncoder().encode(jws);
  const crypto = nodeCryptoProvider();
  return medianMs(budget, async () => void (await readReferenceFile(bytes, { publicKeyPem, crypto })));
}
