/**
 * Deterministic preference among several collateral items of one kind, so that the order in which
 * files were given never decides a verdict: rank keys compared first (higher is better), then the
 * encoding as a last, arbitrary but fixed, tie-break.
 */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** `items` best first by `rank`, ties broken by `bytes`. */
export function preferred<T>(items: readonly T[], rank: (t: T) => number[], bytes: (t: T) => Uint8Array): T[] {
  return [...items].sort((x, y) => compareRanks(rank(y), rank(x)) || compareBytes(bytes(x), bytes(y)));
}
