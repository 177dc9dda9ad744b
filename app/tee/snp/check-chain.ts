import { fail, pass, skip } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { equalBytes } from '../../bytes/hex.js';
import { verifyChain, iso } from '../../pki/chain.js';
import type { ChainResult } from '../../pki/chain.js';
import { sameName } from '../../pki/name.js';
import type { Certificate } from '../../pki/x509.js';
import { isVek, parseVek } from './vek.js';
import type { VekInfo } from './vek.js';
import { keyInfoOf } from './report.js';
import { decodeTcb, productFromName, tcbParts } from './tcb.js';
import { hwIdProblem } from './chip-id.js';
import { preferred } from './prefer.js';
import type { SnpProduct } from './tcb.js';
import { vcekUrl, certChainUrl } from './kds-urls.js';
import type { SnpContext } from './context.js';
import { SNP_CHECKS } from './checks.js';

const CHAIN = SNP_CHECKS.vekChain;
const VALIDITY = SNP_CHECKS.vekValidity;

/**
 * The VCEK or VLEK among the collateral, its chain VEK -> ASK/ASVK -> pinned ARK (RSA-PSS), the
 * ARK belonging to the VEK's product, and every certificate's validity at `at`.
 */
export async function checkVekChain(ctx: SnpContext): Promise<void> {
  const vek = selectVek(ctx);
  if (!vek) return;
  ctx.vek = vek;
  if (ctx.product && vek.product && ctx.product !== vek.product) {
    ctx.checks.push(
      fail(
        CHAIN,
        `The report comes from an AMD ${ctx.product} CPU, but the ${vek.kind} is for ${vek.product}.`,
        'CERT_CHAIN_INVALID',
        `Supply the ${vek.kind} of this ${ctx.product} chip.`,
      ),
    );
    ctx.checks.push(skip(VALIDITY, `the ${vek.kind} is for another product`));
    return;
  }
  const product = vek.product ?? ctx.product;
  if (product) ctx.product = product;
  const arks = ctx.roots.filter((r) => sameName(r.subject, r.issuer));
  const pinnedCa = ctx.roots.find((r) => !sameName(r.subject, r.issuer) && sameName(r.subject, vek.cert.issuer));
  const suppliedCa = newestValid(
    ctx.collateral.certs.filter((c) => sameName(c.subject, vek.cert.issuer) && !equalBytes(c.der, vek.cert.der)),
    ctx.at,
  );
  const ca = pinnedCa ?? suppliedCa;
  if (ca === suppliedCa && ca) ctx.used.add(ca);
  const chain = await verifyChain(ctx.cache, ca ? [vek.cert, ca] : [vek.cert], arks, ctx.at);
  const problem = chain.problem ?? arkProductProblem(chain, product);
  const caKind = vek.kind === 'VLEK' ? 'ASVK' : 'ASK';
  if (problem) {
    const fix = product
      ? `Use the ${vek.kind} and ${caKind} of this ${product} chip (${certChainUrl(product, vek.kind === 'VLEK' ? 'vlek' : 'vcek')}).`
      : `Supply a ${vek.kind} issued by AMD.`;
    ctx.checks.push(
      fail(
        CHAIN,
        `The ${vek.kind} could not be traced to a pinned AMD root key: ${problem}. Nothing in the report can be attributed to genuine AMD hardware.`,
        'CERT_CHAIN_INVALID',
        fix,
      ),
    );
  } else {
    ctx.chain = chain.certs;
    const ark = chain.certs[chain.certs.length - 1]!;
    if (!ctx.product) ctx.product = productFromName(ark.subject.cn);
    ctx.checks.push(
      pass(
        CHAIN,
        `The ${vek.kind} ("${vek.productName}") is signed by ${ca?.subject.cn ?? caKind} (RSA-PSS), which is signed by the pinned ${ark.subject.cn}.`,
      ),
    );
  }
  ctx.checks.push(
    chain.expired.length === 0
      ? pass(VALIDITY, `Every certificate in the chain was valid at ${iso(ctx.at)}.`)
      : fail(
          VALIDITY,
          `At ${iso(ctx.at)}: ${chain.expired.join('; ')}.`,
          'CERT_EXPIRED',
          'Check the verification time; fetch a current certificate from AMD KDS.',
        ),
  );
}

