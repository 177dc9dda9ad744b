import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEASURE_SNP_FUZZ_TARGETS } from '../fuzz/targets-measure-snp.js';
import { isTeeError } from '../../app/errors.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';

/** Cases per target: a few seconds in `npm test`; SNP_MEASURE_FUZZ_CASES=1000000 for the long run. */
const CASES = Number(process.env.SNP_MEASURE_FUZZ_CASES ?? 1500);

/** Mutations aimed mostly at the image's last 512 bytes, where the footer table and SEV metadata live. */
function mutate(r: Prng, input: Uint8Array): Uint8Array {
  const out = r.next() < 0.05 ? input.slice(0, r.int(input.length + 1)) : input.slice();
  for (let i = 0, n = 1 + r.int(4); i < n && out.length > 0; i++) {
    const at = r.next() < 0.8 ? Math.max(0, out.length - 1 - r.int(512)) : r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1) out[at] = [0x00, 0xff, 0x7f, 0x80, 0x10, 0x01][r.int(6)]!;
    else if (kind === 2) out.fill(0xff, at, Math.min(out.length, at + 4));
    else out[at] = r.int(256);
  }
  return out;
}

for (const [i, target] of MEASURE_SNP_FUZZ_TARGETS.entries()) {
  test(`fuzz ${target.name}: ${CASES} seeded mutations measure or throw a typed error (never INTERNAL_ERROR)`, () => {
    const r = prng(0x5a9 + i);
    const seeds = target.seeds();
    target.run(seeds[0]!); // the real AmdSev image measures
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
    assert.ok(refused > 0 && refused < CASES, `${refused} of ${CASES} refused: the mutations must reach both outcomes`);
  });
}
