import { performance } from 'node:perf_hooks';

export type Budget = { warmup: number; iterations: number; ms: number };

/** Sorted ms of `once` after the warm-up, within the budget's iterations or time, whichever ends first. */
export async function sampleMs(budget: Budget, once: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < budget.warmup; i++) await once();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < budget.iterations && performance.now() - start < budget.ms) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

/** The q-quantile of sorted samples (NaN when there are none). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Median ms of `once` (sampleMs). */
export async function medianMs(budget: Budget, once: () => Promise<unknown>): Promise<number> {
  return quantile(await sampleMs(budget, once), 0.5);
}
