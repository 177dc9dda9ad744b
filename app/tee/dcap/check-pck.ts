import { fail, pass, skip, warn } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { verifyChain, iso } from '../../pki/chain.js';
import { pemBlocks } from '../../pki/pem.js';
import type { Certificate } from '../../pki/x509.js';
import type { Crl } from '../../pki/crl.js';
import { sameName } from '../../pki/name.js';
import { parsePckExtensions } from './pck-extensions.js';
import { CERT_DATA_PCK_CHAIN, pckChainPem } from './auth-data.js';
import type { DcapContext } from './context.js';
import { pcsUrls } from './pcs-urls.js';

const CHAIN = 'dcap.pck.chain';
const CHAIN_TITLE = 'PCK certificate chain leads to the pinned Intel SGX Root CA';

/** The PCK chain from the quote: parse, link every signature up to the pinned root, validity at `at`. */
export async function checkPckChain(ctx: DcapContext): Promise<void> {
  const certs = parseChain(ctx);
  if (!certs) return;
  ctx.pckCerts = certs;
  const chain = await verifyChain(ctx.cache, certs, ctx.roots, ctx.at);
  const leafCn = certs[0]!.subject.cn;
  if (!chain.ok || leafCn !== 'Intel SGX PCK Certificate') {
    const why = chain.problem ?? `the leaf is "${leafCn ?? certs[0]!.subject.text}", not an Intel SGX PCK Certificate`;
    ctx.checks.push(fail(CHAIN, CHAIN_TITLE, `The platform's PCK certificate could not be traced to Intel: ${why}. Nothing in this quote can be attributed to genuine Intel hardware.`, 'CERT_CHAIN_INVALID', 'Obtain the quote again from the platform; if it persists, the quote or its certificates were altered or come from a non-Intel signer.'));
  } else {
    const issuer = certs[1]?.subject.cn ?? 'a PCK CA';
    ctx.checks.push(pass(CHAIN, CHAIN_TITLE, `The PCK certificate (serial ${certs[0]!.serialHex}) was issued by ${issuer}, which chains by valid signatures to the pinned Intel SGX Root CA.`));
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

function parseChain(ctx: DcapContext): Certificate[] | undefined {
  const qe = ctx.quote.qe;
  if (qe.innerType !== CERT_DATA_PCK_CHAIN) {
    ctx.checks.push(fail(CHAIN, CHAIN_TITLE, `The quote carries certification data type ${qe.innerType} instead of the PCK certificate chain (type 5), so the PCK certificate must be fetched from Intel PCS or a PCCS.`, 'COLLATERAL_MISSING', 'Configure the platform\'s quote provider (QPL) to embed the PCK chain, or supply the PCK certificate.'));
    return undefined;
  }
  try {
    const pem = pckChainPem(qe);
    const certs = pemBlocks(pem, 'CERT_CHAIN_INVALID').filter((b) => b.label === 'CERTIFICATE').map((b) => ctx.cache.cert(b.der));
    if (certs.length === 0) throw new Error('no certificate in the PCK chain');
    return certs;
  } catch (e) {
    ctx.checks.push(fail(CHAIN, CHAIN_TITLE, `The PCK certificate chain in the quote does not parse: ${toTeeError(e).message}.`, 'CERT_CHAIN_INVALID', 'Obtain the quote again; the certification data is damaged.'));
    return undefined;
  }
}

/** Intel root CA CRL (revokes intermediate CAs) and PCK CA CRL (revokes platforms). */
export async function checkRevocation(ctx: DcapContext): Promise<void> {
  const chain = ctx.pckChain;
  const rootTitle = 'Intel SGX Root CA CRL: no intermediate CA revoked';
  const pckTitle = 'PCK certificate is not revoked';
  if (!chain) {
    ctx.checks.push(skip('dcap.crl.root', rootTitle, 'the PCK chain did not verify'), skip('dcap.pck.revocation', pckTitle, 'the PCK chain did not verify'));
    return;
  }
  const root = chain[chain.length - 1]!;
  const cas = chain.slice(1, -1);
  ctx.checks.push(await crlCheck(ctx, 'dcap.crl.root', rootTitle, root, cas, pcsUrls.rootCaCrl()));
  const leaf = chain[0]!;
  const pckCa = chain[1]!;
  const ca = pckCa.subject.cn?.includes('Processor') ? 'processor' : 'platform';
  ctx.checks.push(await crlCheck(ctx, 'dcap.pck.revocation', pckTitle, pckCa, [leaf], pcsUrls.pckCrl(ctx.quote.technology, ca)));
}

async function crlCheck(ctx: DcapContext, id: string, title: string, issuer: Certificate, subjects: Certificate[], url: string) {
  const found = ctx.collateral.crls.find((c) => sameName(c.crl.issuer, issuer.subject));
  const issuerName = issuer.subject.cn ?? issuer.subject.text;
  if (!found) {
    const other = ctx.collateral.crls.find((c) => c.crl.issuer.cn?.startsWith('Intel SGX PCK') && issuer.subject.cn?.startsWith('Intel SGX PCK'));
    if (other) return fail(id, title, `The supplied PCK CRL (${other.source}) is issued by ${other.crl.issuer.cn}, but this PCK certificate was issued by ${issuerName}.`, 'COLLATERAL_MISMATCH', `Supply the CRL of ${issuerName}: ${url}`);
    return warn(id, title, `No CRL from ${issuerName} was supplied, so revocation could not be checked. This is not a pass.`, `Supply the CRL: ${url}`);
  }
  const problem = await crlProblem(ctx, found.crl, issuer);
  if (problem) return fail(id, title, `${found.source}: ${problem.message}`, problem.code, problem.fix ?? `Fetch a current CRL: ${url}`);
  const revoked = subjects.filter((c) => found.crl.revokedSerials.has(c.serialHex));
  if (revoked.length > 0) {
    const names = revoked.map((c) => `"${c.subject.cn}" (serial ${c.serialHex})`).join(', ');
    return fail(id, title, `${issuerName} has revoked ${names}. Intel revokes certificates of compromised or retired keys.`, 'CERT_REVOKED', 'Do not trust this platform; the certificate has been revoked by Intel.');
  }
  return pass(id, title, `${issuerName}'s CRL (signature valid, current until ${iso(found.crl.nextUpdate ?? found.crl.thisUpdate)}, ${found.crl.revokedSerials.size} revoked serials) does not list ${subjects.map((c) => c.subject.cn).join(', ')}.`);
}

async function crlProblem(ctx: DcapContext, crl: Crl, issuer: Certificate) {
  if (!(await ctx.cache.verify(crl, issuer.publicKey, true))) {
    return { code: 'COLLATERAL_SIGNATURE_INVALID' as const, message: `the CRL's signature by ${issuer.subject.cn} does not verify.`, fix: 'Fetch the CRL again from Intel PCS; this copy was altered.' };
  }
  if (crl.nextUpdate === undefined || ctx.at < crl.thisUpdate || ctx.at > crl.nextUpdate) {
    const until = crl.nextUpdate === undefined ? 'no nextUpdate' : iso(crl.nextUpdate);
    return { code: 'COLLATERAL_EXPIRED' as const, message: `the CRL is valid from ${iso(crl.thisUpdate)} until ${until}, not at ${iso(ctx.at)}.` };
  }
  return undefined;
}
