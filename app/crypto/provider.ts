/**
 * The crypto the core needs, injected so that the core stays pure and two implementations
 * (WebCrypto and @noble/curves) can be checked against each other.
 */
export type EcCurve = 'P-256' | 'P-384';
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface EcdsaVerifyInput {
  curve: EcCurve;
  hash: HashName;
  /** Uncompressed SEC1 point: 0x04 || X || Y. */
  publicKey: Uint8Array;
  /** Raw big-endian r || s, each exactly the curve's field size (32 or 48 bytes). */
  signature: Uint8Array;
  message: Uint8Array;
}

export interface RsaPssVerifyInput {
  hash: HashName;
  /** DER SubjectPublicKeyInfo of the RSA key. */
  spki: Uint8Array;
  saltLength: number;
  signature: Uint8Array;
  message: Uint8Array;
}

export interface RsaPkcs1VerifyInput {
  hash: HashName;
  /** DER SubjectPublicKeyInfo of the RSA key. */
  spki: Uint8Array;
  signature: Uint8Array;
  message: Uint8Array;
}

/**
 * Optional methods are algorithms a provider may lack; the PKI reports a missing one as
 * 'provider-lacks-algorithm', never as a wrong signature.
 */
export interface CryptoProvider {
  readonly name: string;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  /**
   * The same digest, synchronously: event-log replay hashes thousands of short inputs, where a promise per
   * hash costs more than the hash. Providers without it are used through digest().
   */
  digestSync?(hash: HashName, data: Uint8Array): Uint8Array;
  /** Resolves false for a signature that does not verify; never throws for bad signature bytes. */
  verifyEcdsa(input: EcdsaVerifyInput): Promise<boolean>;
  /** RSASSA-PSS (RFC 8017 8.1) with MGF1 over `hash`. */
  verifyRsaPss?(input: RsaPssVerifyInput): Promise<boolean>;
  /** RSASSA-PKCS1-v1_5 (RFC 8017 8.2). */
  verifyRsaPkcs1?(input: RsaPkcs1VerifyInput): Promise<boolean>;
}

export const CURVE_FIELD_BYTES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48 };
