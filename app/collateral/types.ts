import type { Certificate } from '../pki/x509.js';
import type { Crl } from '../pki/crl.js';
import type { TcbInfo } from '../tee/dcap/tcb-info.js';
import type { QeIdentity } from '../tee/dcap/qe-identity.js';

/** A file as the user or a fetcher supplied it. */
export interface CollateralFile {
  name: string;
  bytes: Uint8Array;
}

/** An Intel-signed JSON document: the exact signed bytes, its raw r||s signature and the issuer chain that came with it. */
export interface SignedJson<T> {
  body: T;
  signed: Uint8Array;
  signature: Uint8Array;
  chain: Certificate[];
  source: string;
}

/** Everything parsed from the collateral files, parsed once and reusable across many verifications. */
export interface CollateralSet {
  tcbInfos: SignedJson<TcbInfo>[];
  qeIdentities: SignedJson<QeIdentity>[];
  crls: { crl: Crl; source: string }[];
  /** Loose certificates (issuer chains, vendor certificates), searched by subject when building chains. */
  certs: Certificate[];
  /** What each input file was recognised as, for the report. */
  sources: { name: string; kinds: string[] }[];
}

export function emptyCollateral(): CollateralSet {
  return { tcbInfos: [], qeIdentities: [], crls: [], certs: [], sources: [] };
}

/** A new set holding both sets' items; neither input is changed (parsed sets are shared and cached). */
export function mergeCollateral(a: CollateralSet, b: CollateralSet): CollateralSet {
  return {
    tcbInfos: [...a.tcbInfos, ...b.tcbInfos],
    qeIdentities: [...a.qeIdentities, ...b.qeIdentities],
    crls: [...a.crls, ...b.crls],
    certs: [...a.certs, ...b.certs],
    sources: [...a.sources, ...b.sources],
  };
}
