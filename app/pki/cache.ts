import { latin1Key } from '../bytes/hex.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { ErrorCode } from '../errors.js';
import { parseCertificate } from './x509.js';
import type { Certificate, PublicKeyInfo } from './x509.js';
import { parseCrl } from './crl.js';
import type { Crl } from './crl.js';
import { verifySignedBy } from './signature.js';
import type { SignatureOutcome, SignedData } from './signature.js';

export type SignedObject = SignedData;
export type { SignatureOutcome } from './signature.js';

const LIMIT = 2048;

/**
 * Parsed CA certificates and CRLs, shared process-wide by content: parsing is pure, and the same
 * Intel CAs and CRLs recur in every quote. Leaf (per-platform) certificates are deliberately not
 * cached, so every quote's own PCK leaf is parsed on every call, as a fleet of distinct machines needs.
 */
const parsedCerts = new Map<string, Certificate>();
const parsedCrls = new Map<string, Crl>();

export function clearParseCaches(): void {
  parsedCerts.clear();
  parsedCrls.clear();
}

/** Signature results are per cache instance (per verifier): a new verifier re-verifies everything. */
export class PkiCache {
  private readonly certs = parsedCerts;
  private readonly crls = parsedCrls;
  private readonly verified = new WeakMap<object, WeakMap<object, Promise<SignatureOutcome>>>();

  constructor(readonly crypto: CryptoProvider) {}

  cert(der: Uint8Array, code?: ErrorCode): Certificate {
    const key = latin1Key(der);
    const hit = this.certs.get(key);
    if (hit) return hit;
    const cert = parseCertificate(der, code);
    if (cert.basicConstraints?.ca) remember(this.certs, key, cert);
    return cert;
  }

  crl(der: Uint8Array, code?: ErrorCode): Crl {
    const key = latin1Key(der);
    const hit = this.crls.get(key);
    if (hit) return hit;
    const crl = parseCrl(der, code);
    remember(this.crls, key, crl);
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

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= LIMIT) map.clear();
  map.set(key, value);
}
