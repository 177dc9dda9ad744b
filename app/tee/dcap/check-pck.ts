import { fail, pass } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { verifyChain, iso } from '../../pki/chain.js';
import { parsePckExtensions } from './pck-extensions.js';
import { pckCertificates } from './pck-source.js';
import { DCAP_CHECKS as C } from './checks.js';
import type { DcapContext } from './context.js';

/** The PCK chain (from the quote, or supplied for certification data types 1-4): link every signature up to the pinned root, validity at `at`. */
export async function checkPckChain(ctx: DcapContext): Promise<void> {
  const source = await pckCertificates(ctx);
  if (!source) return;
  const certs = source.certs;
  ctx.pckCerts = certs;
  const chain = await verifyChain(ctx.cache, certs, ctx.roots, ctx.at);
  const leafCn = certs[0]!.subject.cn;
  const origin =
    source.supplied.length > 0
      ? ` (${source.supplied.length === certs.length ? 'supplied as collateral' : 'the leaf from the quote, its CA supplied as collateral'}, as the quote carries certification data type ${ctx.quote.qe.innerType})`
      : '';
  if (!chain.ok || leafCn !== 'Intel SGX PCK Certificate') {
    const why = chain.problem ?? `the leaf is "${leafCn ?? certs[0]!.subject.text}", not an Intel SGX PCK Certificate`;
    ctx.checks.push(
      fail(
        C.pckChain,
        `The platform's PCK certificate${origin} could not be traced to Intel: ${why}. Nothing in this quote can be attributed to genuine Intel hardware.`,
        'CERT_CHAIN_INVALID',
      ),
    );
  } else {
    const issuer = certs[1]?.subject.cn ?? 'a PCK CA';
    for (const c of source.supplied) ctx.used.add(c);
    ctx.checks.push(
      pass(
        C.pckChain,
        `The PCK certificate (serial ${certs[0]!.serialHex})${origin} was issued by ${issuer}, which chains by valid signatures to the pinned Intel SGX Root CA.`,
      ),
    );
  }
  ctx.checks.push(
    chain.expired.length === 0
      ? pass(C.pckValidity, `Every certificate in the chain was valid at ${iso(ctx.at)}.`)
      : fail(C.pckValidity, `At ${iso(ctx.at)}: ${chain.expired.join('; ')}.`, 'CERT_EXPIRED'),
  );
  try {
    ctx.pck = parsePckExtensions(certs[0]!);
    ctx.pckChain = chain.ok ? chain.certs : undefined;
  } catch (e) {
    ctx.checks.push(fail(C.pckExtensions, toTeeError(e).message, 'CERT_CHAIN_INVALID'));
  }
}
