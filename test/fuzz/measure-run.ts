import { performance } from 'node:perf_hooks';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../support/prng.js';
import { mutate, randomInput, runSync } from './fuzz-core.js';
import { MEASURE_SNP_FUZZ_TARGETS } from './targets-measure-snp.js';
import { MEASURE_TDX_FUZZ_TARGETS } from './targets-measure-tdx.js';
import type { FuzzTarget } from './targets-azure.js';

/**
 * `npm run fuzz:measure [-- --cases N --seed S]`: the measurement parsers alone (OVMF SEV metadata, TDVF metadata
 * and MRTD, PE/COFF Authenticode, SNP/SEV-ES digests), 1,000,000 cases by default. Each case mutates a seed of
 * its target (or is random bytes) and must end in a digest or a TeeError other than INTERNAL_ERROR.
 * Real PE files join the seeds when TEE_PE_SAMPLES names a folder of them (.ci/run unpacks Debian's grub EFI images).
 */
const TARGETS: readonly FuzzTarget[] = [...MEASURE_SNP_FUZZ_TARGETS, ...MEASURE_TDX_FUZZ_TARGETS];

/** At most this many bytes of a real PE seed: the headers and first sections, where every bound is checked. */
const PE_SEED_BYTES = 64 * 1024;

/** TEE_PE_SAMPLES as the osslsigncode test reads it: colon-separated files or folders of EFI images and kernels. */
function realPeSeeds(): Uint8Array[] {
  const roots = (process.env.TEE_PE_SAMPLES ?? '').split(':').filter((p) => p && existsSync(p));
  const files = roots.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /^vmlinuz-|\.efi(\.signed)?$/.test(f))
          .map((f) => join(p, f))
      : [p],
  );
  return files.map((f) => new Uint8Array(readFileSync(f)).subarray(0, PE_SEED_BYTES));
}

export function fuzzMeasure(cases: number, seed: number, log: (s: string) => void = console.log): string[] {
  const r = prng(seed);
  const pe = realPeSeeds();
  const seeds = TARGETS.map((t) => [...t.seeds(), ...(t.name === 'peAuthenticode' ? pe : [])]);
  const failures: string[] = [];
  const perTarget = new Map<string, number>();
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < cases && failures.length <= 20; i++) {
    const t = r.int(TARGETS.length);
    const target = TARGETS[t]!;
    const base = seeds[t]![r.int(seeds[t]!.length)]!;
    const input = r.next() < 0.05 ? randomInput(r) : mutate(r, base);
    const t0 = performance.now();
    const err = runSync(target.name, input);
    slowest = Math.max(slowest, performance.now() - t0);
    if (err) failures.push(`case ${i} (seed ${seed}): ${err}`);
    perTarget.set(target.name, (perTarget.get(target.name) ?? 0) + 1);
  }
  const counts = [...perTarget].map(([n, c]) => `${n} ${c}`).join(', ');
  log(
    `fuzz measure: ${cases} cases, seed ${seed}, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(1)} s, slowest case ${slowest.toFixed(1)} ms, ${pe.length} real PE seeds (${counts})`,
  );
  return failures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const failures = fuzzMeasure(arg('--cases', 1_000_000), arg('--seed', Date.now() % 1_000_000));
  for (const f of failures) console.error(f);
  process.exitCode = failures.length ? 1 : 0;
}
