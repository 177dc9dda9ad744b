import { toHex } from '../../bytes/hex.js';
/**
 * TCB_VERSION (AMD SEV-SNP ABI spec, "TCB_VERSION Structure"): one u64 whose byte layout depends
 * on the product. Milan and Genoa: byte 0 boot loader, 1 TEE, 6 SNP, 7 microcode. Turin adds the
 * FMC SPL: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode.
 */
export type SnpProduct = 'Milan' | 'Genoa' | 'Turin';
export const SNP_PRODUCTS: readonly SnpProduct[] = ['Milan', 'Genoa', 'Turin'];

export interface TcbVersion {
  bootloader: number;
  tee: number;
  snp: number;
  microcode: number;
  fmc?: number;
  /** The u64 as "0x" + 16 hex digits. */
  raw: string;
}

export function decodeTcb(bytes: Uint8Array, product: SnpProduct): TcbVersion {
  const raw = `0x${toHex(bytes.slice().reverse())}`; // the little-endian u64, most significant digit first
  if (product === 'Turin') return { fmc: bytes[0]!, bootloader: bytes[1]!, tee: bytes[2]!, snp: bytes[3]!, microcode: bytes[7]!, raw };
  return { bootloader: bytes[0]!, tee: bytes[1]!, snp: bytes[6]!, microcode: bytes[7]!, raw };
}

/** Component names compared between TCBs (FMC only where the product has it). */
export function tcbParts(t: TcbVersion): (keyof Omit<TcbVersion, 'raw'>)[] {
  return t.fmc === undefined ? ['bootloader', 'tee', 'snp', 'microcode'] : ['fmc', 'bootloader', 'tee', 'snp', 'microcode'];
}

/** Every component of `a` at least that of `b`. */
export function tcbAtLeast(a: TcbVersion, b: TcbVersion): boolean {
  return tcbParts(b).every((k) => (a[k] ?? 0) >= (b[k] ?? 0));
}

/**
 * The product from CPUID family/model (reports v3+), as in AMD's KDS spec ("Determining the Product
 * Name") and the processor programming references: family 19h models 00h-0Fh Milan, 10h-1Fh and
 * A0h-AFh Genoa (Bergamo, Siena); family 1Ah models 00h-1Fh Turin. Anything else names no product.
 */
export function productFromCpuid(family: number, model: number): SnpProduct | undefined {
  if (family === 0x19 && model <= 0x0f) return 'Milan';
  if (family === 0x19 && ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf))) return 'Genoa';
  if (family === 0x1a && model <= 0x1f) return 'Turin';
  return undefined;
}

/** The TCB_VERSION bytes that are reserved for this product and not zero (Milan/Genoa 2-5, Turin 4-6). */
export function tcbReservedNonZero(bytes: Uint8Array, product: SnpProduct): boolean {
  const reserved = product === 'Turin' ? bytes.subarray(4, 7) : bytes.subarray(2, 6);
  return reserved.some((b) => b !== 0);
}

/** The product from a VCEK/VLEK productName ("Milan-B0") or an AMD CA name ("SEV-Milan", "SEV-VLEK-Genoa", "ARK-Turin"). */
export function productFromName(name: string | undefined): SnpProduct | undefined {
  return SNP_PRODUCTS.find((p) => name?.includes(p));
}