/** A VEK naming one product must end at that product's ARK (a Milan VCEK under ARK-Genoa is no chain). */
function arkProductProblem(chain: ChainResult, product: SnpProduct | undefined): string | undefined {
  const ark = chain.certs[chain.certs.length - 1];
  const arkProduct = productFromName(ark?.subject.cn);
  if (!product || !arkProduct || arkProduct === product) return undefined;
  return `the chain ends at ${ark!.subject.cn}, the root of AMD ${arkProduct}, not of ${product}`;
}

/**
 * The VEK to use, whatever order the files came in: of the kind KEY_INFO names, bound to CHIP_ID at
 * full length, issued for REPORTED_TCB, valid at `at`, then the newest (latest notBefore); the
 * encoding breaks remaining ties. Only the chosen one counts as used.
 */
function selectVek(ctx: SnpContext): VekInfo | undefined {
  const candidates: VekInfo[] = [];
  let firstError: string | undefined;
  for (const cert of ctx.collateral.certs.filter(isVek)) {
    try {
      candidates.push(parseVek(cert));
    } catch (e) {
      firstError ??= toTeeError(e).message;
    }
  }
  const vek = preferred(candidates, vekRank(ctx), (v) => v.cert.der)[0];
  if (vek) ctx.used.add(vek.cert);
  if (!vek && firstError) {
    ctx.checks.push(fail(CHAIN, `The endorsement key certificate is malformed: ${firstError}.`, 'CERT_CHAIN_INVALID', 'Fetch the VCEK again from AMD KDS.'));
    ctx.checks.push(skip(VALIDITY, 'no usable endorsement key'));
  } else if (!vek) {
    const signing = keyInfoOf(ctx.report.keyInfo).signingKey;
    const what = signing === 'VLEK' ? 'VLEK (from the cloud provider)' : `VCEK (${vcekUrlFor(ctx)})`;
    ctx.checks.push(
      fail(
        CHAIN,
        `No VCEK or VLEK certificate was supplied, so the report's signature cannot be checked. Needed: the ${what}.`,
        'COLLATERAL_MISSING',
        `Supply the ${what} as a collateral file (DER or PEM).`,
      ),
    );
    ctx.checks.push(skip(VALIDITY, 'no endorsement key'));
  }
  return vek;
}

/** Preference keys, most important first: right kind, chip, TCB, validity at `at`, notBefore. */
function vekRank(ctx: SnpContext): (v: VekInfo) => number[] {
  const signing = keyInfoOf(ctx.report.keyInfo).signingKey;
  return (v) => {
    const product = v.product ?? ctx.product;
    const reported = product ? decodeTcb(ctx.report.reportedTcb, product) : undefined;
    const tcbMatches = reported !== undefined && tcbParts(reported).every((k) => reported[k] === v.tcb[k]);
    const chipMatches = v.kind === 'VLEK' || hwIdProblem(v.hwId, ctx.report.chipId, product) === undefined;
    return [+(v.kind === signing), +chipMatches, +tcbMatches, +validAt(v.cert, ctx.at), v.cert.notBefore];
  };
}

/** Of several certificates for one role, the one valid at `at` that was issued last (any, if none is valid). */
function newestValid(certs: Certificate[], at: number): Certificate | undefined {
  return preferred(
    certs,
    (c) => [+validAt(c, at), c.notBefore],
    (c) => c.der,
  )[0];
}

function validAt(c: Certificate, at: number): boolean {
  return c.notBefore <= at && at <= c.notAfter;
}

function vcekUrlFor(ctx: SnpContext): string {
  if (!ctx.product)
    return `AMD KDS, under the product the report does not name (Milan, Genoa or Turin); for Milan ${vcekUrl('Milan', ctx.report.chipId, decodeTcb(ctx.report.reportedTcb, 'Milan'))}`;
  return vcekUrl(ctx.product, ctx.report.chipId, decodeTcb(ctx.report.reportedTcb, ctx.product));
}
