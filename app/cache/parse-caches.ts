import type { Certificate } from '../pki/x509.js';
import type { Crl } from '../pki/crl.js';
import type { CollateralSet } from '../collateral/types.js';
import { ContentLru } from './content-lru.js';

/**
 * What a verifier parses once and reuses by content: CA certificates and CRLs (keyed by their DER, exactly)
 * and whole collateral files (keyed by name and content). Parsing is pure, so these
 * may be shared between verifiers (a fleet, the API server) by passing one object to each; verdicts on
 * signatures are never kept here, they stay with each verifier. Bounded: a long-running process sees
 * new collateral with every TCB recovery.
 */
export interface ParseCaches {
  certs: ContentLru<Certificate>;
  crls: ContentLru<Crl>;
  collateralFiles: ContentLru<CollateralSet>;
  /** Certificates built into the code (PkiCache.known), apart from those of the evidence and collateral. */
  known: ContentLru<Certificate>;
}

export interface ParseCacheLimits {
  certs?: number;
  crls?: number;
  collateralFiles?: number;
  known?: number;
}

/** Fresh, empty caches ("cold"): what createVerifier() makes unless it is given some to share. */
export function createParseCaches(limits: ParseCacheLimits = {}): ParseCaches {
  return {
    certs: new ContentLru(limits.certs ?? 2048),
    crls: new ContentLru(limits.crls ?? 2048),
    collateralFiles: new ContentLru(limits.collateralFiles ?? 256),
    known: new ContentLru(limits.known ?? 64),
  };
}
