import { toHex } from '../../bytes/hex.js';
import type { SnpProduct, TcbVersion } from './tcb.js';

/**
 * AMD KDS URL builders (VCEK Certificate and KDS Interface Specification). Pure, so the message for
 * missing collateral names exactly what the fetchers in main/ would request. Turin keys are indexed
 * by the first 8 bytes of CHIP_ID and carry the FMC SPL.
 */
export const AMD_KDS_BASE = 'https://kdsintf.amd.com';

export function vcekUrl(product: SnpProduct, chipId: Uint8Array, tcb: TcbVersion, base = AMD_KDS_BASE): string {
  const hwid = toHex(product === 'Turin' ? chipId.subarray(0, 8) : chipId);
  const fmc = product === 'Turin' ? `fmcSPL=${tcb.fmc ?? 0}&` : '';
  return `${base}/vcek/v1/${product}/${hwid}?${fmc}blSPL=${tcb.bootloader}&teeSPL=${tcb.tee}&snpSPL=${tcb.snp}&ucodeSPL=${tcb.microcode}`;
}

export function certChainUrl(product: SnpProduct, kind: 'vcek' | 'vlek', base = AMD_KDS_BASE): string {
  return `${base}/${kind}/v1/${product}/cert_chain`;
}

export function crlUrl(product: SnpProduct, kind: 'vcek' | 'vlek', base = AMD_KDS_BASE): string {
  return `${base}/${kind}/v1/${product}/crl`;
}
