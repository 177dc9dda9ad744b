import type { PkiCache } from '../pki/cache.js';

/** A slot of per-verifier module state: its name (for debugging) and how the first use creates it (with the verifier's cache). */
export interface StateKey<T> {
  readonly name: string;
  create(cache: PkiCache): T;
}

/**
 * State a module keeps for one verifier (collateral signature verdicts, parsed constant certificates),
 * so that app/ holds no module-level state: created by createVerifier and dropped with it. Slots are
 * keyed by their StateKey object, so two modules can never collide and each slot keeps its type.
 */
export class ModuleState {
  private readonly slots = new Map<StateKey<unknown>, unknown>();

  constructor(private readonly cache: PkiCache) {}

  get<T>(key: StateKey<T>): T {
    if (!this.slots.has(key)) this.slots.set(key, key.create(this.cache));
    return this.slots.get(key) as T;
  }
}
