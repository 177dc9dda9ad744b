import type { Check } from '../../check.js';
import type { CryptoProvider } from '../../crypto/provider.js';
import type { PkiCache } from '../../pki/cache.js';
import type { Certificate } from '../../pki/x509.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { SnpReport } from './report.js';
import type { SnpProduct } from './tcb.js';
import type { VekInfo } from './vek.js';

/** What the SEV-SNP checks share: inputs, caches, and what earlier checks established. */
export interface SnpContext {
  report: SnpReport;
  collateral: CollateralSet;
  at: number;
  nonce?: Uint8Array;
  crypto: CryptoProvider;
  cache: PkiCache;
  /** Pinned AMD ARKs, ASKs and ASVKs. */
  roots: Certificate[];
  /** Known before the VEK from a v3+ report's CPUID or the caller; refined by the VEK. */
  product?: SnpProduct;
  /** Collateral items relied on (VerifyEnv.used): add every certificate, CRL and signed item used. */
  used: Set<object>;
  checks: Check[];
  vek?: VekInfo;
  /** The verified chain, VEK first, ending at the pinned ARK. */
  chain?: Certificate[];
}
