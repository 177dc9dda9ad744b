import type { ReferenceSetJson } from '../../../../app/appraisal/create-reference.js';
import { actualValue, claimKinds } from '../../../../app/appraisal/catalogue.js';
import type { Technology } from '../../../../app/appraisal/catalogue.js';
import type { VerificationResult } from '../../../../app/report/result.js';

/** How a derived value compares with the shown evidence's claim of the same name. */
export type Against = 'match' | 'match-unsigned' | 'differs' | 'absent' | 'other-technology' | 'no-evidence';

export function against(set: ReferenceSetJson, claim: string, result: VerificationResult | undefined): Against {
  if (!result) return 'no-evidence';
  if (result.technology !== set.technology) return 'other-technology';
  const actual = actualValue(result.claims, claim, claimKinds(set.technology as Technology)[claim]);
  if (actual === null) return 'absent';
  if (!set.claims[claim]!.map(String).includes(actual)) return 'differs';
  // Equal to a value whose signatures did not verify proves nothing about the guest: not shown as a match.
  return result.cryptoValid ? 'match' : 'match-unsigned';
}
