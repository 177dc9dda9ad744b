/** The CPUID Fn0000_0001_EAX signature from family, model and stepping (AMD CPUID Specification #25481). */
export function cpuSig(family: number, model: number, stepping: number): number {
  const [familyLow, familyHigh] = family > 0xf ? [0xf, (family - 0xf) & 0xff] : [family, 0];
  return ((familyHigh << 20) | (((model >> 4) & 0xf) << 16) | (familyLow << 8) | ((model & 0xf) << 4) | (stepping & 0xf)) >>> 0;
}

/**
 * vCPU types of QEMU's builtin_x86_defs, spelled as virtee/sev-snp-measure spells them. The guest's vCPU
 * type, not the host's physical CPU: a Genoa host may run an EPYC-v4 guest.
 */
export const VCPU_SIGS: Readonly<Record<string, number>> = {
  EPYC: cpuSig(23, 1, 2),
  'EPYC-v1': cpuSig(23, 1, 2),
  'EPYC-v2': cpuSig(23, 1, 2),
  'EPYC-IBPB': cpuSig(23, 1, 2),
  'EPYC-v3': cpuSig(23, 1, 2),
  'EPYC-v4': cpuSig(23, 1, 2),
  'EPYC-Rome': cpuSig(23, 49, 0),
  'EPYC-Rome-v1': cpuSig(23, 49, 0),
  'EPYC-Rome-v2': cpuSig(23, 49, 0),
  'EPYC-Rome-v3': cpuSig(23, 49, 0),
  'EPYC-Milan': cpuSig(25, 1, 1),
  'EPYC-Milan-v1': cpuSig(25, 1, 1),
  'EPYC-Milan-v2': cpuSig(25, 1, 1),
  'EPYC-Genoa': cpuSig(25, 17, 0),
  'EPYC-Genoa-v1': cpuSig(25, 17, 0),
  'EPYC-Turin': cpuSig(26, 0, 0),
};
