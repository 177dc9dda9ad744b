import { SNP_CLAIM_SCHEMA } from './claim-schema.js';
import { fail, pass } from '../../check.js';
import { TeeError, toTeeError } from '../../errors.js';
import { ByteReader } from '../../bytes/reader.js';
import { sameName } from '../../pki/name.js';
import type { ModuleResult, TeeModule } from '../module.js';
import { parseSnpReport, keyInfoOf, looksLikeSnpReport, SNP_REPORT_SIZE } from './report.js';
import type { SnpReport } from './report.js';
import { productFromCpuid, productFromName } from './tcb.js';
import { checkVekChain } from './check-chain.js';
import { checkAmdCrl } from './check-crl.js';
import { checkReportSignature, checkSigningKey, checkTcbBinding, checkTcbStatus, checkPolicy, checkReserved } from './check-report.js';
import { describeSnp, snpClaims } from './describe.js';
import type { SnpContext } from './context.js';
import { splitAppendedCertTable } from './appended.js';
import { SNP_CHECKS } from './checks.js';
import { snpCertTableCollateral, missingSnpCollateral } from './collateral.js';
import { trusteeEnvelope } from './trustee-json.js';
import { AMD_ROOTS } from '../../roots/amd.js';
import { toHex } from '../../bytes/hex.js';

const CHECK_SPECS = Object.values(SNP_CHECKS);

/** AMD SEV-SNP attestation reports v2, v3 and v5, signed by a VCEK or VLEK. */
export const snpModule = {
  id: 'sev-snp',
  technologies: [{ id: 'sev-snp', name: 'AMD SEV-SNP', isolation: 'vm', aliases: ['snp'], schema: SNP_CLAIM_SCHEMA, instance: 'VM' }] as const,
  anchors: { set: 'amd', pinned: () => AMD_ROOTS.map((r) => r.der) },
  checks: CHECK_SPECS,
  /** Structural sniff (report.ts looksLikeSnpReport): unsupported versions still reach the parser. */
  detect: looksLikeSnpReport,
  unwrap(bytes) {
    const split = splitAppendedCertTable(bytes);
    if (!split?.certTable) return undefined;
    return {
      primary: split.report,
      parts: [{ role: 'cert-table', kind: 'collateral', name: 'certificate table (appended to the report)', bytes: split.certTable }],
    };
  },
  envelopes: {
    // GCP's go-tpm-tools Attestation in JSON: {"sevSnp": {"report": …}}.
    wrapperKeys: ['snp', 'sevSnp', 'sev_snp', 'sevSnpAttestation', 'sev_snp_attestation'],
    decode: trusteeEnvelope,
  },
  collateral: [snpCertTableCollateral],
  missingCollateral: missingSnpCollateral,
  // KDS answers depend on the chip, the reported TCB, the signing key and the product (CPUID).
  collateralNeedKey(primary) {
    const r = parseSnpReport(primary);
    return `${r.version}:${r.keyInfo}:${toHex(r.chipId)}:${toHex(r.reportedTcb)}:${r.cpuid ? `${r.cpuid.family}.${r.cpuid.model}` : '-'}`;
  },
  async verify({ primary: bytes }, collateral, env) {
    let report: SnpReport;
    try {
      report = parseSnpReport(bytes);
    } catch (e) {
      return formatFailure(bytes, toTeeError(e));
    }
    const ctx: SnpContext = {
      report,
      collateral,
      at: env.at,
      crypto: env.crypto,
      cache: env.cache,
      roots: env.roots.amd,
      checks: [],
      used: env.used,
      ...(env.nonce ? { nonce: env.nonce } : {}),
    };
    const fromCpuid = report.cpuid ? productFromCpuid(report.cpuid.family, report.cpuid.model) : undefined;
    const chosen = productFromName(env.product);
    if (env.product && !chosen) throw new TeeError('USAGE_ERROR', `unknown AMD product "${env.product}" (Milan, Genoa or Turin)`);
    if (chosen && fromCpuid && chosen !== fromCpuid)
      throw new TeeError('USAGE_ERROR', `--product ${chosen} contradicts the report, which comes from an AMD ${fromCpuid} CPU`);
    const product = fromCpuid ?? chosen;
    if (product) ctx.product = product;
    const trailing = bytes.length - SNP_REPORT_SIZE;
    ctx.checks.push(
      pass(
        SNP_CHECKS.reportFormat,
        `Parsed as ATTESTATION_REPORT version ${report.version}, signed with the ${keyInfoOf(report.keyInfo).signingKey}${fromCpuid ? ` on an AMD ${fromCpuid} CPU` : ''}.${trailing > 0 ? ` ${trailing} bytes follow the report (not covered by its signature; ignored).` : ''}`,
      ),
    );
    await checkVekChain(ctx);
    await checkAmdCrl(ctx);
    await checkReportSignature(ctx);
    checkSigningKey(ctx);
    const reported = checkTcbBinding(ctx);
    const status = checkTcbStatus(ctx, reported);
    checkPolicy(ctx);
    checkReserved(ctx);
    const decodeAs = ctx.product ?? productFromName(ctx.vek?.cert.issuer.cn) ?? guessFromRoots(ctx);
    return {
      technology: 'sev-snp',
      format: `snp-report-v${report.version}`,
      checks: ctx.checks,
      catalogue: CHECK_SPECS,
      claims: snpClaims(report, decodeAs),
      fields: describeSnp(report, decodeAs, ctx.vek),
      ...(status ? { tcb: { status, advisories: [] } } : {}),
    };
  },
} as const satisfies TeeModule;

/** A report that detect() accepted but the parser refuses (VERSION other than 2, 3, 5; SIGNATURE_ALGO other than 1): one failing check. */
function formatFailure(bytes: Uint8Array, err: TeeError): ModuleResult {
  const version = new ByteReader(bytes).u32('version');
  const check = fail(SNP_CHECKS.reportFormat, `The input looks like an SEV-SNP ATTESTATION_REPORT but cannot be verified: ${err.message}.`, err.code);
  return { technology: 'sev-snp', format: `snp-report-v${version}`, checks: [check], catalogue: CHECK_SPECS, claims: {}, fields: { version } };
}

/** v2 reports without a VEK name no product; Milan's TCB layout is the v2-era default. */
function guessFromRoots(ctx: SnpContext) {
  const ark = ctx.chain?.[ctx.chain.length - 1];
  return productFromName(ark && ctx.roots.find((r) => sameName(r.subject, ark.subject))?.subject.cn) ?? 'Milan';
}
