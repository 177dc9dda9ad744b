import type { Check } from '../../check.js';
import type { CryptoProvider } from '../../crypto/provider.js';
import type { PkiCache } from '../../pki/cache.js';
import type { Certificate } from '../../pki/x509.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { SignatureCache } from './signature-cache.js';
import type { Quote } from './quote.js';
import type { PckExtensions } from './pck-extensions.js';

/** What the DCAP checks share: inputs, caches, and what earlier checks established. */
export interface DcapContext {
  quote: Quote;
  collateral: CollateralSet;
  at: number;
  nonce?: Uint8Array;
  crypto: CryptoProvider;
  cache: PkiCache;
  /** Parsed pinned Intel roots. */
  roots: Certificate[];
  /** Known "Intel SGX TCB Signing" certificates (app/roots/intel.ts), for bare PCS bodies; never anchors. */
  tcbSigners: Certificate[];
  /** Cached verdicts on collateral signatures, keyed by the signed bytes, the signature and the signer chain. */
  collateralSignatures: SignatureCache;
  /** Collateral items relied on (VerifyEnv.used): add every certificate, CRL and signed item used. */
  used: Set<object>;
  checks: Check[];
  /** The certificates the quote carries, once parsed. */
  pckCerts?: Certificate[];
  /** Set by the PCK step when the chain verified to the pinned root. */
  pckChain?: Certificate[];
  pck?: PckExtensions;
  /** The QE's TCB level, once matched (reported even when the platform level is not found). */
  qeTcb?: { status: string; isvSvn: number; tcbDate: string };
  /** The QE identity was present and authentic but no level matched the QE's ISVSVN. */
  qeTcbUnmatched?: boolean;
}
