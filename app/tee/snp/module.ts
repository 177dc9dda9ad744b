import { pass } from '../../check.js';
import { TeeError } from '../../errors.js';
import { sameName } from '../../pki/name.js';
import type { TeeModule } from '../module.js';
import { parseSnpReport, keyInfoOf, SNP_REPORT_SIZE, SIG_ALGO_ECDSA_P384_SHA384 } from './report.js';
import { productFromCpuid, productFromName } from './tcb.js';
import { checkVekChain, checkAmdCrl } from './check-chain.js';
import { checkReportSignature, checkTcbBinding, checkTcbStatus, checkPolicy } from './check-report.js';
import { describeSnp, snpClaims } from './describe.js';
import type { SnpContext } from './context.js';

/** Checks that decide `cryptoValid`: the report signature and the endorsement key chain. */
export const SNP_CRYPTO_CHECKS = ['snp.vek.chain', 'snp.report.signature'];

/** AMD SEV-SNP attestation reports v2, v3 and v5, signed by a VCEK or VLEK. */
export const snpModule: TeeModule = {
  id: 'sev-snp',
  detect(b) {
    if (b.length < SNP_REPORT_SIZE) return false;
    const u32 = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    return [2, 3, 5].includes(u32(0)) && u32(0x34) === SIG_ALGO_ECDSA_P384_SHA384 && u32(0x30) <= 3;
  },
  async verify(bytes, collateral, env) {
    const report = parseSnpReport(bytes);
    const ctx: SnpContext = { report, collateral, at: env.at, crypto: env.crypto, cache: env.cache, roots: env.roots.amd, checks: [], ...(env.nonce ? { nonce: env.nonce } : {}) };
    const fromCpuid = report.cpuid ? productFromCpuid(report.cpuid.family, report.cpuid.model) : undefined;
    const chosen = productFromName(env.product);
    if (env.product && !chosen) throw new TeeError('USAGE_ERROR', `unknown AMD product "${env.product}" (Milan, Genoa or Turin)`);
    if (chosen && fromCpuid && chosen !== fromCpuid) throw new TeeError('USAGE_ERROR', `--product ${chosen} contradicts the report, which comes from an AMD ${fromCpuid} CPU`);
    const product = fromCpuid ?? chosen;
    if (product) ctx.product = product;
    const trailing = bytes.length - SNP_REPORT_SIZE;
    ctx.checks.push(pass('snp.report.format', 'Report structure is well formed', `Parsed as ATTESTATION_REPORT version ${report.version}, signed with the ${keyInfoOf(report.keyInfo).signingKey}${fromCpuid ? ` on an AMD ${fromCpuid} CPU` : ''}.${trailing > 0 ? ` ${trailing} bytes follow the report (not covered by its signature; ignored).` : ''}`));
    await checkVekChain(ctx);
    await checkAmdCrl(ctx);
    await checkReportSignature(ctx);
    const reported = checkTcbBinding(ctx);
    const status = checkTcbStatus(ctx, reported);
    checkPolicy(ctx);
    const decodeAs = ctx.product ?? productFromName(ctx.vek?.cert.issuer.cn) ?? guessFromRoots(ctx);
    return {
      technology: 'sev-snp',
      format: `snp-report-v${report.version}`,
      checks: ctx.checks,
      cryptoChecks: SNP_CRYPTO_CHECKS,
      claims: snpClaims(report, decodeAs),
      fields: describeSnp(report, decodeAs, ctx.vek),
      ...(status ? { tcb: { status, advisories: [] } } : {}),
    };
  },
};

/** v2 reports without a VEK name no product; Milan's TCB layout is the v2-era default. */
function guessFromRoots(ctx: SnpContext) {
  const ark = ctx.chain?.[ctx.chain.length - 1];
  return productFromName(ark && ctx.roots.find((r) => sameName(r.subject, ark.subject))?.subject.cn) ?? 'Milan';
}
