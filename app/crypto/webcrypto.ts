import type { CryptoProvider, EcdsaVerifyInput, HashName, RsaPkcs1VerifyInput, RsaPssVerifyInput } from './provider.js';
import { CURVE_FIELD_BYTES } from './provider.js';
import { latin1Key } from '../bytes/hex.js';

/** The subset of WebCrypto's SubtleCrypto we use; typed here so app/ needs no DOM or Node types. */
export interface SubtleLike {
  importKey(format: 'raw' | 'spki', key: Uint8Array, algorithm: object, extractable: boolean, usages: string[]): Promise<unknown>;
  verify(algorithm: object, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

const KEY_CACHE_LIMIT = 4096;

/**
 * WebCrypto provider (Node and browsers). Imported keys are cached by their bytes: importing costs
 * about as much as a verification, and the same PCK CA and TCB signing keys recur on every quote.
 */
export function webCryptoProvider(subtle: SubtleLike = defaultSubtle()): CryptoProvider {
  const keys = new Map<string, Promise<unknown>>();

  function importEc(curve: string, point: Uint8Array): Promise<unknown> {
    return cached(keys, `${curve}:${latin1Key(point)}`, () => subtle.importKey('raw', point, { name: 'ECDSA', namedCurve: curve }, false, ['verify']));
  }

  /** An RSA key is imported per scheme and hash (WebCrypto binds both to the key object). */
  async function verifyRsa(scheme: string, input: RsaPkcs1VerifyInput, params: object): Promise<boolean> {
    try {
      const key = await cached(keys, `${scheme}:${input.hash}:${latin1Key(input.spki)}`, () =>
        subtle.importKey('spki', input.spki, { name: scheme, hash: input.hash }, false, ['verify']),
      );
      return await subtle.verify(params, key, input.signature, input.message);
    } catch {
      return false; // a key or signature WebCrypto cannot read is a failed verification
    }
  }

  return {
    name: 'webcrypto',
    async digest(hash: HashName, data: Uint8Array) {
      return new Uint8Array(await subtle.digest(hash, data));
    },
    async verifyEcdsa(input: EcdsaVerifyInput) {
      const size = CURVE_FIELD_BYTES[input.curve];
      if (input.signature.length !== 2 * size || input.publicKey.length !== 2 * size + 1) return false;
      try {
        const key = await importEc(input.curve, input.publicKey);
        return await subtle.verify({ name: 'ECDSA', hash: input.hash }, key, input.signature, input.message);
      } catch {
        return false; // an invalid point or signature encoding is a failed verification, not a crash
      }
    },
    verifyRsaPss(input: RsaPssVerifyInput) {
      return verifyRsa('RSA-PSS', input, { name: 'RSA-PSS', saltLength: input.saltLength });
    },
    verifyRsaPkcs1(input: RsaPkcs1VerifyInput) {
      return verifyRsa('RSASSA-PKCS1-v1_5', input, { name: 'RSASSA-PKCS1-v1_5' });
    },
  };
}

function cached(map: Map<string, Promise<unknown>>, key: string, make: () => Promise<unknown>): Promise<unknown> {
  let hit = map.get(key);
  if (!hit) {
    if (map.size >= KEY_CACHE_LIMIT) map.clear();
    hit = make();
    hit.catch(() => map.delete(key));
    map.set(key, hit);
  }
  return hit;
}

function defaultSubtle(): SubtleLike {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  return subtle;
}
