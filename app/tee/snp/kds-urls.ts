import { fromHex, toHex } from '../../bytes/hex.js';
import { SNP_PRODUCTS } from './tcb.js';
import type { SnpProduct, TcbVersion } from './tcb.js';

/**
 * AMD KDS URLs (AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification",
 * 57230, chapter 4), built and parsed here as inverses: the missing-collateral messages name exactly what
 * main/ fetches, and the test KDS routes requests with the parser. Pure.
 *
 *   /vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=   VCEK (DER)
 *   /{vcek|vlek}/v1/{product}/cert_chain                         ASK or ASVK, then ARK (PEM)
 *   /{vcek|vlek}/v1/{product}/crl                                the ARK's CRL (DER)
 *
 * Turin (TCB_VERSION structure version 1) keys the VCEK by an 8-byte hwID, the first 8 bytes of
 * CHIP_ID, and requires fmcSPL as well. A VLEK is requested by the cloud provider with its own
 * credentials (/vlek/v1/{product}/cert), so a verifier never builds that URL.
 */
export const AMD_KDS_BASE = 'https://kdsintf.amd.com';

export type KdsKey = 'vcek' | 'vlek';
export type KdsSpl = Omit<TcbVersion, 'raw'>;

export type KdsRequest =
  { item: 'vcek'; product: SnpProduct; hwid: Uint8Array; tcb: KdsSpl } | { item: 'cert_chain' | 'crl'; key: KdsKey; product: SnpProduct };

/** The hwID KDS indexes VCEKs by: all 64 bytes of CHIP_ID, or on Turin its first 8. */
export function kdsHwid(product: SnpProduct, chipId: Uint8Array): Uint8Array {
  return product === 'Turin' ? chipId.subarray(0, 8) : chipId.subarray(0, 64);
}

export function vcekUrl(product: SnpProduct, chipId: Uint8Array, tcb: KdsSpl, base = AMD_KDS_BASE): string {
  const fmc = product === 'Turin' ? `fmcSPL=${tcb.fmc ?? 0}&` : '';
  return `${base}/vcek/v1/${product}/${toHex(kdsHwid(product, chipId))}?${fmc}blSPL=${tcb.bootloader}&teeSPL=${tcb.tee}&snpSPL=${tcb.snp}&ucodeSPL=${tcb.microcode}`;
}

export function certChainUrl(product: SnpProduct, key: KdsKey, base = AMD_KDS_BASE): string {
  return `${base}/${key}/v1/${product}/cert_chain`;
}

export function crlUrl(product: SnpProduct, key: KdsKey, base = AMD_KDS_BASE): string {
  return `${base}/${key}/v1/${product}/crl`;
}

const SPL_PARAMS = { blSPL: 'bootloader', teeSPL: 'tee', snpSPL: 'snp', ucodeSPL: 'microcode', fmcSPL: 'fmc' } as const;

/**
 * The request a KDS URL (or its path and query) stands for, or undefined when it is not one the
 * builders above make: strict, so the test KDS answers 404 where the real one would.
 */
export function parseKdsUrl(url: string): KdsRequest | undefined {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/^https:\/\/[^/]+/, '');
  const query = q < 0 ? undefined : url.slice(q + 1);
  const [empty, key, v1, name, leaf, ...more] = path.split('/');
  const product = SNP_PRODUCTS.find((p) => p === name);
  if (empty !== '' || (key !== 'vcek' && key !== 'vlek') || v1 !== 'v1' || !product || !leaf || more.length) return undefined;
  if (leaf === 'cert_chain' || leaf === 'crl') return query === undefined ? { item: leaf, key, product } : undefined;
  const hwid = fromHex(leaf);
  if (key !== 'vcek' || !hwid || hwid.length !== (product === 'Turin' ? 8 : 64) || leaf !== leaf.toLowerCase()) return undefined;
  const tcb = parseSpls(query ?? '', product === 'Turin');
  return tcb && { item: 'vcek', product, hwid, tcb };
}

/** Each SPL exactly once, decimal 0-255; fmcSPL exactly on Turin. */
function parseSpls(query: string, turin: boolean): KdsSpl | undefined {
  const out: Partial<Record<keyof KdsSpl, number>> = {};
  for (const pair of query.split('&')) {
    const [name, value, extra] = pair.split('=');
    const field = Object.hasOwn(SPL_PARAMS, name ?? '') ? SPL_PARAMS[name as keyof typeof SPL_PARAMS] : undefined;
    if (!field || extra !== undefined || !/^\d{1,3}$/.test(value ?? '') || Number(value) > 255 || out[field] !== undefined) return undefined;
    out[field] = Number(value);
  }
  const { bootloader, tee, snp, microcode, fmc } = out;
  if (bootloader === undefined || tee === undefined || snp === undefined || microcode === undefined || (fmc !== undefined) !== turin) return undefined;
  return fmc === undefined ? { bootloader, tee, snp, microcode } : { fmc, bootloader, tee, snp, microcode };
}
