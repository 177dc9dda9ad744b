import { fail, pass, skip, warn } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { equalBytes } from '../../bytes/hex.js';
import { verifyChain, iso } from '../../pki/chain.js';
import { sameName } from '../../pki/name.js';
import type { Certificate } from '../../pki/x509.js';
import { isVek, parseVek } from './vek.js';
import type { VekInfo } from './vek.js';
import { keyInfoOf } from './report.js';
import { decodeTcb } from './tcb.js';
import { vcekUrl, certChainUrl, crlUrl } from './kds-urls.js';
import type { SnpContext } from './context.js';

const CHAIN = 'snp.vek.chain';
const TITLE = 'Endorsement key (VCEK/VLEK) chains to the pinned AMD root';

/** The VCEK or VLEK among the collateral, its chain to a pinned ARK (RSA-PSS), and its validity at `at`. */
export async function checkVekChain(ctx: SnpContext): Promise<void> {
  const vek = selectVek(ctx);
  if (!vek) return;
  ctx.vek = vek;
  const product = vek.product ?? ctx.product;
  if (ctx.product && vek.product && ctx.product !== vek.product) {
    ctx.checks.push(fail(CHAIN, TITLE, `The report comes from an AMD ${ctx.product} CPU (CPUID), but the ${vek.kind} is for ${vek.product}.`, 'CERT_CHAIN_INVALID', `Supply the ${vek.kind} of this ${ctx.product} chip.`));
    return;
  }
  if (product) ctx.product = product;
  const arks = ctx.roots.filter((r) => sameName(r.subject, r.issuer));
  const pinnedCa = ctx.roots.find((r) => !sameName(r.subject, r.issuer) && sameName(r.subject, vek.cert.issuer));
  const suppliedCa = ctx.collateral.certs.find((c) => sameName(c.subject, vek.cert.issuer) && !equalBytes(c.der, vek.cert.der));
  const ca = pinnedCa ?? suppliedCa;
  const chain = await verifyChain(ctx.cache, ca ? [vek.cert, ca] : [vek.cert], arks, ctx.at);
  const kindCa = vek.kind === 'VLEK' ? 'ASVK' : 'ASK';
  if (!chain.ok) {
    const fix = product ? `Use the ${vek.kind} and ${kindCa} of this ${product} chip (${certChainUrl(product, vek.kind === 'VLEK' ? 'vlek' : 'vcek')}).` : `Supply a ${vek.kind} issued by AMD.`;
    ctx.checks.push(fail(CHAIN, TITLE, `The ${vek.kind} could not be traced to a pinned AMD root key: ${chain.problem}. Nothing in the report can be attributed to genuine AMD hardware.`, 'CERT_CHAIN_INVALID', fix));
  } else {
    ctx.chain = chain.certs;
    const ark = chain.certs[chain.certs.length - 1]!;
    ctx.checks.push(pass(CHAIN, TITLE, `The ${vek.kind} ("${vek.productName}") is signed by ${ca?.subject.cn ?? kindCa} (RSA-PSS), which is signed by the pinned ${ark.subject.cn}.`));
  }
  ctx.checks.push(
    chain.expired.length === 0
      ? pass('snp.vek.validity', 'Endorsement key certificates are within their validity period', `Every certificate in the chain was valid at ${iso(ctx.at)}.`)
      : fail('snp.vek.validity', 'Endorsement key certificates are within their validity period', `At ${iso(ctx.at)}: ${chain.expired.join('; ')}.`, 'CERT_EXPIRED', 'Check the verification time; fetch a current certificate from AMD KDS.'),
  );
  const signing = keyInfoOf(ctx.report.keyInfo).signingKey;
  if (signing !== vek.kind) {
    ctx.checks.push(fail('snp.vek.kind', 'The certificate is the kind of key that signed the report', `The report says it is signed with the ${signing}, but the certificate supplied is a ${vek.kind}.`, 'CERT_CHAIN_INVALID', `Supply the ${signing} certificate.`));
  }
}

