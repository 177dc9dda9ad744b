import type { Check } from '../check.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { PkiCache } from '../pki/cache.js';
import type { Certificate } from '../pki/x509.js';
import type { CollateralSet } from '../collateral/types.js';

/** What every technology module gets: the verification time, crypto, caches and pinned roots. */
export interface VerifyEnv {
  at: number;
  nonce?: Uint8Array;
  /** The user's choice of AMD product (Milan, Genoa, Turin) where the evidence does not say. */
  product?: string;
  crypto: CryptoProvider;
  cache: PkiCache;
  roots: { intel: Certificate[]; amd: Certificate[] };
  /** Per-verifier memo for results that depend only on immutable parsed inputs. */
  memo: WeakMap<object, Promise<unknown>>;
  /**
   * Collateral items (Certificate, Crl, SignedJson objects from the CollateralSet) this verification
   * actually relied on. Modules add each item they use, so that a supplied file nothing used is
   * reported as `unused` in result.inputs.
   */
  used: Set<object>;
}

export interface TcbReport {
  status: string;
  advisories: string[];
  date?: string;
  [detail: string]: unknown;
}

export interface ModuleResult {
  technology: string;
  format: string;
  checks: Check[];
  /** Check ids that establish `cryptoValid` (every signature and chain in the evidence). */
  cryptoChecks: string[];
  claims: Record<string, unknown>;
  /** Every decoded field, for display. */
  fields: Record<string, unknown>;
  tcb?: TcbReport;
}

/** One technology behind one interface: detect its bytes, then parse and verify them against collateral. */
export interface TeeModule {
  id: string;
  /** Cheap structural sniff; true means "this module should parse it", not "it is valid". */
  detect(bytes: Uint8Array): boolean;
  /**
   * For detected bytes that carry more than the evidence (an SEV-SNP report with its certificate table
   * appended): the evidence proper and the collateral that travelled with it. Undefined: use the bytes as they are.
   */
  unwrap?(bytes: Uint8Array): { bytes: Uint8Array; collateral: { name: string; bytes: Uint8Array }[] } | undefined;
  /** Throws ParseError (MALFORMED_EVIDENCE) when the bytes do not parse. */
  verify(bytes: Uint8Array, collateral: CollateralSet, env: VerifyEnv): Promise<ModuleResult>;
}
