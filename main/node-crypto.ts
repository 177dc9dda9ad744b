import * as nodeCrypto from 'node:crypto';
import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CryptoProvider, EcdsaVerifyInput, HashName, RsaPkcs1VerifyInput, RsaPssVerifyInput } from '../app/crypto/provider.js';
import { CURVE_FIELD_BYTES } from '../app/crypto/provider.js';
import { latin1Key } from '../app/bytes/hex.js';

const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const KEY_LIMIT = 4096;
/** Keys are imported from JWK: measured cheaper than DER SubjectPublicKeyInfo through OpenSSL 3's decoders. */
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/**
 * node:crypto provider for the CLI and the main process: synchronous OpenSSL calls without
 * WebCrypto's promise and key-import overhead. Imported public keys are shared process-wide by their
 * bytes (an import costs as much as a verification); every verification itself always runs.
 */
const keys = new Map<string, KeyObject>();
/** crypto.hash, where this Node has it (20.12 and later; Electron's Node 22 does). */
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;

export function clearKeyCache(): void {
  keys.clear();
}

export function nodeCryptoProvider(): CryptoProvider {
  const key = (id: string, make: () => KeyObject) => {
    let k = keys.get(id);
    if (!k) {
      if (keys.size >= KEY_LIMIT) keys.clear();
      keys.set(id, (k = make()));
    }
    return k;
  };

  return {
    name: 'node:crypto',
    async digest(hash, data) {
      return new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
    },
    digestSync(hash, data) {
      // One-shot hash (Node 20.12+): no Hash object per call; a view of the result, not a copy.
      const out = oneShot ? oneShot(NODE_HASH[hash], data, 'buffer') : createHash(NODE_HASH[hash]).update(data).digest();
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
    async verifyEcdsa(input: EcdsaVerifyInput) {
      const size = CURVE_FIELD_BYTES[input.curve];
      const p = input.publicKey;
      if (input.signature.length !== 2 * size || p.length !== 2 * size + 1 || p[0] !== 4) return false;
      try {
        const k = key(`${input.curve}:${latin1Key(p)}`, () =>
          createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: input.curve, x: b64url(p.subarray(1, 1 + size)), y: b64url(p.subarray(1 + size)) } }),
        );
        return verify(NODE_HASH[input.hash], input.message, { key: k, dsaEncoding: 'ieee-p1363' }, input.signature);
      } catch {
        return false;
      }
    },
    async verifyRsaPss(input: RsaPssVerifyInput) {
      try {
        const k = key(`rsa:${latin1Key(input.spki)}`, () => createPublicKey({ format: 'der', type: 'spki', key: Buffer.from(input.spki) }));
        return verify(
          NODE_HASH[input.hash],
          input.message,
          { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: input.saltLength },
          input.signature,
        );
      } catch {
        return false;
      }
    },
    // RSASSA-PKCS1-v1_5 (RFC 8017 8.2): TPM attestation keys and Azure's vTPM sign with it.
    async verifyRsaPkcs1(input: RsaPkcs1VerifyInput) {
      try {
        const k = key(`rsa:${latin1Key(input.spki)}`, () => createPublicKey({ format: 'der', type: 'spki', key: Buffer.from(input.spki) }));
        return verify(NODE_HASH[input.hash], input.message, { key: k, padding: constants.RSA_PKCS1_PADDING }, input.signature);
      } catch {
        return false;
      }
    },
  };
}

/** node:crypto's incremental SHA-384, for the MRTD's stream of records and pages (several times @noble/hashes' speed). */
export function nodeSha384Stream(): { update(data: Uint8Array): unknown; digest(): Uint8Array } {
  const h = createHash('sha384');
  return { update: (b) => h.update(b), digest: () => new Uint8Array(h.digest()) };
}
