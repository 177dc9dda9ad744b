import { fail, pass, skip, warn } from '../../check.js';
import { keyInfoOf, policyBits, MUST_BE_ZERO } from './report.js';
import { decodeTcb, tcbParts, tcbReservedNonZero } from './tcb.js';
import type { TcbVersion } from './tcb.js';
import type { SnpContext } from './context.js';
import { nonceCheck } from '../nonce.js';
import { checkChipId } from './chip-id.js';
import { SNP_CHECKS as C } from './checks.js';

/** The report's signature by the VEK (ECDSA P-384 over bytes 0x000-0x29F). */
export async function checkReportSignature(ctx: SnpContext): Promise<void> {
  const { signingKey } = keyInfoOf(ctx.report.keyInfo);
  if (signingKey === 'NONE' || signingKey === 'RESERVED') {
    const why =
      signingKey === 'NONE'
        ? 'KEY_INFO.SIGNING_KEY is 7: the firmware did not sign this report'
        : `KEY_INFO.SIGNING_KEY is ${(ctx.report.keyInfo >> 2) & 7}, a value the ABI reserves`;
    return void ctx.checks.push(
      fail(
        C.reportSignature,
        `${why}, so nothing in it can be attributed to AMD hardware.`,
        'REPORT_SIGNATURE_INVALID',
        'Request a report signed with the VCEK or VLEK (SNP_GET_REPORT with the default key selection).',
      ),
    );
  }
  const key = ctx.vek?.cert.publicKey;
  if (!key?.point || key.curve !== 'P-384') return void ctx.checks.push(skip(C.reportSignature, 'no usable VCEK/VLEK public key (P-384)'));
  const ok = await ctx.crypto.verifyEcdsa({
    curve: 'P-384',
    hash: 'SHA-384',
    publicKey: key.point,
    signature: ctx.report.signature,
    message: ctx.report.signed,
  });
  ctx.checks.push(
    ok
      ? pass(
          C.reportSignature,
          `The AMD Secure Processor signed this report with the ${ctx.vek!.kind}: MEASUREMENT, REPORT_DATA, policy and TCB are as the hardware reported them.`,
        )
      : fail(
          C.reportSignature,
          `The signature over the report (bytes 0x000-0x29F) does not verify with the ${ctx.vek!.kind}: the report was altered or comes from another chip, so none of its fields can be trusted.`,
          'REPORT_SIGNATURE_INVALID',
        ),
  );
}

/** The certificate is the kind of key KEY_INFO.SIGNING_KEY names (a VLEK cannot vouch for a VCEK-signed report). */
export function checkSigningKey(ctx: SnpContext): void {
  const vek = ctx.vek;
  const { signingKey } = keyInfoOf(ctx.report.keyInfo);
  if (!vek) return void ctx.checks.push(skip(C.vekKind, 'no endorsement key'));
  if (signingKey !== 'VCEK' && signingKey !== 'VLEK') return void ctx.checks.push(skip(C.vekKind, 'the report names no signing key'));
  ctx.checks.push(
    signingKey === vek.kind
      ? pass(C.vekKind, `KEY_INFO.SIGNING_KEY names the ${signingKey}, and the certificate supplied is a ${vek.kind}.`)
      : fail(
          C.vekKind,
          `The report says it is signed with the ${signingKey}, but the certificate supplied is a ${vek.kind}.`,
          'CERT_CHAIN_INVALID',
          `Supply the ${signingKey} certificate${signingKey === 'VLEK' ? ' from the cloud provider' : ' from AMD KDS'}.`,
        ),
  );
}

/** REPORTED_TCB must equal the TCB the VEK was derived for, and CHIP_ID the VCEK's hwID. */
export function checkTcbBinding(ctx: SnpContext): TcbVersion | undefined {
  const vek = ctx.vek;
  if (!vek || !ctx.product) {
    ctx.checks.push(skip(C.tcbMatch, 'no endorsement key'), skip(C.chipId, 'no endorsement key'));
    return undefined;
  }
  const reported = decodeTcb(ctx.report.reportedTcb, ctx.product);
  const diff = tcbParts(reported).filter((k) => reported[k] !== vek.tcb[k]);
  const show = (t: Partial<TcbVersion>) =>
    tcbParts(reported)
      .map((k) => `${k} ${t[k]}`)
      .join(', ');
  ctx.checks.push(
    diff.length === 0
      ? pass(C.tcbMatch, `REPORTED_TCB (${show(reported)}) is the TCB the ${vek.kind} was issued for.`)
      : fail(C.tcbMatch, `REPORTED_TCB (${show(reported)}) differs from the ${vek.kind}'s SPLs (${show(vek.tcb)}) in ${diff.join(', ')}.`, 'TCB_MISMATCH'),
  );
  checkChipId(ctx, vek);
  return reported;
}

