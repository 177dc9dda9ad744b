import { fail, pass } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { verifyChain, iso } from '../../pki/chain.js';
import { parsePckExtensions } from './pck-extensions.js';
import { CHAIN, CHAIN_TITLE, pckCertificates } from './pck-source.js';
import type { DcapContext } from './context.js';

/** The PCK chain (from the quote, or supplied for certification data types 1-4): link every signature up to the pinned root, validity at `at`. */
export async function checkPckChain(ctx: DcapContext): Promise<void> {
  const source = await pckCertificates(ctx);
  if (!source) return;
  const certs = source.certs;
  ctx.pckCerts = certs;
  const chain = await verifyChain(ctx.cache, certs, ctx.roots, ctx.at);
  const leafCn = certs[0]!.subject.cn;
  const origin = source.supplied.length > 0 ? ` (${source.supplied.length === certs.length ? 'supplied as collateral' : 'the leaf from the quote, its CA supplied as collateral'}, as the quote carries certification data type ${ctx.quote.qe.innerType})` : '';
  if (!chain.ok || leafCn !== 'Intel SGX PCK Certificate') {
    const why = chain.problem ?? `the leaf is "${leafCn ?? certs[0]!.subject.text}", not an Intel SGX PCK Certificate`;
    ctx.checks.push(fail(CHAIN, CHAIN_TITLE, `The platform's PCK certificate${origin} could not be traced to Intel: ${why}. Nothing in this quote can be attributed to genuine Intel hardware.`, 'CERT_CHAIN_INVALID', 'Obtain the quote again from the platform; if it persists, the quote or its certificates were altered or come from a non-Intel signer.'));
  } else {
    const issuer = certs[1]?.subject.cn ?? 'a PCK CA';
    for (const c of source.supplied) ctx.used.add(c);
    ctx.checks.push(pass(CHAIN, CHAIN_TITLE, `The PCK certificate (serial ${certs[0]!.serialHex})${origin} was issued by ${issuer}, which chains by valid signatures to the pinned Intel SGX Root CA.`));
  }
  ctx.checks.push(
    chain.expired.length === 0
      ? pass('dcap.pck.validity', 'PCK certificates are within their validity period', `Every certificate in the chain was valid at ${iso(ctx.at)}.`)
      : fail('dcap.pck.validity', 'PCK certificates are within their validity period', `At ${iso(ctx.at)}: ${chain.expired.join('; ')}.`, 'CERT_EXPIRED', 'Check the verification time; a platform with an expired PCK certificate must be re-provisioned.'),
  );
  try {
    ctx.pck = parsePckExtensions(certs[0]!);
    ctx.pckChain = chain.ok ? chain.certs : undefined;
  } catch (e) {
    ctx.checks.push(fail('dcap.pck.extensions', 'PCK certificate carries Intel SGX extensions', toTeeError(e).message, 'CERT_CHAIN_INVALID', 'The PCK certificate is malformed; obtain the quote again.'));
  }
}
