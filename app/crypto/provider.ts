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

export interface CryptoProvider {
  readonly name: string;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  /** Resolves false for a signature that does not verify; never throws for bad signature bytes. */
  verifyEcdsa(input: EcdsaVerifyInput): Promise<boolean>;
  verifyRsaPss?(input: RsaPssVerifyInput): Promise<boolean>;
}

export const CURVE_FIELD_BYTES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48 };
