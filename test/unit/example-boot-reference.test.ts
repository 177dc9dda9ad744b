import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCliJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';

/** docs/examples/gotdx-cos113-boot.reference.json stays true: the COS TDX vector and its CC event log match it, claim by claim. */
const EXAMPLE = 'docs/examples/gotdx-cos113-boot.reference.json';
const ARGS = [
  'verify',
  `${VECTORS_DIR}eventlog/gotdx-cos113-tdx.quote`,
  '--eventlog',
  `${VECTORS_DIR}eventlog/gotdx-ccel-data.bin`,
  '--at',
  '2024-07-03T00:00:00Z',
  '--offline',
];

test('the boot example matches the vector: every claim, with the register and event of each boot claim', async () => {
  const { json } = await runCliJson([...ARGS, '--reference', EXAMPLE]);
  assert.equal(json.checks.find((c: { id: string }) => c.id === 'reference.claims').status, 'pass');
  const kernel = json.appraisal.diffs.find((d: { claim: string }) => d.claim === 'boot.kernelDigest');
  assert.deepEqual(kernel.source, { register: 'rtmr2', event: 39, detail: 'EV_IPL, file (from unverified event data): /syslinux/vmlinuz.A' });
});

test('one digit changed: the mismatch names RTMR2, event 39 and the kernel image', async () => {
  const ref = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const digest: string = ref.sets[0].claims['boot.kernelDigest'][0];
  ref.sets[0].claims['boot.kernelDigest'] = [(digest[0] === '0' ? '1' : '0') + digest.slice(1)];
  const path = `${process.env.TMPDIR ?? '/tmp'}/cos-boot-${process.pid}.reference.json`;
  writeFileSync(path, JSON.stringify(ref));
  const { json } = await runCliJson([...ARGS, '--reference', path]);
  const check = json.checks.find((c: { id: string }) => c.id === 'reference.claims');
  assert.equal(check.status, 'fail');
  assert.match(
    check.explain,
    /RTMR2, event 39 \(EV_IPL, file \(from unverified event data\): \/syslinux\/vmlinuz\.A\): digest of the kernel image .*: expected sha384 01012372/,
  );
});
