import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTeeError } from '../../app/errors.js';
import { prng } from './prng.js';
import type { Prng } from './prng.js';
import type { FuzzTarget } from '../fuzz/targets-azure.js';

export interface MutateOptions {
  /** Share of mutations placed in the last `tail` bytes (firmware images keep their metadata at the end). */
  tailBias?: number;
  tail?: number;
  /** Share of inputs cut short before mutating. */
  cut?: number;
  /** Byte values that hit boundaries of the format (sizes, JSON punctuation). */
  boundary?: readonly number[];
}

const BOUNDARY = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x10];

/** A real input with 1-4 bit flips, boundary bytes, 0xFF runs or random bytes, sometimes cut short. */
export function mutateBytes(r: Prng, input: Uint8Array, o: MutateOptions = {}): Uint8Array {
  const boundary = o.boundary ?? BOUNDARY;
  const out = r.next() < (o.cut ?? 0.1) ? input.slice(0, r.int(input.length + 1)) : input.slice();
  for (let i = 0, n = 1 + r.int(4); i < n && out.length > 0; i++) {
    const inTail = o.tailBias !== undefined && r.next() < o.tailBias;
    const at = inTail ? out.length - 1 - r.int(Math.min(out.length, o.tail ?? 512)) : r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1) out[at] = boundary[r.int(boundary.length)]!;
    else if (kind === 2) out.fill(0xff, at, Math.min(out.length, at + 4));
    else out[at] = r.int(256);
  }
  return out;
}

export interface FuzzSuite {
  targets: readonly FuzzTarget[];
  cases: number;
  seed: number;
  mutate?: MutateOptions;
  /** The least share of cases that must be refused, so that the mutations are seen to reach the checks. */
  minRefused?: number;
  /** What a target does: "parse" or "measure", for the test names. */
  verb: string;
  /** How many of the seeds (the first ones) are valid inputs that must pass unmutated; default all. */
  validSeeds?: number;
}

/** One test per target: the real seeds pass, then every mutation passes or throws a TeeError that is not INTERNAL_ERROR. */
export function fuzzTargets(s: FuzzSuite): void {
  for (const [i, target] of s.targets.entries()) {
    test(`fuzz ${target.name}: ${s.cases} seeded mutations ${s.verb} or throw a typed error (never INTERNAL_ERROR)`, () => {
      const r = prng(s.seed + i);
      const seeds = target.seeds();
      for (const input of seeds.slice(0, s.validSeeds ?? seeds.length)) target.run(input);
      let refused = 0;
      for (let n = 0; n < s.cases; n++) {
        try {
          target.run(mutateBytes(r, seeds[r.int(seeds.length)]!, s.mutate));
        } catch (e) {
          assert.ok(isTeeError(e), `${target.name} case ${n}: ${String(e)}`);
          assert.notEqual(e.code, 'INTERNAL_ERROR', `${target.name} case ${n}`);
          refused++;
        }
      }
      if (s.minRefused !== undefined)
        assert.ok(
          refused >= s.cases * s.minRefused && refused < s.cases,
          `${target.name}: ${refused} of ${s.cases} refused: the mutations must reach both outcomes`,
        );
    });
  }
}
