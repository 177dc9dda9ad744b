import { ParseError, TeeError } from '../../../errors.js';
import { toHex } from '../../../bytes/hex.js';
import { LaunchDigest } from './gctx.js';
import type { Sha384 } from './gctx.js';
import { OVMF_GUIDS } from './guid.js';
import { parseOvmf, tableU32 } from './ovmf.js';
import type { Ovmf, SevSection } from './ovmf.js';
import { sevHashes, sevHashPage } from './sev-hashes.js';
import type { KernelInputs, SevHashes } from './sev-hashes.js';
import { vmsaPages } from './vmsa.js';
import type { Vmm } from './vmsa.js';

export interface SnpMeasureInput {
  ovmf: Uint8Array;
  /** A precalculated OVMF digest (48 bytes) that seeds the launch digest in place of the image's pages. */
  ovmfHash?: Uint8Array;
  vcpus: number;
  /** CPUID signature put in RDX (QEMU only; EC2 and GCE use their own). */
  vcpuSig: number;
  vmm: Vmm;
  /** SEV_FEATURES of every VMSA (0x1 SNP active; 0x21 adds DebugSwap). */
  guestFeatures: bigint;
  kernel?: KernelInputs;
  /** The SHA-384 to use (default @noble/hashes); the result does not depend on it. */
  sha384?: Sha384;
}

export interface SnpMeasurement {
  /** The SNP launch digest, 96 hex digits. */
  measurement: string;
  hashes?: SevHashes;
  sections: readonly SevSection[];
  ovmf: Ovmf;
}

const PAGE_MASK = 0xfff;
export const MAX_VCPUS = 4096;

/** The SNP launch digest of a guest launched with these inputs (as virtee/sev-snp-measure computes it). */
export function measureSnp(input: SnpMeasureInput): SnpMeasurement {
  checkVcpus(input.vcpus);
  const ovmf = parseOvmf(input.ovmf);
  const gctx = input.ovmfHash ? seeded(input.ovmfHash, input.sha384) : new LaunchDigest(undefined, input.sha384);
  if (!input.ovmfHash) gctx.normalPages(ovmf.gpa, ovmf.bytes);
  const hashes = input.kernel && sevHashes(input.kernel);
  if (hashes && !ovmf.sections.some((s) => s.type === 'SNP_KERNEL_HASHES'))
    throw new TeeError(
      'USAGE_ERROR',
      'this OVMF has no SNP_KERNEL_HASHES section, so a kernel cannot be measured (use an AmdSev build of OVMF, or drop --kernel)',
    );
  measureSections(gctx, ovmf, hashes, input.vmm);
  const apEip = resetEip(ovmf, input.vcpus);
  for (const page of vmsaPages(input.vcpus, apEip, input.guestFeatures, input.vcpuSig, input.vmm)) gctx.vmsaPage(page);
  return { measurement: toHex(gctx.digest()), ...(hashes ? { hashes } : {}), sections: ovmf.sections, ovmf };
}

/** The digest of the OVMF pages alone: what `--ovmf-hash` takes. */
export function snpOvmfHash(ovmfBytes: Uint8Array, sha384?: Sha384): string {
  const ovmf = parseOvmf(ovmfBytes);
  const gctx = new LaunchDigest(undefined, sha384);
  gctx.normalPages(ovmf.gpa, ovmf.bytes);
  return toHex(gctx.digest());
}

function seeded(hash: Uint8Array, sha384: Sha384 | undefined): LaunchDigest {
  if (hash.length !== 48) throw new TeeError('USAGE_ERROR', `an OVMF hash is 48 bytes (96 hex digits), not ${hash.length}`);
  return new LaunchDigest(hash, sha384);
}

export function checkVcpus(vcpus: number): void {
  if (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > MAX_VCPUS)
    throw new TeeError('USAGE_ERROR', `the vCPU count must be a whole number from 1 to ${MAX_VCPUS}, not ${vcpus}`);
}

/** Where application processors start: the SEV-ES reset block, which the VMM requires of any SEV-ES or SNP firmware. */
export function resetEip(ovmf: Ovmf, vcpus: number): number {
  const eip = tableU32(ovmf, OVMF_GUIDS.sevEsResetBlock, 'SEV-ES reset block');
  if (eip === undefined) throw new TeeError('MALFORMED_EVIDENCE', 'this OVMF has no SEV-ES reset block entry: it cannot launch an SEV-ES or SNP guest');
  if (eip === 0 && vcpus > 1)
    throw new TeeError('MALFORMED_EVIDENCE', 'this OVMF gives the SEV-ES reset address 0, so the VMSA of a second vCPU cannot be built');
  return eip;
}

/** Each metadata section as the VMM launches it; EC2 adds the CPUID page last. */
export function measureSections(gctx: LaunchDigest, ovmf: Ovmf, hashes: SevHashes | undefined, vmm: Vmm): void {
  ovmf.sections.forEach((s, i) => measureSection(gctx, ovmf, s, i, hashes, vmm));
  if (vmm === 'ec2') for (const s of ovmf.sections) if (s.type === 'CPUID') gctx.cpuidPage(s.gpa);
}

function measureSection(gctx: LaunchDigest, ovmf: Ovmf, s: SevSection, index: number, hashes: SevHashes | undefined, vmm: Vmm): void {
  if (s.type === 'SNP_SECRETS') return gctx.secretsPage(s.gpa);
  if (s.type === 'CPUID') return vmm === 'ec2' ? undefined : gctx.cpuidPage(s.gpa);
  if (s.size % 4096 !== 0)
    throw new ParseError(`SEV metadata section ${index} (${s.type}) is ${s.size} bytes, not whole pages`, { field: 'section size', offset: index });
  if (s.type === 'SNP_KERNEL_HASHES' && hashes) return gctx.normalPages(s.gpa, kernelHashesPage(ovmf, s, hashes));
  if (s.type === 'SNP_SEC_MEM' && vmm === 'gce') return gctx.unmeasuredPages(s.gpa, s.size);
  gctx.zeroPages(s.gpa, s.size); // SNP_SEC_MEM, SVSM_CAA, and SNP_KERNEL_HASHES without a kernel
}

function kernelHashesPage(ovmf: Ovmf, s: SevSection, hashes: SevHashes): Uint8Array {
  const gpa = tableU32(ovmf, OVMF_GUIDS.sevHashTable, 'SEV hash table');
  if (gpa === undefined) throw new TeeError('MALFORMED_EVIDENCE', 'this OVMF has an SNP_KERNEL_HASHES section but no SEV hash table entry in its footer table');
  const page = sevHashPage(hashes, gpa & PAGE_MASK);
  if (!page || s.size !== page.length)
    throw new TeeError('MALFORMED_EVIDENCE', `the SEV hash table (at 0x${gpa.toString(16)}) does not fit the ${s.size}-byte SNP_KERNEL_HASHES section's page`);
  return page;
}
