import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const EVIDENCE = vectorBytes('tpm/trustee-tpm-evidence.json');
const AK = Buffer.from((JSON.parse(readFileSync(`${VECTORS_DIR}tpm/trustee-tpm-evidence.json`, 'utf8')) as { ak_public: string }).ak_public, 'base64');
const AK_SHA256 = createHash('sha256').update(AK).digest('hex');
const AT = new Date('2025-01-01T00:00:00Z');

const verify = (claims?: Record<string, unknown[]>) =>
  createVerifier({ crypto: nodeCryptoProvider() }).verify(EVIDENCE, [], {
    at: AT,
    ...(claims
      ? { reference: parseReferenceValues({ schema: 'tee-inspect/reference/v1', name: 'aks', sets: [{ name: 'lab', technology: 'tpm', claims }] }) }
      : {}),
  });

test('an AK nothing ties to hardware leaves ak-trust not established (tier warning)', async () => {
  const r = await verify();
  assert.equal(r.verdict, 'verified');
  assert.equal(r.checks.find((c) => c.id === 'tpm.ak.trust')?.status, 'warn');
  assert.ok(r.notEstablished.includes('ak-trust'));
  assert.equal(r.appraisal.tier, 'warning');
});

test('a reference set pinning the AK (akSpkiSha256) establishes ak-trust; a wrong pin does not', async () => {
  const pinned = await verify({ akSpkiSha256: [AK_SHA256] });
  const trust = pinned.checks.find((c) => c.id === 'tpm.ak.trust')!;
  assert.equal(trust.status, 'pass');
  assert.match(trust.explain, /Pinned: reference set "lab" of "aks" names this key/);
  assert.ok(!pinned.notEstablished.includes('ak-trust'));
  const wrong = await verify({ akSpkiSha256: ['00'.repeat(32)] });
  assert.equal(wrong.checks.find((c) => c.id === 'tpm.ak.trust')?.status, 'warn');
  assert.ok(wrong.notEstablished.includes('ak-trust'));
  assert.equal(wrong.verdict, 'rejected');
  assert.ok(wrong.errors.some((e) => e.code === 'REFERENCE_MISMATCH'));
});
