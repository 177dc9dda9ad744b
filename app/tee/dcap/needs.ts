import { toHex } from '../../bytes/hex.js';
import { looksLikePem, pemBlocks } from '../../pki/pem.js';
import { parseCertificate } from '../../pki/x509.js';
import { parseQuote } from './quote.js';
import { parsePckExtensions } from './pck-extensions.js';
import { makePcsUrls } from './pcs-urls.js';
import { CERT_DATA_PCK_CHAIN, CERT_DATA_PCK_LEAF, pckChainPem } from './auth-data.js';
import type { QeCertification } from './auth-data.js';
import type { TcbUpdate } from './pcs-urls.js';

/** One collateral item a quote needs, and where Intel PCS (or a PCCS) serves it. */
export interface CollateralNeed {
  kind: 'tcb-info' | 'qe-identity' | 'pck-crl' | 'root-ca-crl';
  url: string;
  /** The response header that carries the issuer chain (URL-encoded PEM), if any. */
  chainHeader?: string;
}

/**
 * What a DCAP quote needs from Intel PCS: TCB info for its FMSPC, the QE identity, the CRL of the CA
 * that issued its PCK certificate and the root CA CRL. Pure: the fetchers in main/ request exactly these.
 */
export function dcapCollateralNeeds(quoteBytes: Uint8Array, pcsBase?: string, update: TcbUpdate = 'standard'): CollateralNeed[] {
  const quote = parseQuote(quoteBytes);
  const urls = makePcsUrls(pcsBase);
  const leafDer = quoteLeafDer(quote.qe);
  const needs: CollateralNeed[] = [
    { kind: 'qe-identity', url: urls.qeIdentity(quote.technology, update), chainHeader: 'SGX-Enclave-Identity-Issuer-Chain' },
    { kind: 'root-ca-crl', url: urls.rootCaCrl() },
  ];
  if (!leafDer) return needs;
  const leaf = parseCertificate(leafDer);
  const pck = parsePckExtensions(leaf);
  const ca = leaf.issuer.cn?.includes('Processor') ? 'processor' : 'platform';
  return [
    { kind: 'tcb-info', url: urls.tcbInfo(quote.technology, toHex(pck.fmspc), update), chainHeader: 'TCB-Info-Issuer-Chain' },
    ...needs.slice(0, 1),
    { kind: 'pck-crl', url: urls.pckCrl(quote.technology, ca), chainHeader: 'SGX-PCK-CRL-Issuer-Chain' },
    ...needs.slice(1),
  ];
}

/**
 * The PCK leaf the quote itself carries: type 5 (chain) and type 4 (leaf, PEM or DER). Types 1-3 carry
 * only PPID forms; without the leaf the FMSPC, and so the TCB info to fetch, is unknown.
 */
function quoteLeafDer(qe: QeCertification): Uint8Array | undefined {
  if (qe.innerType !== CERT_DATA_PCK_CHAIN && qe.innerType !== CERT_DATA_PCK_LEAF) return undefined;
  const pem = pckChainPem(qe);
  if (qe.innerType === CERT_DATA_PCK_LEAF && !looksLikePem(pem)) return qe.certData;
  return pemBlocks(pem, 'CERT_CHAIN_INVALID')[0]?.der;
}
