import { fail, pass, skip } from '../../check.js';
import { equalBytes, isAllZero, toHex } from '../../bytes/hex.js';
import { keyInfoOf } from './report.js';
import type { SnpProduct } from './tcb.js';
import type { VekInfo } from './vek.js';
import type { SnpContext } from './context.js';
import { SNP_CHECKS } from './checks.js';

const CHIP_ID = SNP_CHECKS.chipId;

/**
 * The hwID a VCEK must carry (AMD "VCEK Certificate and KDS Interface Specification", VCEK
 * extensions, hwID 1.3.6.1.4.1.3704.1.4, and "Get VCEK Certificate"): the report's whole 64-byte
 * CHIP_ID, or on Turin an 8-byte hwID, which Turin firmware reports as CHIP_ID[0:8] with the other 56
 * bytes zero (the virtee/sev crate tells v2 Turin reports by exactly that). Anything shorter, longer
 * or different binds the certificate to no chip, so it is a mismatch, never a prefix match.
 */
export function hwIdProblem(hwId: Uint8Array | undefined, chipId: Uint8Array, product: SnpProduct | undefined): string | undefined {
  if (!hwId) return 'the VCEK carries no hwID extension (1.3.6.1.4.1.3704.1.4)';
  const size = product === 'Turin' ? 8 : 64;
  if (hwId.length !== size) return `the VCEK's hwID is ${hwId.length} bytes; ${product ? `a ${product}` : 'a'} VCEK's is ${size}`;
  if (size === 8 && !isAllZero(chipId.subarray(8))) return `CHIP_ID bytes 8-63 are not zero (${toHex(chipId.subarray(8, 16))}…), as a Turin chip reports them`;
  if (!equalBytes(hwId, chipId.subarray(0, size)))
    return `CHIP_ID ${toHex(chipId).slice(0, 16)}… is not the VCEK's hwID ${toHex(hwId).slice(0, 16)}…: the certificate belongs to another chip`;
  return undefined;
}

/** Why CHIP_ID cannot bind the VEK, when it cannot: a VLEK, MASK_CHIP_KEY, or a zero CHIP_ID (MASK_CHIP_ID). */
function notApplicable(ctx: SnpContext, vek: VekInfo): string | undefined {
  if (vek.kind === 'VLEK') return 'a VLEK is not bound to one chip';
  if (keyInfoOf(ctx.report.keyInfo).maskChipKey) return 'the guest masked CHIP_ID (MASK_CHIP_KEY)';
  // ABI spec, SNP_CONFIG MASK_CHIP_ID: the firmware then reports CHIP_ID as zeros; the VCEK is still bound by the signature.
  if (isAllZero(ctx.report.chipId)) return 'CHIP_ID is all zeros: the platform sets MASK_CHIP_ID, so only the signature ties the report to the VCEK';
  return undefined;
}

/** snp.chip-id: CHIP_ID equals the VCEK's hwID at full length (TCB_MISMATCH otherwise). */
export function checkChipId(ctx: SnpContext, vek: VekInfo): void {
  const why = notApplicable(ctx, vek);
  if (why) return void ctx.checks.push(skip(CHIP_ID, why));
  const problem = hwIdProblem(vek.hwId, ctx.report.chipId, ctx.product);
  ctx.checks.push(
    problem
      ? fail(CHIP_ID, `${problem}.`, 'TCB_MISMATCH')
      : pass(CHIP_ID, `CHIP_ID equals the VCEK's ${vek.hwId!.length}-byte hwID: the report comes from the chip the certificate names.`),
  );
}
