import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AZURE_FUZZ_TARGETS } from '../fuzz/targets-azure.js';
import { createVerifier } from '../../app/verifier.js';
import { isTeeError } from '../../app/errors.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';
import { vectorBytes } from '../support/vectors.js';

/** Cases per target: a few seconds in `npm test`; AZURE_FUZZ_CASES=1000000 for the long run. */
const CASES = Number(process.env.AZURE_FUZZ_CASES ?? 3000);

/** Flipped bits, boundary bytes (sizes!), random bytes or a cut, anywhere in a real input. */
function mutate(r: Prng, input: Uint8Array): Uint8Array {
  const out = r.next() < 0.1 ? input.slice(0, r.int(input.length + 1)) : input.slice();
  for (let i = 0, n = 1 + r.int(4); i < n && out.length > 0; i++) {
    const at = r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1)
      out[at] = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5b, 0x7b][r.int(7)]!; // JSON's " [ { too
    else if (kind === 2) out.fill(0xff, at, Math.min(out.length, at + 4));
    else out[at] = r.int(256);
  }
  return out;
}

for (const [i, target] of AZURE_FUZZ_TARGETS.entries()) {
  test(`fuzz ${target.name}: ${CASES} seeded mutations parse or throw a typed error (never INTERNAL_ERROR)`, () => {
    const r = prng(0xa2c0 + i);
    const seeds = target.seeds();
    for (const s of seeds) target.run(s); // the real inputs parse
    for (let n = 0; n < CASES; n++) {
      const input = mutate(r, seeds[r.int(seeds.length)]!);
      try {
        target.run(input);
      } catch (e) {
        assert.ok(isTeeError(e), `${target.name} case ${n}: ${String(e)}`);
        assert.notEqual(e.code, 'INTERNAL_ERROR', `${target.name} case ${n}`);
      }
    }
  });
}

test('fuzz the whole pipeline on mutated Azure evidence: always a result, never INTERNAL_ERROR', async () => {
  const verifier = createVerifier();
  const seeds = [vectorBytes('azure/snp-milan-evidence-v2.json'), vectorBytes('azure/snp-milan-hcl-report.bin'), vectorBytes('tpm/trustee-tpm-evidence.json')];
  const r = prng(0xa2ff);
  for (let n = 0; n < Math.min(CASES, 300); n++) {
    const res = await verifier.verify(mutate(r, seeds[r.int(seeds.length)]!), [], { at: new Date('2025-05-28T21:48:51Z') });
    assert.ok(!res.errors.some((e) => e.code === 'INTERNAL_ERROR'), JSON.stringify(res.errors));
    assert.ok(res.verdict === 'verified' || res.errors.length > 0);
  }
});
