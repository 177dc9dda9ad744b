import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import { TeeError, ERROR_CODES } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { signReference } from '../../main/reference/sign.js';
import { prng } from '../support/prng.js';
import { mutate, randomInput } from './fuzz-core.js';
import { EXAMPLE_JSON, b64url, bytes, testKey } from '../unit/signed-reference-support.js';

/**
 * Random and mutated reference files (signed, unsigned, JWS-shaped noise), read with and without a key: only a
 * TeeError with a stable code, never INTERNAL_ERROR or an untyped throw. TEE_FUZZ_SIGNED_REFERENCE=N for a long run.
 */
const CASES = Number(process.env.TEE_FUZZ_SIGNED_REFERENCE ?? 2000);
const SEED = Number(process.env.TEE_FUZZ_SEED ?? 20261201);
const ALLOWED = new Set(['MALFORMED_REFERENCE', 'REFERENCE_UNSIGNED', 'REFERENCE_SIGNATURE_INVALID']);

test(`signed reference reader: ${CASES} random and mutated files give typed errors, never crashes`, async () => {
  const key = testKey('P-256');
  const key384 = testKey('P-384');
  const signed = await signReference(EXAMPLE_JSON, key.privatePem);
  const [h, p] = signed.split('.') as [string, string];
  const seeds = [
    bytes(signed),
    bytes(await signReference(EXAMPLE_JSON, key384.privatePem)),
    bytes(EXAMPLE_JSON),
    bytes(`${h}.${p}.${b64url(new Uint8Array(96))}\n`),
    bytes(`${b64url('{"alg":"ES256","crit":["x"],"x":1}')}.${p}.`),
  ];
  const crypto = nodeCryptoProvider();
  const r = prng(SEED);
  const failures: string[] = [];
  let refused = 0;
  for (let i = 0; i < CASES && failures.length < 10; i++) {
    const input = r.next() < 0.1 ? randomInput(r) : mutate(r, seeds[r.int(seeds.length)]!);
    const publicKeyPem = [undefined, key.publicPem, key384.publicPem][r.int(3)];
    try {
      await readReferenceFile(input, { crypto, ...(publicKeyPem ? { publicKeyPem } : {}) });
    } catch (e) {
      refused++;
      const ok = e instanceof TeeError && (ERROR_CODES as readonly string[]).includes(e.code) && ALLOWED.has(e.code);
      if (!ok) failures.push(`case ${i} (seed ${SEED}): ${e instanceof TeeError ? e.code : 'untyped'} ${String(e).slice(0, 200)}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(refused > CASES / 2, `most mutated files are refused (${refused} of ${CASES})`);
});
