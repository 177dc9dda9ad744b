import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureSnpCommand } from '../../main/cli/measure-snp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/sev-snp-measure/', import.meta.url));
const AMD = join(FIXTURES, 'ovmf_AmdSev_suffix.bin');
const X64 = join(FIXTURES, 'ovmf_OvmfX64_suffix.bin');
const DIR = mkdtempSync(join(tmpdir(), 'snp-measure-cli-'));
const EMPTY = join(DIR, 'empty');
writeFileSync(EMPTY, new Uint8Array(0));

async function run(mode: 'snp' | 'sev-es', argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), color: false, now: () => new Date('2026-01-01T00:00:00Z') };
  const code = await measureSnpCommand(argv, io, mode);
  return { code, out, err };
}

test('measure snp --format json: the test_snp_default digest with the inputs that produced it', async () => {
  const r = await run('snp', [
    '--ovmf',
    AMD,
    '--vcpus',
    '1',
    '--vcpu-type',
    'EPYC-v4',
    '--guest-features',
    '0x21',
    '--kernel',
    EMPTY,
    '--initrd',
    EMPTY,
    '--append',
    'console=ttyS0 loglevel=7',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.out + r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.measurement, '803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977');
  assert.equal(j.inputs.vcpuSig, '0x800f12');
  assert.equal(j.inputs.kernel.sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(j.inputs.guestFeatures, '0x21');
  assert.equal(j.sections.length, 7);
  assert.match(j.note, /prediction/);
});

test('measure snp text: the digest, the seed from --ovmf-hash, an empty --append as a valid command line', async () => {
  const hash = '086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74';
  const r = await run('snp', [
    '--ovmf',
    AMD,
    '--ovmf-hash',
    hash,
    '--vcpus',
    '1',
    '--vcpu-sig',
    '0x800f12',
    '--guest-features',
    '0x21',
    '--kernel',
    EMPTY,
    '--append',
    '',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^SEV-SNP launch digest: 329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198$/m);
  assert.match(r.out, /pages replaced by --ovmf-hash/);
});

test('measure snp --vmm gce needs no vCPU type (test_snp_gce_with_multiple_vcpus_default); guest features default to 0x1', async () => {
  const r = await run('snp', ['--ovmf', AMD, '--vcpus', '4', '--vmm', 'gce', '--kernel', EMPTY, '--initrd', EMPTY, '--append', '', '--format', 'json']);
  assert.equal(r.code, 0, r.out);
  const j = JSON.parse(r.out);
  assert.equal(j.measurement, '5c5debf100fc339f90276e761ee1f1658d08922c3b20e2a2e6c7a6c3370b2452a15a00eae11886a93d6fd1e7ab81e29d');
  assert.equal(j.inputs.vcpuSig, null);
});

test('measure sev-es prints a 64-hex measurement (test_seves_with_multiple_vcpus)', async () => {
  const r = await run('sev-es', ['--ovmf', AMD, '--vcpus', '4', '--vcpu-type', 'EPYC-v4', '--kernel', EMPTY, '--initrd', EMPTY, '--format', 'json']);
  assert.equal(r.code, 0, r.out);
  assert.equal(JSON.parse(r.out).measurement, '0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91');
});

const REFUSED: [string, 'snp' | 'sev-es', string[], RegExp][] = [
  [
    'a kernel for an OVMF without SNP_KERNEL_HASHES',
    'snp',
    ['--ovmf', X64, '--vcpus', '1', '--vcpu-type', 'EPYC-v4', '--kernel', EMPTY],
    /no SNP_KERNEL_HASHES section/,
  ],
  ['qemu without a vCPU type', 'snp', ['--ovmf', AMD, '--vcpus', '1'], /--vcpu-type NAME or --vcpu-sig/],
  ['an unknown vCPU type', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'Zen9'], /unknown --vcpu-type "Zen9"; known: EPYC,/],
  ['both a type and a signature', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'EPYC', '--vcpu-sig', '0x1'], /not both/],
  ['a signature without 0x', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-sig', '800f12'], /0x-prefixed hex/],
  ['an OVMF hash of the wrong length', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'EPYC', '--ovmf-hash', 'abcd'], /96 hex digits/],
  ['no vCPU count', 'snp', ['--ovmf', AMD, '--vcpu-type', 'EPYC'], /--vcpus N is required/],
  ['zero vCPUs', 'snp', ['--ovmf', AMD, '--vcpus', '0', '--vcpu-type', 'EPYC'], /whole number/],
  ['an unknown VMM', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vmm', 'xen'], /--vmm must be one of qemu, ec2, gce/],
  ['--append without --kernel', 'snp', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'EPYC', '--append', 'x'], /only with --kernel/],
  ['--guest-features for sev-es', 'sev-es', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'EPYC', '--guest-features', '0x1'], /SNP only/],
  ['--ovmf-hash for sev-es', 'sev-es', ['--ovmf', AMD, '--vcpus', '1', '--vcpu-type', 'EPYC', '--ovmf-hash', 'ab'.repeat(48)], /SNP only/],
  ['a kernel for sev-es without a hash table', 'sev-es', ['--ovmf', X64, '--vcpus', '1', '--vcpu-type', 'EPYC', '--kernel', EMPTY], /no SEV hash table/],
];

for (const [what, mode, argv, message] of REFUSED) {
  test(`measure ${mode} refuses ${what}: exit 2, no digest, text and JSON`, async () => {
    const text = await run(mode, argv);
    assert.equal(text.code, 2);
    assert.equal(text.out, '');
    assert.match(text.err, message);
    const json = await run(mode, [...argv, '--format', 'json']);
    assert.equal(json.code, 2);
    const j = JSON.parse(json.out);
    assert.equal(j.measurement, undefined);
    assert.match(j.errors[0].message, message);
    assert.ok(['USAGE_ERROR', 'MALFORMED_EVIDENCE'].includes(j.errors[0].code));
  });
}

test('an unreadable OVMF is FILE_UNREADABLE, exit 2', async () => {
  const r = await run('snp', ['--ovmf', join(DIR, 'missing.fd'), '--vcpus', '1', '--vcpu-type', 'EPYC', '--format', 'json']);
  assert.equal(r.code, 2);
  assert.equal(JSON.parse(r.out).errors[0].code, 'FILE_UNREADABLE');
});
