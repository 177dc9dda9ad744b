import type { TeeModule } from './module.js';
import { dcapModule } from './dcap/module.js';
import { snpModule } from './snp/module.js';

/** Every supported technology, tried in order by `detect`. */
export const TEE_MODULES: readonly TeeModule[] = [dcapModule, snpModule];

export function detectModule(bytes: Uint8Array): TeeModule | undefined {
  return TEE_MODULES.find((m) => m.detect(bytes));
}
