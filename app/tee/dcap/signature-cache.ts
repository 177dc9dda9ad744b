import type { ErrorCode } from '../../errors.js';
import { Lru } from '../../cache/lru.js';
import type { StateKey } from '../state.js';
import type { Certificate } from '../../pki/x509.js';

/** Why a signed collateral document does not verify (undefined: it does). */
export interface Problem {
  code: ErrorCode;
  message: string;
}

/**
 * Verdicts on collateral signatures, per verifier. A verdict depends on the signed bytes, the
 * signature AND the signer chain it was checked with, so all three make the key: keyed by the
 * parsed item alone, a verdict computed without the chain (a bare PCS body) would stick when the
 * chain is supplied later. The parts are immutable parsed objects (one per distinct file and DER
 * in the caches), so each is keyed by identity: a number given once and never reused, which costs
 * nothing on the hot path where hashing the 10 KB document on every verification did. Bounded (least
 * recently used first out): a long-running fleet sees new collateral every TCB recovery.
 */
export class SignatureCache {
  private readonly entries: Lru<string, Promise<Problem | undefined>>;
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  constructor(limit = 512) {
    this.entries = new Lru(limit);
  }

  async get(
    signed: Uint8Array,
    signature: Uint8Array,
    chain: readonly Certificate[],
    compute: () => Promise<Problem | undefined>,
  ): Promise<Problem | undefined> {
    const key = [signed, signature, ...chain].map((part) => this.id(part)).join(':');
    const hit = this.entries.get(key);
    if (hit) return hit;
    const result = compute();
    this.entries.set(key, result);
    return result;
  }

  private id(part: object): number {
    let id = this.ids.get(part);
    if (id === undefined) this.ids.set(part, (id = this.nextId++));
    return id;
  }
}

/** The verifier's cache of collateral signature verdicts (VerifyEnv.state: one per verifier). */
export const COLLATERAL_SIGNATURES: StateKey<SignatureCache> = { name: 'dcap.collateral-signatures', create: () => new SignatureCache() };
