import type { CollateralSet } from '../../collateral/types.js';
import { qeIdentitiesOf, tcbInfosOf } from './documents.js';

/** What a DCAP verification lacks for the offline banner: TCB info, QE identity and both Intel CRLs. */
export function missingDcapCollateral(set: CollateralSet): string[] {
  const crlBy = (test: (cn: string) => boolean) => set.crls.some((c) => test(c.crl.issuer.cn ?? ''));
  const missing: string[] = [];
  if (tcbInfosOf(set).length === 0) missing.push('TCB info');
  if (qeIdentitiesOf(set).length === 0) missing.push('QE identity');
  if (!crlBy((cn) => cn === 'Intel SGX Root CA')) missing.push('Intel SGX Root CA CRL');
  if (!crlBy((cn) => cn.startsWith('Intel SGX PCK'))) missing.push('PCK CA CRL');
  return missing;
}
