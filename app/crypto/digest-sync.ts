import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CryptoProvider, HashName } from './provider.js';

const NOBLE: Record<HashName, (data: Uint8Array) => Uint8Array> = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 };

/** A synchronous digest: the provider's own when it has one (node:crypto), else @noble/hashes (WebCrypto has none). */
export function digestSync(crypto: CryptoProvider, hash: HashName, data: Uint8Array): Uint8Array {
  return crypto.digestSync ? crypto.digestSync(hash, data) : NOBLE[hash](data);
}
