import { TeeError } from '../../../errors.js';
import { toHex } from '../../../bytes/hex.js';
import { LaunchDigest } from './gctx.js';
import type { Sha384 } from './gctx.js';
import { parseOvmf, tableU32 } from './ovmf.js';
import { checkVcpus, measureSections } from './snp.js';
import { SaveArea } from './vmsa.js';

/** The SVSM information entry of a Coconut SVSM image's footer table: its entry point, relative to the image. */
const SVSM_INFO_GUID = 'a789a612-0597-4c4b-a49f-cbb1fe9d1ddd';

export interface SvsmMeasureInput {
  ovmf: Uint8Array;
  svsm: Uint8Array;
  /** Size of the OVMF variable store, which QEMU maps between the firmware and the SVSM. */
  varsSize: number;
  vcpus: number;
  vcpuSig: number;
  sha384?: Sha384;
}

/**
 * SNP launch digest of a Coconut SVSM guest under QEMU (sev-snp-measure's snp:svsm mode): OVMF pages, SVSM
 * pages, the SVSM's metadata sections, then one identical VMSA per vCPU starting in the SVSM (SEV_FEATURES 0x1).
 */
export function measureSnpSvsm(input: SvsmMeasureInput): { measurement: string } {
  checkVcpus(input.vcpus);
  if (!Number.isSafeInteger(input.varsSize) || input.varsSize < 0)
    throw new TeeError('USAGE_ERROR', `the OVMF variable store size must be a byte count, not ${input.varsSize}`);
  const ovmf = parseOvmf(input.ovmf);
  const svsm = parseOvmf(input.svsm, ovmf.gpa - input.varsSize, 'an SVSM image');
  const entry = tableU32(svsm, SVSM_INFO_GUID, 'SVSM information');
  if (entry === undefined)
    throw new TeeError('MALFORMED_EVIDENCE', 'this SVSM image has no SVSM information entry in its footer table, so its entry point is unknown');
  const gctx = new LaunchDigest(undefined, input.sha384);
  gctx.normalPages(ovmf.gpa, ovmf.bytes);
  gctx.normalPages(svsm.gpa, svsm.bytes);
  measureSections(gctx, svsm, undefined, 'qemu');
  const vmsa = svsmVmsa(svsm.gpa + entry, input.vcpuSig);
  for (let i = 0; i < input.vcpus; i++) gctx.vmsaPage(vmsa);
  return { measurement: toHex(gctx.digest()) };
}

/** The 64-bit flat-mode VMSA QEMU gives an SVSM vCPU (coconut-svsm/qemu target/i386/sev.c). */
function svsmVmsa(eip: number, vcpuSig: number): Uint8Array {
  const a = new SaveArea();
  for (const seg of ['es', 'ss', 'ds', 'fs']) a.segment(seg, 16, 0xc93, 0xffffffff, 0);
  a.segment('cs', 8, 0xc9b, 0xffffffff, 0);
  a.segment('gs', 0, 0x93, 0xffff, 0);
  a.segment('gdtr', 0, 0, 0xffff, 0);
  a.segment('idtr', 0, 0, 0xffff, 0);
  a.segment('ldtr', 0, 0x82, 0xffff, 0);
  a.segment('tr', 0, 0x8b, 0xffff, 0);
  a.set('efer', 0x1000);
  a.set('cr4', 0x40);
  a.set('cr0', 0x11);
  a.set('dr7', 0x400);
  a.set('dr6', 0xffff0ff0);
  a.set('rflags', 0x2);
  a.set('rip', eip);
  a.set('g_pat', 0x7040600070406n);
  a.set('rdx', vcpuSig);
  a.set('sev_features', 0x1);
  a.set('xcr0', 0x1);
  a.set('mxcsr', 0x1f80);
  // x87_fcw stays 0: sev-snp-measure leaves it unset in this mode, and its expected values come from real launches.
  return a.bytes;
}
