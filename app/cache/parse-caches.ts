import type { Certificate } from '../pki/x509.js';
import type { Crl } from '../pki/crl.js';
import type { CollateralSet } from '../collateral/types.js';
import { Lru } from './lru.js';

/**
 * What a verifier parses once and reuses by content: CA certificates and CRLs (keyed by their DER as
 * a latin1 string) and whole collateral files (keyed by name and content). Parsing is pure, so these
 * may be shared between verifiers (a fleet, the API server) by passing one object to each; verdicts on
 * signatures are never kept here, they stay with each verifier. Bounded: a long-running process sees
 * new collateral with every TCB recovery.
 */
export interface ParseCaches {
  certs: Lru<string, Certificate>;
  crls: Lru<string, Crl>;
  collateralFiles: Lru<string, CollateralSet>;
  /** Certificates built into the code (PkiCache.known), apart from those of the evidence and collateral. */
  known: Lru<string, Certificate>;
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
    certs: new Lru(limits.certs ?? 2048),
    crls: new Lru(limits.crls ?? 2048),
    collateralFiles: new Lru(limits.collateralFiles ?? 256),
    known: new Lru(limits.known ?? 64),
  };
}
