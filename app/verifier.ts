import type { CryptoProvider } from './crypto/provider.js';
import { webCryptoProvider } from './crypto/webcrypto.js';
import { toTeeError } from './errors.js';
import type { TeeError } from './errors.js';
import { toHex } from './bytes/hex.js';
import { PkiCache } from './pki/cache.js';
import { defaultRoots } from './roots/store.js';
import type { RootStore } from './roots/store.js';
import { loadCollateral } from './collateral/load.js';
import type { CollateralFile, CollateralSet } from './collateral/types.js';
import { emptyCollateral, mergeCollateral } from './collateral/types.js';
import { decodeEvidence } from './evidence/decode.js';
import type { VerifyEnv } from './tee/module.js';
import { judge, RESULT_SCHEMA } from './report/result.js';
import type { VerificationResult } from './report/result.js';
import { iso } from './pki/chain.js';
import { fail } from './check.js';
import { appraiseReference } from './appraisal/appraise.js';
import type { ReferenceValues } from './appraisal/reference.js';
import type { ModuleResult } from './tee/module.js';

export interface VerifierOptions {
  crypto?: CryptoProvider;
  roots?: RootStore;
}

export interface VerifyOptions {
  /** The verification time. Required: the core never reads the clock. */
  at: Date | number;
  /** Up to 64 bytes that must lead REPORT_DATA. */
  nonce?: Uint8Array;
  /** AMD product (Milan, Genoa, Turin) for SEV-SNP reports that do not name it (v2). */
  product?: string;
  /** Reference values (parseReferenceValues): appraised after the module's checks, before the verdict. */
  reference?: ReferenceValues;
}

export interface Verifier {
  loadCollateral(files: readonly CollateralFile[]): CollateralSet;
  verify(evidence: Uint8Array, collateral: CollateralSet | readonly CollateralFile[], options: VerifyOptions): Promise<VerificationResult>;
}

/**
 * The whole pipeline behind one object. A verifier keeps caches of CA certificates, CRLs and
 * collateral signatures, so verifying a fleet against the same collateral checks each once;
 * create a new verifier to start cold.
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const crypto = options.crypto ?? webCryptoProvider();
  const cache = new PkiCache(crypto);
  const store = options.roots ?? defaultRoots();
  const roots = { intel: store.intel.map((der) => cache.cert(der)), amd: (store.amd ?? []).map((der) => cache.cert(der)) };
  const memo = new WeakMap<object, Promise<unknown>>();

  const loadFiles = (files: readonly CollateralFile[]) => loadCollateral(files, cache);

  async function verify(evidence: Uint8Array, collateral: CollateralSet | readonly CollateralFile[], opts: VerifyOptions): Promise<VerificationResult> {
    const at = typeof opts.at === 'number' ? opts.at : opts.at.getTime();
    const digest = toHex(await crypto.digest('SHA-256', evidence));
    const base = { schema: RESULT_SCHEMA, evidence: { sha256: digest, bytes: evidence.length }, at: iso(at) } as const;
    let set: CollateralSet;
    try {
      set = Array.isArray(collateral) ? loadFiles(collateral as CollateralFile[]) : (collateral as CollateralSet);
    } catch (e) {
      return failure(base, toTeeError(e, 'MALFORMED_COLLATERAL'), emptyCollateral());
    }
    try {
      const decoded = decodeEvidence(evidence);
      if (decoded.certs?.length) set = mergeCollateral(set, loadFiles(decoded.certs));
      const env: VerifyEnv = { at, crypto, cache, roots, memo, used: new Set<object>(), ...(opts.nonce ? { nonce: opts.nonce } : {}), ...(opts.product ? { product: opts.product } : {}) };
      const r = await decoded.module.verify(decoded.bytes, set, env);
      const appraised = opts.reference ? appraise(r, opts.reference) : undefined;
      const checks = appraised?.checks ?? r.checks;
      const judged = judge(checks, r.cryptoChecks, r.tcb?.status);
      return {
        ...base,
        evidence: { ...base.evidence, encoding: decoded.encoding },
        technology: r.technology,
        format: r.format,
        tcb: r.tcb ?? null,
        claims: r.claims,
        checks,
        fields: r.fields,
        collateral: set.sources,
        ...judged,
        ...(appraised ? { appraisal: { ...judged.appraisal, diffs: appraised.diffs, reference: appraised.reference } } : {}),
      };
    } catch (e) {
      return failure(base, toTeeError(e), set);
    }
  }

  return { loadCollateral: loadFiles, verify };
}

function appraise(r: ModuleResult, reference: ReferenceValues) {
  return appraiseReference({ technology: r.technology, format: r.format, claims: r.claims, tcb: r.tcb ?? null, checks: r.checks }, reference);
}

function failure(base: Pick<VerificationResult, 'schema' | 'evidence' | 'at'>, err: TeeError, set: CollateralSet): VerificationResult {
  const check = fail('input.parse', 'Input can be read', err.message, err.code, err.code === 'MALFORMED_COLLATERAL' ? 'Check that each --collateral file is Intel PCS/PCCS collateral or a certificate/CRL.' : 'Check that the file is a complete quote or report; re-export it from the platform.');
  return {
    ...base,
    technology: 'unknown',
    format: 'unknown',
    verdict: 'rejected',
    cryptoValid: false,
    tcb: null,
    appraisal: { tier: 'none', diffs: [] },
    claims: {},
    checks: [check],
    errors: [{ code: err.code, message: err.message, check: check.id }],
    fields: {},
    collateral: set.sources,
  };
}
