import type { ErrorCode } from '../../errors.js';
import type { CryptoProvider } from '../../crypto/provider.js';
import type { Certificate } from '../../pki/x509.js';
import { toHex } from '../../bytes/hex.js';

/** Why a signed collateral document does not verify (undefined: it does). */
export interface Problem {
  code: ErrorCode;
  message: string;
}

const LIMIT = 512;

/**
 * Verdicts on collateral signatures, per verifier. A verdict depends on the signed bytes, the
 * signature AND the signer chain it was checked with, so all three make the key: keyed by the
 * parsed item alone, a verdict computed without the chain (a bare PCS body) would stick when the
 * chain is supplied later. Bounded: a long-running fleet sees new collateral every TCB recovery.
 */
export class SignatureCache {
  private readonly entries = new Map<string, Promise<Problem | undefined>>();

  constructor(private readonly crypto: CryptoProvider) {}

  async get(signed: Uint8Array, signature: Uint8Array, chain: readonly Certificate[], compute: () => Promise<Problem | undefined>): Promise<Problem | undefined> {
    const key = await this.key(signed, signature, chain);
    const hit = this.entries.get(key);
    if (hit) return hit;
    const result = compute();
    if (this.entries.size >= LIMIT) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, result);
    return result;
  }

  /** SHA-256 over length-prefixed parts, so no two different (document, signature, chain) triples share a key. */
  private async key(signed: Uint8Array, signature: Uint8Array, chain: readonly Certificate[]): Promise<string> {
    const parts = [signed, signature, ...chain.map((c) => c.der)];
    const total = parts.reduce((n, p) => n + 4 + p.length, 0);
    const buf = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      new DataView(buf.buffer).setUint32(at, p.length);
      buf.set(p, at + 4);
      at += 4 + p.length;
    }
    return toHex(await this.crypto.digest('SHA-256', buf));
  }
}

const perVerifier = new WeakMap<object, SignatureCache>();

/** The cache of the verifier that owns `memo` (VerifyEnv.memo is created once per verifier). */
export function signatureCacheFor(memo: object, crypto: CryptoProvider): SignatureCache {
  let cache = perVerifier.get(memo);
  if (!cache) perVerifier.set(memo, (cache = new SignatureCache(crypto)));
  return cache;
}
