import { MEASURE_SNP_FUZZ_TARGETS } from '../fuzz/targets-measure-snp.js';
import { fuzzTargets } from '../support/fuzz-targets.js';

/** Cases per target: a few seconds in `npm test`; SNP_MEASURE_FUZZ_CASES=1000000 for the long run. */
const cases = Number(process.env.SNP_MEASURE_FUZZ_CASES ?? 1500);

// Mostly in the image's last 512 bytes, where the footer table and SEV metadata live. Only the first seed (the real
// AmdSev image) must measure unmutated: the others are refused on purpose (an OvmfX64 image given a kernel).
fuzzTargets({
  targets: MEASURE_SNP_FUZZ_TARGETS,
  cases,
  seed: 0x5a9,
  verb: 'measure',
  mutate: { tailBias: 0.8, tail: 512, cut: 0.05 },
  minRefused: 1 / cases,
  validSeeds: 1,
});
