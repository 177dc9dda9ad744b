import { TeeError } from '../../errors.js';
import type { CollateralRecogniser } from '../../collateral/recognise.js';
import type { CollateralSet } from '../../collateral/types.js';
import { looksLikeCertTable, parseCertTable } from './cert-table.js';
import { isVek } from './vek.js';

/** An AMD SEV-SNP certificate table (SNP_GET_EXT_REPORT): its VCEK/VLEK, ASK and ARK join the pool. */
export const snpCertTableCollateral: CollateralRecogniser = {
  binary(bytes, ctx) {
    if (!looksLikeCertTable(bytes)) return undefined;
    const entries = parseCertTable(bytes);
    if (entries.length === 0) throw new TeeError('MALFORMED_COLLATERAL', 'the certificate table holds no known certificate');
    for (const e of entries) ctx.into.certs.push(ctx.cache.cert(e.der, 'MALFORMED_COLLATERAL'));
    return entries.map((e) => `cert-table:${e.kind}`);
  },
};

/** What an SEV-SNP verification lacks for the offline banner: a VCEK or VLEK, and the ARK's CRL. */
export function missingSnpCollateral(set: CollateralSet): string[] {
  const missing: string[] = [];
  if (!set.certs.some(isVek)) missing.push('VCEK or VLEK');
  if (!set.crls.some((c) => (c.crl.issuer.cn ?? '').startsWith('ARK-'))) missing.push('AMD CRL');
  return missing;
}
