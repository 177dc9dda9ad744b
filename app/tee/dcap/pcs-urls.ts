/**
 * Intel PCS v4 URL builders (Intel SGX and TDX DCAP "Provisioning Certification Service API v4").
 * Pure: the fetchers in main/ use the same builders, so the COLLATERAL_MISSING message names
 * exactly what would be fetched. A PCCS exposes the same paths under its own base URL.
 */
export const INTEL_PCS_BASE = 'https://api.trustedservices.intel.com';
export const INTEL_ROOT_CA_CRL_URL = 'https://certificates.trustedservices.intel.com/IntelSGXRootCA.der';

export type PcsTech = 'sgx' | 'tdx';
export type PckCa = 'platform' | 'processor';
/** PCS v4 `update`: "standard" collateral, or "early" (the next TCB recovery's collateral, published ahead). */
export type TcbUpdate = 'standard' | 'early';

export function makePcsUrls(base = INTEL_PCS_BASE) {
  const root = base.replace(/\/+$/, '');
  return {
    tcbInfo: (tech: PcsTech, fmspcHex: string, update: TcbUpdate = 'standard') =>
      `${root}/${tech}/certification/v4/tcb?fmspc=${fmspcHex}${update === 'early' ? '&update=early' : ''}`,
    qeIdentity: (tech: PcsTech, update: TcbUpdate = 'standard') => `${root}/${tech}/certification/v4/qe/identity${update === 'early' ? '?update=early' : ''}`,
    // PCK CRLs are served under /sgx/ for TDX platforms too.
    pckCrl: (_tech: PcsTech, ca: PckCa) => `${root}/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der`,
    rootCaCrl: () => (base === INTEL_PCS_BASE ? INTEL_ROOT_CA_CRL_URL : `${root}/sgx/certification/v4/rootcacrl`),
  };
}

export const pcsUrls = makePcsUrls();
