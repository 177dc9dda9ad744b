import { isAllZero } from '../../bytes/hex.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { Certificate } from '../../pki/x509.js';
import { parseSnpReport, keyInfoOf } from './report.js';
import { decodeTcb, productFromCpuid, productFromName } from './tcb.js';
import type { SnpProduct } from './tcb.js';
import { isVek } from './vek.js';
import { vcekUrl, certChainUrl, crlUrl, kdsHwid, AMD_KDS_BASE } from './kds-urls.js';
import type { KdsKey } from './kds-urls.js';

export interface SnpNeed {
  kind: 'cert-chain' | 'vcek' | 'amd-crl';
  /** The KDS path family: the report's signing key decides between the VCEK and VLEK chains and CRLs. */
  key: KdsKey;
  product: SnpProduct;
  url: string;
}

/** What is already at hand, pinned or supplied, by name: enough to decide what to ask KDS for. */
export interface SnpAtHand {
  veks: readonly ('VCEK' | 'VLEK')[];
  /** Subject CNs of the CA certificates pinned or supplied (ARK-Milan, SEV-Milan, SEV-VLEK-Milan...). */
  cas: readonly string[];
  /** Issuer CNs of the supplied CRLs. */
  crlIssuers: readonly string[];
  /** The products the supplied VCEKs/VLEKs were issued for (their issuer, SEV-Milan...): a v2 report does not say. */
  vekProducts?: readonly SnpProduct[];
}

export interface SnpNeedsOptions {
  /** Milan, Genoa or Turin, for v2 reports, which do not name their product. */
  product?: string;
  base?: string;
  have?: SnpAtHand;
}

/** The CA names a product's chain must have, below the ARK: ASK (signs VCEKs) or ASVK (signs VLEKs). */
export function amdCaNames(product: SnpProduct, key: KdsKey): { intermediate: string; ark: string } {
  return { intermediate: key === 'vlek' ? `SEV-VLEK-${product}` : `SEV-${product}`, ark: `ARK-${product}` };
}

export function snpAtHand(supplied: CollateralSet, pinned: readonly Certificate[]): SnpAtHand {
  return {
    veks: supplied.certs.filter(isVek).map((c) => (c.subject.cn === 'SEV-VLEK' ? 'VLEK' : 'VCEK')),
    cas: [...pinned, ...supplied.certs].filter((c) => !isVek(c)).map((c) => c.subject.cn ?? ''),
    crlIssuers: supplied.crls.map((c) => c.crl.issuer.cn ?? ''),
    vekProducts: supplied.certs.filter(isVek).flatMap((c) => productFromName(c.issuer.cn) ?? []),
  };
}

/**
 * What an SEV-SNP report still needs from AMD KDS, given what is at hand: the ASK/ASVK chain when the
 * intermediate is neither pinned nor supplied, the VCEK (by hwID and reported TCB) and the ARK's CRL
 * for the report's key. `missing` says what KDS cannot give and where it comes from instead. Whatever
 * KDS answers is checked by the verifier against the pinned ARK; nothing is trusted for its origin.
 */
export function snpCollateralNeeds(reportBytes: Uint8Array, o: SnpNeedsOptions = {}): { needs: SnpNeed[]; missing: string[] } {
  const r = parseSnpReport(reportBytes);
  const named = productFromName(o.product);
  if (o.product && !named) return { needs: [], missing: [`unknown AMD product "${o.product}": AMD KDS serves Milan, Genoa and Turin`] };
  const fromVek = [...new Set(o.have?.vekProducts ?? [])];
  // CPUID (v3+) first; then the user's choice; then the one product the supplied VCEK/VLEK was issued for.
  const product = (r.cpuid && productFromCpuid(r.cpuid.family, r.cpuid.model)) ?? named ?? (fromVek.length === 1 ? fromVek[0] : undefined);
  if (!product)
    return {
      needs: [],
      missing: [
        'the report (version 2) does not name its AMD product (Milan, Genoa or Turin): supply its VCEK, which names it, or choose the product, to fetch the rest of its collateral from AMD KDS',
      ],
    };
  const signing = keyInfoOf(r.keyInfo).signingKey;
  // SIGNING_KEY "none" or reserved: there is no key to fetch; the verifier says what is wrong.
  if (signing !== 'VCEK' && signing !== 'VLEK') return { needs: [], missing: [] };
  const key: KdsKey = signing === 'VLEK' ? 'vlek' : 'vcek';
  const have = o.have ?? { veks: [], cas: [], crlIssuers: [] };
  const base = o.base ?? AMD_KDS_BASE;
  const names = amdCaNames(product, key);
  const needs: SnpNeed[] = [];
  const missing: string[] = [];
  if (!have.cas.includes(names.intermediate)) needs.push({ kind: 'cert-chain', key, product, url: certChainUrl(product, key, base) });
  if (!have.veks.includes(signing)) {
    if (signing === 'VLEK')
      missing.push(
        'the report is signed with a VLEK, which the cloud provider supplies (in the SNP certificate table of SNP_GET_EXT_REPORT or the configfs-tsm auxblob); AMD KDS gives VLEKs to cloud providers only',
      );
    else if (isAllZero(kdsHwid(product, r.chipId)))
      missing.push(
        "CHIP_ID is all zeros (MASK_CHIP_ID is set on the platform), so AMD KDS cannot be asked for this chip's VCEK: take it from the host's SNP certificate table",
      );
    else needs.push({ kind: 'vcek', key, product, url: vcekUrl(product, r.chipId, decodeTcb(r.reportedTcb, product), base) });
  }
  // Both CRL paths are issued by the product's ARK, and snp.crl checks whichever is supplied against it.
  if (!have.crlIssuers.includes(names.ark)) needs.push({ kind: 'amd-crl', key, product, url: crlUrl(product, key, base) });
  return { needs, missing };
}
