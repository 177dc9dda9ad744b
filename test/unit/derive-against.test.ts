import { test } from 'node:test';
import assert from 'node:assert/strict';
import { against } from '../../renderer/src/diff/derive/against.js';
import type { ReferenceSetJson } from '../../app/appraisal/create-reference.js';
import type { VerificationResult } from '../../app/report/result.js';

const MRTD = 'a'.repeat(96);
const set: ReferenceSetJson = { name: 's', note: '', technology: 'tdx', claims: { mrTd: [MRTD], 'boot.kernelDigest': ['b'.repeat(96)] }, allowDebug: false };
const result = (claims: Record<string, unknown>, cryptoValid = true) => ({ technology: 'tdx', cryptoValid, claims }) as unknown as VerificationResult;

test('a derived value is a match only against evidence whose signatures verified', () => {
  assert.equal(against(set, 'mrTd', result({ mrTd: MRTD })), 'match');
  assert.equal(against(set, 'mrTd', result({ mrTd: MRTD }, false)), 'match-unsigned');
  assert.equal(against(set, 'mrTd', result({ mrTd: 'c'.repeat(96) })), 'differs');
  assert.equal(against(set, 'boot.kernelDigest', result({ mrTd: MRTD })), 'absent', 'no event log replayed');
  assert.equal(against(set, 'mrTd', { ...result({}), technology: 'sev-snp' } as VerificationResult), 'other-technology');
  assert.equal(against(set, 'mrTd', undefined), 'no-evidence');
});
