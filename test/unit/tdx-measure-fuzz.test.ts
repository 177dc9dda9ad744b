import { MEASURE_TDX_FUZZ_TARGETS } from '../fuzz/targets-measure-tdx.js';
import { fuzzTargets } from '../support/fuzz-targets.js';

/** Cases per target: a few seconds in `npm test`; MEASURE_FUZZ_CASES=1000000 for the long run. */
const CASES = Number(process.env.MEASURE_FUZZ_CASES ?? 3000);

// Bit flips and boundary values (sizes and offsets are u32/u64 fields), half of them in the tail, where the metadata lives.
fuzzTargets({ targets: MEASURE_TDX_FUZZ_TARGETS, cases: CASES, seed: 0x7d70, verb: 'measure', mutate: { tailBias: 0.5, tail: 0x200 }, minRefused: 1 / 20 });