function selectVek(ctx: SnpContext): VekInfo | undefined {
  const candidates: VekInfo[] = [];
  for (const cert of ctx.collateral.certs.filter(isVek)) {
    try {
      candidates.push(parseVek(cert));
    } catch (e) {
      ctx.checks.push(fail(CHAIN, TITLE, `The endorsement key certificate is malformed: ${toTeeError(e).message}.`, 'CERT_CHAIN_INVALID', 'Fetch the VCEK again from AMD KDS.'));
      return undefined;
    }
  }
  const chip = ctx.report.chipId;
  const vek = candidates.find((v) => v.hwId && equalBytes(v.hwId, chip.subarray(0, v.hwId.length))) ?? candidates[0];
  if (!vek) {
    const product = ctx.product ?? 'Milan';
    const url = vcekUrl(product, chip, decodeTcb(ctx.report.reportedTcb, product));
    const what = keyInfoOf(ctx.report.keyInfo).signingKey === 'VLEK' ? 'VLEK (from the cloud provider)' : `VCEK (${url})`;
    ctx.checks.push(fail(CHAIN, TITLE, `No VCEK or VLEK certificate was supplied, so the report's signature cannot be checked. Needed: the ${what}.`, 'COLLATERAL_MISSING', `Supply the ${what} as a collateral file (DER or PEM).`));
    ctx.checks.push(skip('snp.vek.validity', 'Endorsement key certificates are within their validity period', 'no endorsement key'));
  }
  return vek;
}

/** The AMD CRL (issued by the ARK) must not list the ASK/ASVK or the VEK; an absent CRL is a visible warning. */
export async function checkAmdCrl(ctx: SnpContext): Promise<void> {
  const title = 'AMD CRL: no key in the chain is revoked';
  const chain = ctx.chain;
  if (!chain) return void ctx.checks.push(skip('snp.crl', title, 'the endorsement key chain did not verify'));
  const ark = chain[chain.length - 1]!;
  const kind = ctx.vek?.kind === 'VLEK' ? 'vlek' : 'vcek';
  const url = ctx.product ? crlUrl(ctx.product, kind) : 'AMD KDS /{vcek|vlek}/v1/{product}/crl';
  const found = ctx.collateral.crls.find((c) => sameName(c.crl.issuer, ark.subject));
  if (!found) return void ctx.checks.push(warn('snp.crl', title, `No CRL from ${ark.subject.cn} was supplied, so revocation of the ${kind.toUpperCase()} chain could not be checked. This is not a pass.`, `Supply the CRL: ${url}`));
  const crl = found.crl;
  if (!(await ctx.cache.verify(crl, ark.publicKey, true))) return void ctx.checks.push(fail('snp.crl', title, `${found.source}: the CRL's signature by ${ark.subject.cn} does not verify.`, 'COLLATERAL_SIGNATURE_INVALID', `Fetch the CRL again: ${url}`));
  if (crl.nextUpdate === undefined || ctx.at < crl.thisUpdate || ctx.at > crl.nextUpdate) {
    return void ctx.checks.push(fail('snp.crl', title, `${found.source}: the CRL is valid from ${iso(crl.thisUpdate)} until ${crl.nextUpdate ? iso(crl.nextUpdate) : '(no nextUpdate)'}, not at ${iso(ctx.at)}.`, 'COLLATERAL_EXPIRED', `Fetch a current CRL: ${url}`));
  }
  const revoked = chain.slice(0, -1).filter((c: Certificate) => crl.revokedSerials.has(c.serialHex));
  if (revoked.length) return void ctx.checks.push(fail('snp.crl', title, `${ark.subject.cn} has revoked ${revoked.map((c) => `"${c.subject.cn}" (serial ${c.serialHex})`).join(', ')}.`, 'CERT_REVOKED', 'Do not trust this platform: AMD revoked its key.'));
  ctx.checks.push(pass('snp.crl', title, `${ark.subject.cn}'s CRL (signature valid, ${crl.revokedSerials.size} revoked serials) lists none of ${chain.slice(0, -1).map((c) => c.subject.cn).join(', ')}.`));
}
