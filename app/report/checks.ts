import type { CheckCatalogue, CheckSpec } from '../check.js';

/**
 * The generic checks the verifier itself reports, whatever the technology: the evidence could not be
 * read at all, or a supplied collateral file could not. Mandatory (input.collateral only warns unless
 * the loader failed on a bug of ours, which must not pass).
 */
export const INPUT_CHECKS = {
  parse: {
    id: 'input.parse',
    title: 'Input can be read',
    crypto: false,
    mandatory: true,
    fix: 'Check that the file is a complete quote or report; re-export it from the platform.',
  },
  collateral: {
    id: 'input.collateral',
    title: 'Supplied collateral file can be read',
    crypto: false,
    mandatory: true,
    fix: 'Replace the file with an intact copy from its source (Intel PCS/PCCS, AMD KDS or the cloud provider), or leave it out.',
  },
} as const satisfies CheckCatalogue;

export const INPUT_CHECK_SPECS: readonly CheckSpec[] = Object.values(INPUT_CHECKS);
