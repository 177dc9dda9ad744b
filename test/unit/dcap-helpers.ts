/**
 * Shared by the test/unit/dcap-*.test.ts files of issue 9: real vectors recast as Intel PCS would serve
 * them (bare bodies, DER CRLs, URL-encoded issuer-chain headers), and a direct run of the DCAP module
 * that exposes VerifyEnv.used, which createVerifier keeps to itself.
 */
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { PkiCache } from '../../app/pki/cache.js';
import { loadCollateral } from '../../app/collateral/load.js';
import type { CollateralFile, CollateralSet } from '../../app/collateral/types.js';
import { dcapModule } from '../../app/tee/dcap/module.js';
import { verifyDcap, DCAP_CRYPTO_CHECKS } from '../../app/tee/dcap/verify.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { SignatureCache } from '../../app/tee/dcap/signature-cache.js';
import { ModuleState } from '../../app/tee/state.js';
import type { DcapContext } from '../../app/tee/dcap/context.js';
import { INTEL_SGX_ROOT_CA_DER } from '../../app/roots/intel.js';
import type { ModuleResult } from '../../app/tee/module.js';
import type { Certificate } from '../../app/pki/x509.js';
import { manifest, vectorBytes } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';

export const utf8 = (s: string): CollateralFile['bytes'] => new TextEncoder().encode(s);
export const file = (name: string, text: string | Uint8Array): CollateralFile => ({ name, bytes: typeof text === 'string' ? utf8(text) : text });

export function vector(id: string): VectorEntry {
  const v = manifest().vectors.find((x) => x.id === id);
  if (!v) throw new Error(`no vector ${id}`);
  return v;
}

export type Bundle = Record<string, string>;

export function bundleOf(v: VectorEntry): Bundle {
  return JSON.parse(new TextDecoder().decode(vectorBytes(v.collateral!))) as Bundle;
}

/** The PCS responses a bundle was made from: bodies exactly as PCS sends them, without their issuer-chain headers; CRLs as DER. */
export function pcsBodies(b: Bundle): CollateralFile[] {
  return [
    file('tcbinfo.json', `{"tcbInfo":${b.tcb_info},"signature":"${b.tcb_info_signature}"}`),
    file('qe-identity.json', `{"enclaveIdentity":${b.qe_identity},"signature":"${b.qe_identity_signature}"}`),
    file('pckcrl.der', Buffer.from(b.pck_crl!, 'hex')),
    file('rootcacrl.der', Buffer.from(b.root_ca_crl!, 'hex')),
  ];
}

export interface Run {
  result: ModuleResult;
  used: Set<object>;
  set: CollateralSet;
  verdict: 'verified' | 'rejected';
  cryptoValid: boolean;
}

/** One verifier's worth of state: reuse it across runs to exercise its caches. */
export function session(rootDers: Uint8Array[] = [INTEL_SGX_ROOT_CA_DER]) {
  const crypto = webCryptoProvider();
  const cache = new PkiCache(crypto);
  const roots = { intel: rootDers.map((d) => cache.cert(d)), amd: [] as Certificate[], tpm: [] as Certificate[] };
  const state = new ModuleState(cache);
  return {
    cache,
    load: (files: readonly CollateralFile[]) => loadCollateral(files, cache),
    async run(quote: Uint8Array, files: readonly CollateralFile[] | CollateralSet, at: string | Date): Promise<Run> {
      const set = Array.isArray(files) ? loadCollateral(files as CollateralFile[], cache) : (files as CollateralSet);
      const used = new Set<object>();
      const result = await dcapModule.verify({ primary: quote, parts: [] }, set, { at: new Date(at).getTime(), crypto, cache, roots, state, used });
      // The verdict rules of DESIGN.md, restated so these tests do not depend on the report module.
      const verdict = result.checks.some((c) => c.status === 'fail') ? 'rejected' : 'verified';
      const cryptoValid = result.catalogue
        .filter((s) => s.crypto)
        .every(({ id }) => result.checks.filter((c) => c.id === id).every((c) => c.status === 'pass') && result.checks.some((c) => c.id === id));
      return { result, used, set, verdict, cryptoValid };
    },
  };
}

/**
 * A DcapContext built by hand, for the one thing the module does not let a test choose: which known
 * TCB Signing certificates stand in for a bare body's missing issuer chain.
 */
export function dcapContext(quote: Uint8Array, files: readonly CollateralFile[], at: Date, rootDer: Uint8Array, tcbSignerDers: Uint8Array[]): DcapContext {
  const crypto = webCryptoProvider();
  const cache = new PkiCache(crypto);
  return {
    quote: parseQuote(quote),
    collateral: loadCollateral(files, cache),
    at: at.getTime(),
    crypto,
    cache,
    roots: [cache.cert(rootDer)],
    tcbSigners: tcbSignerDers.map((d) => cache.cert(d)),
    collateralSignatures: new SignatureCache(),
    used: new Set(),
    checks: [],
  };
}

export { verifyDcap, DCAP_CRYPTO_CHECKS };

export function check(r: { checks: ModuleResult['checks'] } | ModuleResult, id: string) {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.checks.map((x) => x.id).join(', ')}`);
  return c;
}

export function failing(r: ModuleResult): string[] {
  return r.checks
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.id}:${c.code}`)
    .sort();
}
