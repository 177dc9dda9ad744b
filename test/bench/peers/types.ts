/** dcap-qvl's QuoteCollateralV3 JSON layout, as in the vector bundles: CRLs and signatures are hex, chains are PEM. */
export interface QuoteCollateralV3 {
  pck_crl_issuer_chain: string;
  root_ca_crl: string;
  pck_crl: string;
  tcb_info_issuer_chain: string;
  tcb_info: string;
  tcb_info_signature: string;
  qe_identity_issuer_chain: string;
  qe_identity: string;
  qe_identity_signature: string;
}

/** What a peer found; peers throw on any rejection. */
export interface PeerResult {
  status: string;
  advisoryIds: string[];
}

export type PeerVerify = (quote: Uint8Array, collateral: QuoteCollateralV3, atSeconds: number) => Promise<PeerResult>;
