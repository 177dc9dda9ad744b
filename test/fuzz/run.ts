import { performance } from 'node:perf_hooks';
import { prng } from '../support/prng.js';
import { seeds, mutate, randomInput, TARGETS, runSync, runVerify, runVerifyParts } from './fuzz-core.js';

/**
 * `npm run fuzz [-- --cases N --seed S]`: at least 100,000 cases over every parser and the full pipeline.
 * Reports the slowest case, so a parser that goes quadratic on some input shows up even if it never hangs.
 */
export async function fuzz(cases: number, seed: number, log: (s: string) => void = console.log): Promise<string[]> {
  const r = prng(seed);
  const { quotes, collateral } = seeds();
  const all = [...quotes, ...collateral];
  const PARTS = collateral.filter((c) => c.name.startsWith('eventlog/') || c.name.startsWith('tpmQuoteJson') || c.name === 'rhel8-uefi.bin');
  const failures: string[] = [];
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < cases; i++) {
    const t0 = performance.now();
    const base = all[r.int(all.length)]!;
    const input = r.next() < 0.15 ? randomInput(r) : mutate(r, base.bytes);
    const target = TARGETS[r.int(TARGETS.length)]!;
    const err = runSync(target, input);
    if (err) failures.push(`case ${i} (seed ${seed}): ${err}`);
    if (i % 25 === 0) {
      const quote = mutate(r, quotes[r.int(quotes.length)]!.bytes);
      const coll = collateral.map((c) => (r.next() < 0.2 ? { ...c, bytes: mutate(r, c.bytes) } : c));
      const verr = await runVerify(quote, coll);
      if (verr) failures.push(`case ${i} (seed ${seed}) verify: ${verr}`);
      const perr = await runVerifyParts(mutate(r, PARTS[r.int(PARTS.length)]!.bytes));
      if (perr) failures.push(`case ${i} (seed ${seed}) parts: ${perr}`);
    }
    slowest = Math.max(slowest, performance.now() - t0);
    if (failures.length > 20) break;
  }
  log(
    `fuzz: ${cases} cases, seed ${seed}, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(1)} s, slowest case ${slowest.toFixed(1)} ms`,
  );
  return failures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const failures = await fuzz(arg('--cases', 100_000), arg('--seed', Date.now() % 1_000_000));
  for (const f of failures) console.error(f);
  process.exitCode = failures.length ? 1 : 0;
}
