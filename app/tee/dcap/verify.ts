import { fail, pass } from '../../check.js';
import type { CheckSpec } from '../../check.js';
import type { ErrorCode } from '../../errors.js';
import { DCAP_CHECKS as C } from './checks.js';
import type { DcapContext } from './context.js';
import { checkPckChain } from './check-pck.js';
import { checkRevocation } from './check-revocation.js';
import { checkQuoteSignatures } from './check-quote.js';
import { checkTcb } from './check-tcb.js';
import type { TcbSummary } from './check-tcb.js';
import { checkPolicy } from './check-policy.js';

/** Checks that decide `cryptoValid` (catalogue `crypto`): every signature and chain inside the evidence. */
export const DCAP_CRYPTO_CHECKS: readonly CheckSpec[] = Object.values(C).filter((c) => c.crypto);

/**
 * Intel DCAP quote verification, in the order of Intel's QVL: PCK chain and revocation, QE report and
 * its binding to the attestation key, the quote signature, QE identity, TCB info and TCB levels,
 * then policy. Every check is reported; a failure makes later dependent checks `skip`, not silent.
 */
export async function verifyDcap(ctx: DcapContext): Promise<{ tcb?: TcbSummary }> {
  const q = ctx.quote;
  const layout = `${q.format}, ${q.signed.length}-byte signed header and body, certification data type ${q.qe.outerType ? `${q.qe.outerType} wrapping ` : ''}${q.qe.innerType}`;
  const trailing = q.trailingBytes > 0 ? ` ${q.trailingBytes} bytes follow the signature data (padding, not covered by any signature; ignored).` : '';
  ctx.checks.push(pass(C.quoteFormat, `Parsed as ${layout}; every length field is consistent.${trailing}`));
  await checkPckChain(ctx);
  await checkRevocation(ctx);
  await checkQuoteSignatures(ctx);
  const tcb = await checkTcb(ctx);
  checkPolicy(ctx);
  requireCryptoChecks(ctx);
  return tcb ? { tcb } : {};
}

const CRYPTO_CODES: ReadonlyMap<CheckSpec, ErrorCode> = new Map([
  [C.pckChain, 'CERT_CHAIN_INVALID'],
  [C.qeReportSignature, 'QE_REPORT_SIGNATURE_INVALID'],
  [C.qeReportBinding, 'QE_REPORT_DATA_MISMATCH'],
  [C.quoteSignature, 'QUOTE_SIGNATURE_INVALID'],
]);

/**
 * A mandatory check that cannot run is a failure, never a silent skip (DESIGN.md, "Additions to the
 * result"): the last guard, for any path above that skipped a signature check without failing something
 * else. When another check has failed, the verdict is rejected anyway and the skip says why it did not run.
 */
function requireCryptoChecks(ctx: DcapContext): void {
  if (ctx.checks.some((c) => c.status === 'fail')) return;
  for (const spec of DCAP_CRYPTO_CHECKS) {
    const at = ctx.checks.findIndex((c) => c.id === spec.id);
    const found = ctx.checks[at];
    if (found && found.status !== 'skip') continue;
    const why = found ? found.explain.replace(/^Not run: /, '') : 'it was not run';
    const check = fail(
      spec,
      `This signature check is required for a verified quote but could not run: ${why}.`,
      CRYPTO_CODES.get(spec)!,
      'Report this quote to the tee-inspect maintainers: every signature in a DCAP quote must be checked.',
    );
    if (found) ctx.checks[at] = check;
    else ctx.checks.push(check);
  }
}
