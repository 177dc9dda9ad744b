import { TeeError } from '../errors.js';
import type { CollateralSet } from '../collateral/types.js';
import type { EvidencePart, ModuleResult, VerifyEnv } from './module.js';
import { detectModule } from './registry.js';

/**
 * An evidence part verified by the module its bytes belong to (a TD quote inside a vTPM bundle is
 * DCAP's), with the composite's collateral and environment. Throws MALFORMED_EVIDENCE naming the part
 * when no module recognises it. Collateral parts of the part itself are the composite's to supply.
 */
export async function verifyPart(part: EvidencePart, collateral: CollateralSet, env: VerifyEnv): Promise<ModuleResult> {
  const module = detectModule(part.bytes);
  if (!module)
    throw new TeeError('MALFORMED_EVIDENCE', `the ${part.role} part "${part.name}" is not evidence any supported module recognises`, { field: part.role });
  return module.verify(module.unwrap?.(part.bytes) ?? { primary: part.bytes, parts: [] }, collateral, env);
}

/**
 * A composite's checks followed by a part's, and both catalogues: judge() then requires the part's
 * cryptographic checks as well as the composite's own, so a forged part can never leave the whole verified.
 */
export function mergePart(own: Pick<ModuleResult, 'checks' | 'catalogue'>, part: ModuleResult): Pick<ModuleResult, 'checks' | 'catalogue'> {
  return { checks: [...own.checks, ...part.checks], catalogue: [...own.catalogue, ...part.catalogue] };
}