/**
 * The reported TCB against the VEK's and the committed TCB. This binds the TCB; it does not say the TCB is
 * current: DESIGN.md has `tcb.status` UpToDate or OutOfDate only against a minimum TCB (a reference value's
 * `minimum.reportedTcb`, applied by the appraisal), so the module's status is always NotEvaluated. A reported
 * TCB below the committed one is still a warning: the host reports an older TCB than the firmware installed.
 */
export function checkTcbStatus(ctx: SnpContext, reported: TcbVersion | undefined): 'NotEvaluated' | undefined {
  const vek = ctx.vek;
  if (!reported || !ctx.product || !vek) return void ctx.checks.push(skip(C.tcbStatus, 'the reported TCB could not be bound to an endorsement key'));
  const signed = ctx.checks.some((c) => c.id === C.reportSignature.id && c.status === 'pass');
  if (!ctx.chain || !signed)
    return void ctx.checks.push(skip(C.tcbStatus, 'the report and its endorsement key are not both authentic, so their TCB means nothing'));
  const committed = decodeTcb(ctx.report.committedTcb, ctx.product);
  const belowCommitted = tcbParts(reported).filter((k) => (reported[k] ?? 0) < (committed[k] ?? 0));
  const belowVek = tcbParts(reported).filter((k) => (reported[k] ?? 0) < (vek.tcb[k] ?? 0));
  const currency = 'Whether this TCB is current is not evaluated here: that needs a minimum TCB (a reference value with minimum.reportedTcb).';
  if (belowCommitted.length === 0 && belowVek.length === 0) {
    ctx.checks.push(
      pass(
        C.tcbStatus,
        `The reported TCB (${reported.raw}) meets the ${vek.kind}'s TCB and the committed TCB (${committed.raw}) of the platform's firmware. ${currency}`,
      ),
    );
    return 'NotEvaluated';
  }
  const why = [
    belowCommitted.length
      ? `below the committed TCB (${committed.raw}) in ${belowCommitted.join(', ')}: the host reports an older TCB than the firmware installed, so fixes in between are not attested`
      : '',
    belowVek.length ? `below the ${vek.kind}'s TCB in ${belowVek.join(', ')}` : '',
  ].filter(Boolean);
  ctx.checks.push(warn(C.tcbStatus, `The reported TCB (${reported.raw}) is ${why.join('; and ')}. ${currency}`));
  return 'NotEvaluated';
}

/** Default production policy: no debug guest; REPORT_DATA begins with the verifier's nonce when given. */
export function checkPolicy(ctx: SnpContext): void {
  const p = policyBits(ctx.report.policy);
  ctx.checks.push(
    p.debug
      ? fail(
          C.policyDebug,
          "POLICY.DEBUG is set: the host can use the AMD Secure Processor to decrypt and change the guest's memory, so the VM has no confidentiality or integrity.",
          'DEBUG_ENABLED',
        )
      : pass(C.policyDebug, 'POLICY.DEBUG is clear: the host cannot use debug commands to read or change guest memory.'),
  );
  ctx.checks.push(nonceCheck(C.nonce, ctx.report.reportData, ctx.nonce, 'report'));
}

/**
 * Reserved fields (and POLICY bit 17, which must be one). Those go-sev-guest refuses (MUST_BE_ZERO,
 * among them the unsigned 368 bytes after R and S) make the report MALFORMED_EVIDENCE; the rest are
 * a visible warning, never silence.
 */
export function checkReserved(ctx: SnpContext): void {
  const r = ctx.report;
  const refused = r.nonZeroReserved.filter((name) => MUST_BE_ZERO.has(name));
  const found = r.nonZeroReserved.filter((name) => !MUST_BE_ZERO.has(name));
  if (ctx.product) {
    for (const [name, tcb] of [
      ['CURRENT_TCB', r.currentTcb],
      ['REPORTED_TCB', r.reportedTcb],
      ['COMMITTED_TCB', r.committedTcb],
      ['LAUNCH_TCB', r.launchTcb],
    ] as const) {
      if (tcbReservedNonZero(tcb, ctx.product)) found.push(`${name} reserved bytes (${ctx.product} layout)`);
    }
  }
  if (refused.length) {
    const also = found.length ? ` (also not zero: ${found.join(', ')})` : '';
    return void ctx.checks.push(
      fail(
        C.reserved,
        `Reserved fields that AMD firmware always writes as zero are not zero: ${refused.join(', ')}${also}. ${refused.includes('signature reserved') ? 'The bytes after R and S are not covered by the signature, so they were changed after signing. ' : ''}The report is malformed, as go-sev-guest also rejects it.`,
        'MALFORMED_EVIDENCE',
      ),
    );
  }
  if (found.length)
    ctx.checks.push(
      warn(
        C.reserved,
        `Reserved fields are not as the SEV-SNP ABI requires: ${found.join(', ')}. Firmware newer than this verifier may use them, or the report was built by something other than AMD firmware.`,
        'Check for a newer TEE Inspector, or report this sample.',
      ),
    );
}
