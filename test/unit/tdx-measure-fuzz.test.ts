import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEASURE_TDX_FUZZ_TARGETS } from '../fuzz/targets-measure-tdx.js';
import { isTeeError } from '../../app/errors.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';

/** Cases per target: a few seconds in `npm test`; MEASURE_FUZZ_CASES=1000000 for the long run. */
const CASES = Number(process.env.MEASURE_FUZZ_CASES ?? 3000);

/** Bit flips, boundary values (sizes and offsets are u32/u64 fields), random bytes or a cut; biased to the tail, where the metadata lives. */
function mutate(r: Prng, input: Uint8Array): Uint8Array {
  const out = r.next() < 0.1 ? input.slice(0, r.int(input.length + 1)) : input.slice();
  for (let i = 0, n = 1 + r.int(4); i < n && out.length > 0; i++) {
    const at = r.next() < 0.5 ? out.length - 1 - r.int(Math.min(out.length, 0x200)) : r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1) out[at] = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x10][r.int(6)]!;
    else if (kind === 2) out.fill(0xff, at, Math.min(out.length, at + 4));
    else out[at] = r.int(256);
  }
  return out;
}

for (const [i, target] of MEASURE_TDX_FUZZ_TARGETS.entries()) {
  test(`fuzz ${target.name}: ${CASES} seeded mutations measure or throw a typed error (never INTERNAL_ERROR)`, () => {
    const r = prng(0x7d70 + i);
    const seeds = target.seeds();
    for (const s of seeds) target.run(s);
    let refused = 0;
    for (let n = 0; n < CASES; n++) {
      try {
        target.run(mutate(r, seeds[r.int(seeds.length)]!));
      } catch (e) {
        assert.ok(isTeeError(e), `${target.name} case ${n}: ${String(e)}`);
        assert.notEqual(e.code, 'INTERNAL_ERROR', `${target.name} case ${n}`);
        refused++;
      }
    }
    // Mutations must reach the checks, or this test proves nothing.
    assert.ok(refused > CASES / 20, `${target.name}: only ${refused} of ${CASES} mutations were refused`);
  });
}
