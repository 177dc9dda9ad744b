import { pass } from '../../check.js';
import type { DcapContext } from './context.js';
import { checkPckChain, checkRevocation } from './check-pck.js';
import { checkQuoteSignatures } from './check-quote.js';
import { checkTcb } from './check-tcb.js';
import type { TcbSummary } from './check-tcb.js';
import { checkPolicy } from './check-policy.js';

/** Checks that decide `cryptoValid`: every signature and chain inside the evidence. */
export const DCAP_CRYPTO_CHECKS = ['dcap.pck.chain', 'dcap.qe-report.signature', 'dcap.qe-report.binding', 'dcap.quote.signature'];

/**
 * Intel DCAP quote verification, in the order of Intel's QVL: PCK chain and revocation, QE report and
 * its binding to the attestation key, the quote signature, QE identity, TCB info and TCB levels,
 * then policy. Every check is reported; a failure makes later dependent checks `skip`, not silent.
 */
export async function verifyDcap(ctx: DcapContext): Promise<{ tcb?: TcbSummary }> {
  const q = ctx.quote;
  const layout = `${q.format}, ${q.signed.length}-byte signed header and body, certification data type ${q.qe.outerType ? `${q.qe.outerType} wrapping ` : ''}${q.qe.innerType}`;
  const trailing = q.trailingBytes > 0 ? ` ${q.trailingBytes} bytes follow the signature data (padding, not covered by any signature; ignored).` : '';
  ctx.checks.push(pass('dcap.quote.format', 'Quote structure is well formed', `Parsed as ${layout}; every length field is consistent.${trailing}`));
  await checkPckChain(ctx);
  await checkRevocation(ctx);
  await checkQuoteSignatures(ctx);
  const tcb = await checkTcb(ctx);
  checkPolicy(ctx);
  return tcb ? { tcb } : {};
}
