import type { CryptoProvider } from '../crypto/provider.js';
import type { ErrorCode } from '../errors.js';
import { parseCertificate } from './x509.js';
import type { Certificate, PublicKeyInfo } from './x509.js';
import { parseCrl } from './crl.js';
import type { Crl } from './crl.js';
import { verifySignedBy } from './signature.js';
import type { SignatureOutcome, SignedData } from './signature.js';
import { createParseCaches } from '../cache/parse-caches.js';
import type { ParseCaches } from '../cache/parse-caches.js';

export type SignedObject = SignedData;
export type { SignatureOutcome } from './signature.js';

/**
 * Parsed CA certificates and CRLs by content (in `parsed`, which verifiers may share: parsing is pure,
 * and the same Intel CAs and CRLs recur in every quote), and signature results, which are per instance
 * (per verifier): a new verifier re-verifies everything. Leaf (per-platform) certificates are
 * deliberately not cached, so every quote's own PCK leaf is parsed on every call, as a fleet of
 * distinct machines needs.
 */
export class PkiCache {
  private readonly verified = new WeakMap<object, WeakMap<object, Promise<SignatureOutcome>>>();

  constructor(
    readonly crypto: CryptoProvider,
    readonly parsed: ParseCaches = createParseCaches(),
  ) {}

  cert(der: Uint8Array, code?: ErrorCode): Certificate {
    const hit = this.parsed.certs.get(der);
    if (hit) return hit;
    const cert = parseCertificate(der, code);
    if (cert.basicConstraints?.ca) this.parsed.certs.set(der, cert);
    return cert;
  }

  /**
   * A certificate the code itself knows (Intel's TCB Signing certificates), parsed once per parse cache
   * although it is no CA. Kept apart from cert()'s: a supplied copy of the same DER must stay its own
   * object, so that using it marks the supplied file used.
   */
  known(der: Uint8Array): Certificate {
    const hit = this.parsed.known.get(der);
    if (hit) return hit;
    const cert = parseCertificate(der);
    this.parsed.known.set(der, cert);
    return cert;
  }

  crl(der: Uint8Array, code?: ErrorCode): Crl {
    const hit = this.parsed.crls.get(der);
    if (hit) return hit;
    const crl = parseCrl(der, code);
    this.parsed.crls.set(der, crl);
    return crl;
  }

  /**
   * Verifies `signed` with `key`; the outcome is cached when `cacheable` (CA certificates, CRLs,
   * collateral), except a provider error, which may be transient and is asked again next time.
   */
  verify(signed: SignedObject, key: PublicKeyInfo, cacheable: boolean): Promise<SignatureOutcome> {
    if (!cacheable) return verifySignedBy(this.crypto, signed, key);
    let byKey = this.verified.get(signed);
    if (!byKey) this.verified.set(signed, (byKey = new WeakMap()));
    const hit = byKey.get(key);
    if (hit) return hit;
    const outcome = verifySignedBy(this.crypto, signed, key);
    byKey.set(key, outcome);
    void outcome.then((o) => {
      if (!o.ok && o.reason === 'provider-error') byKey.delete(key);
    });
    return outcome;
  }
}
