import type { Certificate } from '../pki/x509.js';
import type { ErrorCode } from '../errors.js';
import type { Crl } from '../pki/crl.js';

/** A file as the user or a fetcher supplied it. */
export interface CollateralFile {
  name: string;
  bytes: Uint8Array;
}

/** A vendor-signed JSON document: the exact signed bytes, its raw r||s signature and the issuer chain that came with it. */
export interface SignedJson<T> {
  body: T;
  signed: Uint8Array;
  signature: Uint8Array;
  chain: Certificate[];
  source: string;
}

/**
 * A signed collateral document as the generic code sees it: the module that recognised it names its kind
 * (Intel's "tcb-info", "qe-identity") and says what the timeline shows; the body is the module's own type.
 */
export interface SignedDocument<T = unknown> extends SignedJson<T> {
  kind: string;
  /** What the timeline calls it ("TDX TCB info, FMSPC b0c06f000000"). */
  label: string;
  /** Who signs this kind when the chain did not come with it (Intel's "Intel SGX TCB Signing"). */
  signer: string;
  issued: number;
  nextUpdate: number;
  tcbEvaluationDataNumber?: number;
}

/** Everything parsed from the collateral files, parsed once and reusable across many verifications. */
export interface CollateralSet {
  /** Signed documents (Intel's TCB infos and QE identities), each tagged with its kind by its module. */
  documents: SignedDocument[];
  /** `role`: what a DCAP bundle declared the CRL to be (pck_crl, root_ca_crl); absent for a loose CRL file. */
  crls: { crl: Crl; source: string; role?: 'pck-crl' | 'root-ca-crl' }[];
  /** Loose certificates (issuer chains, vendor certificates), searched by subject when building chains. */
  certs: Certificate[];
  /** What each input file was recognised as, for the report. */
  sources: CollateralSource[];
}

/** One supplied file as the loader saw it. */
export interface CollateralSource {
  name: string;
  kinds: string[];
  /** The file's bytes, for its digest in result.inputs. */
  bytes?: Uint8Array;
  /** The parsed items it contributed: a file none of whose items a verification used is `unused`. */
  items?: readonly object[];
  /** `ignored`: not collateral; `broken`: looked like collateral but did not parse. Absent: loaded. */
  status?: 'ignored' | 'broken';
  code?: ErrorCode;
  note?: string;
}

export function emptyCollateral(): CollateralSet {
  return { documents: [], crls: [], certs: [], sources: [] };
}

/** A new set holding both sets' items; neither input is changed (parsed sets are shared and cached). */
export function mergeCollateral(a: CollateralSet, b: CollateralSet): CollateralSet {
  return {
    documents: [...a.documents, ...b.documents],
    crls: [...a.crls, ...b.crls],
    certs: [...a.certs, ...b.certs],
    sources: [...a.sources, ...b.sources],
  };
}
