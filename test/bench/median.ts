import { performance } from 'node:perf_hooks';

export type Budget = { warmup: number; iterations: number; ms: number };

/** Median ms of `once` after the warm-up, within the budget's iterations or time, whichever ends first. */
export async function medianMs(budget: Budget, once: () => Promise<void>): Promise<number> {
  for (let i = 0; i < budget.warmup; i++) await once();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < budget.iterations && performance.now() - start < budget.ms) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}
