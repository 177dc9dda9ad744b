import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CryptoProvider, EcdsaVerifyInput, HashName } from './provider.js';
import { CURVE_FIELD_BYTES } from './provider.js';

const HASHES: Record<HashName, (m: Uint8Array) => Uint8Array> = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 };

/**
 * Pure-JavaScript provider on @noble/curves: the second implementation for differential tests and
 * for runtimes without WebCrypto. About 30x slower than WebCrypto for P-256, so not the default.
 * Intel and AMD do not normalise signatures to low S, hence lowS: false.
 */
export function nobleProvider(): CryptoProvider {
  return {
    name: 'noble',
    async digest(hash, data) {
      return HASHES[hash](data);
    },
    async verifyEcdsa(input: EcdsaVerifyInput) {
      const curve = input.curve === 'P-256' ? p256 : p384;
      if (input.signature.length !== 2 * CURVE_FIELD_BYTES[input.curve]) return false;
      try {
        return curve.verify(input.signature, HASHES[input.hash](input.message), input.publicKey, { prehash: false, lowS: false });
      } catch {
        return false;
      }
    },
  };
}
