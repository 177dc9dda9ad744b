import { fail, pass, skip, warn } from '../../check.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { keyInfoOf, policyBits } from './report.js';
import { decodeTcb, tcbAtLeast, tcbParts } from './tcb.js';
import type { TcbVersion } from './tcb.js';
import type { SnpContext } from './context.js';
import { nonceCheck } from '../nonce.js';

/** The report's signature by the VEK (ECDSA P-384 over bytes 0x000-0x29F). */
export async function checkReportSignature(ctx: SnpContext): Promise<void> {
  const title = 'Report is signed by the endorsement key';
  const key = ctx.vek?.cert.publicKey;
  if (!key?.point || key.curve !== 'P-384') return void ctx.checks.push(skip('snp.report.signature', title, 'no usable VCEK/VLEK public key (P-384)'));
  const ok = await ctx.crypto.verifyEcdsa({ curve: 'P-384', hash: 'SHA-384', publicKey: key.point, signature: ctx.report.signature, message: ctx.report.signed });
  ctx.checks.push(
    ok
      ? pass('snp.report.signature', title, `The AMD Secure Processor signed this report with the ${ctx.vek!.kind}: MEASUREMENT, REPORT_DATA, policy and TCB are as the hardware reported them.`)
      : fail('snp.report.signature', title, `The signature over the report (bytes 0x000-0x29F) does not verify with the ${ctx.vek!.kind}: the report was altered or comes from another chip, so none of its fields can be trusted.`, 'REPORT_SIGNATURE_INVALID', 'Request a fresh report from the guest and supply the VCEK of the chip it ran on.'),
  );
}

/** REPORTED_TCB must equal the TCB the VEK was derived for, and CHIP_ID the VCEK's hwID. */
export function checkTcbBinding(ctx: SnpContext): TcbVersion | undefined {
  const vek = ctx.vek;
  if (!vek || !ctx.product) {
    ctx.checks.push(skip('snp.tcb.match', 'Reported TCB matches the endorsement key', 'no endorsement key'), skip('snp.chip-id', 'Chip ID matches the VCEK', 'no endorsement key'));
    return undefined;
  }
  const reported = decodeTcb(ctx.report.reportedTcb, ctx.product);
  const diff = tcbParts(reported).filter((k) => reported[k] !== vek.tcb[k]);
  const show = (t: Partial<TcbVersion>) => tcbParts(reported).map((k) => `${k} ${t[k]}`).join(', ');
  ctx.checks.push(
    diff.length === 0
      ? pass('snp.tcb.match', 'Reported TCB matches the endorsement key', `REPORTED_TCB (${show(reported)}) is the TCB the ${vek.kind} was issued for.`)
      : fail('snp.tcb.match', 'Reported TCB matches the endorsement key', `REPORTED_TCB (${show(reported)}) differs from the ${vek.kind}'s SPLs (${show(vek.tcb)}) in ${diff.join(', ')}.`, 'TCB_MISMATCH', 'Fetch the VCEK for the REPORTED_TCB from AMD KDS.'),
  );
  const title = 'Chip ID matches the VCEK';
  if (vek.kind === 'VLEK' || keyInfoOf(ctx.report.keyInfo).maskChipKey) {
    ctx.checks.push(skip('snp.chip-id', title, vek.kind === 'VLEK' ? 'a VLEK is not bound to one chip' : 'the guest masked CHIP_ID (MASK_CHIP_KEY)'));
  } else if (!vek.hwId) {
    ctx.checks.push(fail('snp.chip-id', title, 'The VCEK carries no hwID extension.', 'TCB_MISMATCH', 'Fetch the VCEK again from AMD KDS.'));
  } else {
    const ok = equalBytes(vek.hwId, ctx.report.chipId.subarray(0, vek.hwId.length));
    ctx.checks.push(
      ok
        ? pass('snp.chip-id', title, `CHIP_ID equals the VCEK's hwID: the report comes from the chip the certificate names.`)
        : fail('snp.chip-id', title, `CHIP_ID ${toHex(ctx.report.chipId).slice(0, 16)}… is not the VCEK's hwID ${toHex(vek.hwId).slice(0, 16)}…: the certificate belongs to another chip.`, 'TCB_MISMATCH', 'Supply the VCEK of the chip that produced this report.'),
    );
  }
  return reported;
}

/** UpToDate when the reported TCB meets the VEK's and the committed TCB (DESIGN.md); otherwise OutOfDate. */
export function checkTcbStatus(ctx: SnpContext, reported: TcbVersion | undefined): 'UpToDate' | 'OutOfDate' | undefined {
  const title = 'TCB status';
  if (!reported || !ctx.product) return void ctx.checks.push(skip('snp.tcb.status', title, 'the reported TCB could not be bound to an endorsement key'));
  const committed = decodeTcb(ctx.report.committedTcb, ctx.product);
  const ok = tcbAtLeast(reported, committed) && ctx.vek !== undefined && tcbParts(reported).every((k) => (reported[k] ?? 0) >= (ctx.vek!.tcb[k] ?? 0));
  if (ok) {
    ctx.checks.push(pass('snp.tcb.status', title, `UpToDate: the reported TCB meets the committed TCB (${committed.raw}) of the platform's firmware.`));
    return 'UpToDate';
  }
  ctx.checks.push(warn('snp.tcb.status', title, `OutOfDate: the reported TCB (${reported.raw}) is below the committed TCB (${committed.raw}); the host reports an older TCB than the firmware installed, so fixes in between are not attested.`, 'Ask the provider to report the committed TCB, or review AMD security bulletins for the versions in between.'));
  return 'OutOfDate';
}

/** Default production policy: no debug guest; REPORT_DATA begins with the verifier's nonce when given; reserved fields zero. */
export function checkPolicy(ctx: SnpContext): void {
  const r = ctx.report;
  const p = policyBits(r.policy);
  ctx.checks.push(
    p.debug
      ? fail('snp.policy.debug', 'Debug is not allowed by the guest policy', 'POLICY.DEBUG is set: the host can use the AMD Secure Processor to decrypt and change the guest\'s memory, so the VM has no confidentiality or integrity.', 'DEBUG_ENABLED', 'Launch the guest with a policy that forbids debugging; never provision secrets to it.')
      : pass('snp.policy.debug', 'Debug is not allowed by the guest policy', 'POLICY.DEBUG is clear: the host cannot use debug commands to read or change guest memory.'),
  );
  if (r.nonZeroReserved.length) ctx.checks.push(warn('snp.report.reserved', 'Reserved fields are zero', `Reserved fields that must be zero are not: ${r.nonZeroReserved.join(', ')}. Firmware newer than this verifier may use them.`, 'Check for a newer TEE Inspector, or report this sample.'));
  ctx.checks.push(nonceCheck('snp.nonce', r.reportData, ctx.nonce, 'report'));
}
