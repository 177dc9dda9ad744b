import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AZURE_FUZZ_TARGETS } from '../fuzz/targets-azure.js';
import { createVerifier } from '../../app/verifier.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';
import { fuzzTargets, mutateBytes } from '../support/fuzz-targets.js';
import { vectorBytes } from '../support/vectors.js';

/** Cases per target: a few seconds in `npm test`; AZURE_FUZZ_CASES=1000000 for the long run. */
const CASES = Number(process.env.AZURE_FUZZ_CASES ?? 3000);

// Flipped bits, boundary bytes (sizes, and JSON's " [ {), random bytes or a cut, anywhere in a real input.
const MUTATE = { boundary: [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5b, 0x7b] };
const mutate = (r: Prng, input: Uint8Array) => mutateBytes(r, input, MUTATE);

fuzzTargets({ targets: AZURE_FUZZ_TARGETS, cases: CASES, seed: 0xa2c0, verb: 'parse', mutate: MUTATE });

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
