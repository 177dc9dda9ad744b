import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TeeError } from '../../app/errors.js';
import { createApi } from '../../main/api/handlers.js';
import { validateReferenceKeyPem } from '../../main/api/schema.js';
import { signReference } from '../../main/reference/sign.js';
import { tempApiOptions } from '../support/api-options.js';
import { vectorBytes } from '../support/vectors.js';
import { EXAMPLE_JSON, testKey } from './signed-reference-support.js';

/** The app's verify request with a reference key: the handler reads the set as the CLI does, before verifying. */
const handle = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
after(() => handle.close());
const key = testKey('P-256');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const token = await signReference(EXAMPLE_JSON, key.privatePem);
const request = (reference: string, referenceKeyPem?: string) => ({
  files: [
    { name: 'dcapqvl-v4.quote', base64: b64(vectorBytes('tdx/dcapqvl-v4.quote')) },
    { name: 'dcapqvl-v4.collateral.json', base64: b64(vectorBytes('tdx/dcapqvl-v4.collateral.json')) },
  ],
  at: '2025-07-19T10:00:34Z',
  offline: true,
  reference: { name: 'golden.jws', base64: b64(reference) },
  ...(referenceKeyPem !== undefined ? { referenceKeyPem } : {}),
});

test('verify with a signed set and its key: verified, the signature and key recorded in result and report', async () => {
  const r = await handle.api.verify(request(token, key.publicPem));
  assert.equal(r.result.verdict, 'verified');
  assert.deepEqual(r.result.appraisal.reference?.signature, { alg: 'ES256', keySha256: key.spkiSha256, publicKeyPem: key.publicPem, verified: true });
  assert.deepEqual(r.report.result.appraisal.reference, r.result.appraisal.reference);
});

test('verify with a key: an unsigned or wrongly signed set refuses the request with its code', async () => {
  const other = testKey('P-256');
  for (const [reference, pem, code] of [
    [EXAMPLE_JSON, key.publicPem, 'REFERENCE_UNSIGNED'],
    [token, other.publicPem, 'REFERENCE_SIGNATURE_INVALID'],
  ] as const)
    await assert.rejects(handle.api.verify(request(reference, pem)), (e: unknown) => e instanceof TeeError && e.code === code && /golden\.jws/.test(e.message));
});

test('referenceKeyPem validation: bounded PEM text beside a reference file only', () => {
  assert.equal(validateReferenceKeyPem(undefined, false), undefined);
  assert.equal(validateReferenceKeyPem(key.publicPem, true), key.publicPem);
  for (const [value, hasReference, message] of [
    [42, true, /must be a string of 1 to 16384/],
    ['', true, /must be a string/],
    ['x'.repeat(16385), true, /must be a string of 1 to 16384/],
    ['-----BEGIN CERTIFICATE-----', true, /must be a PEM public key/],
    [key.publicPem, false, /goes with a reference file/],
  ] as const)
    assert.throws(
      () => validateReferenceKeyPem(value, hasReference),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message),
    );
});

test('the handler validates the key too (the renderer is untrusted input): a key without a reference is refused', async () => {
  const { reference: _ignored, ...noReference } = request(token, key.publicPem);
  await assert.rejects(handle.api.verify(noReference), (e: unknown) => e instanceof TeeError && /goes with a reference file/.test(e.message));
});
