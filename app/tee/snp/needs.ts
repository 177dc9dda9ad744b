import { parseSnpReport, keyInfoOf } from './report.js';
import { decodeTcb, productFromCpuid, productFromName } from './tcb.js';
import { vcekUrl, crlUrl, AMD_KDS_BASE } from './kds-urls.js';

export interface SnpNeed {
  kind: 'vcek' | 'amd-crl';
  url: string;
}

/**
 * What an SEV-SNP report needs from AMD KDS: its VCEK (by chip ID and reported TCB) and the ARK's CRL.
 * A VLEK comes from the cloud provider, not from KDS; a v2 report names no product, so the caller's
 * choice is needed. Pure: main/ fetches exactly these URLs.
 */
export function snpCollateralNeeds(reportBytes: Uint8Array, productName?: string, base = AMD_KDS_BASE): { needs: SnpNeed[]; problem?: string } {
  const r = parseSnpReport(reportBytes);
  const product = (r.cpuid && productFromCpuid(r.cpuid.family, r.cpuid.model)) ?? productFromName(productName);
  if (!product) return { needs: [], problem: 'the report (version 2) does not name its AMD product: give --product Milan, Genoa or Turin to fetch its VCEK' };
  if (keyInfoOf(r.keyInfo).signingKey !== 'VCEK') return { needs: [{ kind: 'amd-crl', url: crlUrl(product, 'vlek', base) }], problem: 'the report is signed with a VLEK, which the cloud provider supplies (AMD KDS serves VCEKs only)' };
  return { needs: [{ kind: 'vcek', url: vcekUrl(product, r.chipId, decodeTcb(r.reportedTcb, product), base) }, { kind: 'amd-crl', url: crlUrl(product, 'vcek', base) }] };
}
