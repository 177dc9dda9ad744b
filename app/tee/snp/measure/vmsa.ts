import { VMSA_FIELDS, VMSA_SIZE } from './vmsa-layout.js';

export const VMMS = ['qemu', 'ec2', 'gce'] as const;
export type Vmm = (typeof VMMS)[number];

/** The reset vector of the boot processor; application processors start at the OVMF's SEV-ES reset block. */
export const BSP_EIP = 0xfffffff0;
const PAT_DEFAULT = 0x7040600070406n; // AMD APM Vol. 2, section A.3

/** Initial register state that differs between hypervisors (as virtee/sev-snp-measure 0.0.13 models them). */
interface VmmState {
  csFlags: number;
  ssFlags: number;
  trFlags: number;
  rdx: number;
  mxcsr: number;
  fcw: number;
  gPat: bigint;
}

function vmmState(vmm: Vmm, eip: number, vcpuSig: number): VmmState {
  if (vmm === 'qemu') return { csFlags: 0x9b, ssFlags: 0x93, trFlags: 0x8b, rdx: vcpuSig, mxcsr: 0x1f80, fcw: 0x37f, gPat: PAT_DEFAULT };
  // EC2 and GCE put a fixed signature in RDX, whatever vCPU type is asked for.
  if (vmm === 'ec2') return { csFlags: eip === BSP_EIP ? 0x9a : 0x9b, ssFlags: 0x92, trFlags: 0x83, rdx: 0x600, mxcsr: 0, fcw: 0, gPat: PAT_DEFAULT };
  return { csFlags: 0x9b, ssFlags: 0x93, trFlags: 0x8b, rdx: 0x600, mxcsr: 0, fcw: 0, gPat: 0x00070106n };
}

/** A VMSA page being filled field by field (offsets from the layout table). */
export class SaveArea {
  readonly bytes = new Uint8Array(VMSA_SIZE);
  private readonly dv = new DataView(this.bytes.buffer);

  set(field: string, value: number | bigint): void {
    const [offset, size] = VMSA_FIELDS.get(field)!;
    if (size === 8) this.dv.setBigUint64(offset, BigInt(value), true);
    else if (size === 4) this.dv.setUint32(offset, Number(value), true);
    else this.dv.setUint16(offset, Number(value), true);
  }

  segment(name: string, selector: number, attrib: number, limit: number, base: number): void {
    const [offset] = VMSA_FIELDS.get(name)!;
    this.dv.setUint16(offset, selector, true);
    this.dv.setUint16(offset + 2, attrib, true);
    this.dv.setUint32(offset + 4, limit, true);
    this.dv.setBigUint64(offset + 8, BigInt(base), true);
  }
}

/** One vCPU's initial VMSA page, as KVM sets it up at launch for an SEV-ES or SNP guest. */
export function buildVmsa(eip: number, sevFeatures: bigint, vcpuSig: number, vmm: Vmm): Uint8Array {
  const s = vmmState(vmm, eip, vcpuSig);
  const a = new SaveArea();
  for (const seg of ['es', 'ds', 'fs', 'gs']) a.segment(seg, 0, 0x93, 0xffff, 0);
  a.segment('cs', 0xf000, s.csFlags, 0xffff, (eip & 0xffff0000) >>> 0);
  a.segment('ss', 0, s.ssFlags, 0xffff, 0);
  a.segment('gdtr', 0, 0, 0xffff, 0);
  a.segment('idtr', 0, 0, 0xffff, 0);
  a.segment('ldtr', 0, 0x82, 0xffff, 0);
  a.segment('tr', 0, s.trFlags, 0xffff, 0);
  a.set('efer', 0x1000); // KVM enables EFER.SVME
  a.set('cr4', 0x40); // KVM enables CR4.MCE
  a.set('cr0', 0x10);
  a.set('dr7', 0x400);
  a.set('dr6', 0xffff0ff0);
  a.set('rflags', 0x2);
  a.set('rip', eip & 0xffff);
  a.set('g_pat', s.gPat);
  a.set('rdx', s.rdx);
  a.set('sev_features', sevFeatures);
  a.set('xcr0', 0x1);
  a.set('mxcsr', s.mxcsr);
  a.set('x87_fcw', s.fcw);
  return a.bytes;
}

/** The VMSA pages of `vcpus` processors: the boot processor's, then one per application processor. */
export function vmsaPages(vcpus: number, apEip: number, sevFeatures: bigint, vcpuSig: number, vmm: Vmm): Uint8Array[] {
  const bsp = buildVmsa(BSP_EIP, sevFeatures, vcpuSig, vmm);
  const ap = vcpus > 1 ? buildVmsa(apEip, sevFeatures, vcpuSig, vmm) : bsp;
  return Array.from({ length: vcpus }, (_, i) => (i === 0 ? bsp : ap));
}
