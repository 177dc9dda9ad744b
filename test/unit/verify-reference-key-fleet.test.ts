import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TeeError } from '../../app/errors.js';
import { parseTargets, serializeTargets } from '../../app/acquire/targets-file.js';
import { TargetInputs } from '../../main/fleet/inputs.js';
import { signReference } from '../../main/reference/sign.js';
import { EXAMPLE_JSON, testKey } from './signed-reference-support.js';

/** A fleet target may name the key its reference file must be signed with ("referenceKey", relative to the targets file). */
const dir = mkdtempSync(join(tmpdir(), 'tee-fleet-refkey-'));
const key = testKey('P-256');
const other = testKey('P-256');
writeFileSync(join(dir, 'golden.jws'), `${await signReference(EXAMPLE_JSON, key.privatePem)}\n`);
writeFileSync(join(dir, 'golden.json'), EXAMPLE_JSON);
writeFileSync(join(dir, 'ops.pem'), key.publicPem);
writeFileSync(join(dir, 'other.pem'), other.publicPem);
const target = (extra: Record<string, string>) => ({ name: 't', url: 'ssh://ops@10.0.0.5', ...extra });

test('targets file: referenceKey is read, kept when saved, and needs a reference', () => {
  const file = parseTargets({ schema: 'tee-inspect/targets/v1', targets: [target({ reference: 'golden.jws', referenceKey: 'ops.pem' })] });
  assert.equal(file.targets[0]!.referenceKey, 'ops.pem');
  assert.match(serializeTargets(file.targets), /"reference": "golden\.jws",\n\s+"referenceKey": "ops\.pem"/);
  for (const [extra, message] of [
    [{ referenceKey: 'ops.pem' }, /referenceKey goes with "reference"/],
    [{ reference: 'golden.jws', referenceKey: '' }, /referenceKey must be 1 to 4096 characters/],
    [{ reference: 'golden.jws', refrenceKey: 'ops.pem' }, /unknown field "refrenceKey"/],
  ] as const)
    assert.throws(
      () => parseTargets({ schema: 'tee-inspect/targets/v1', targets: [target(extra)] }),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message),
    );
});

test('TargetInputs: the signed set verified with the target key; wrong key and unsigned set fail only that target', async () => {
  const inputs = new TargetInputs(dir);
  const ok = await inputs.referenceFile(target({ reference: 'golden.jws', referenceKey: 'ops.pem' }));
  assert.equal(ok?.values.signature?.verified, true);
  assert.equal(ok?.values.signature?.keySha256, key.spkiSha256);
  const unchecked = await inputs.referenceFile(target({ reference: 'golden.jws' }));
  assert.equal(unchecked?.values.signature?.verified, false, 'the same file without a key is read apart, not from the cache');
  for (const [extra, code] of [
    [{ reference: 'golden.jws', referenceKey: 'other.pem' }, 'REFERENCE_SIGNATURE_INVALID'],
    [{ reference: 'golden.json', referenceKey: 'ops.pem' }, 'REFERENCE_UNSIGNED'],
    [{ reference: 'golden.jws', referenceKey: 'missing.pem' }, 'FILE_UNREADABLE'],
  ] as const)
    await assert.rejects(inputs.referenceFile(target(extra)), (e: unknown) => e instanceof TeeError && e.code === code, code);
  await assert.rejects(
    inputs.referenceFile(target({ reference: 'golden.jws', referenceKey: 'other.pem' })),
    (e: unknown) => e instanceof TeeError && e.detail.file === 'golden.jws' && /reference file golden\.jws: /.test(e.message),
  );
});
