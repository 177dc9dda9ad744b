import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { measureSevEs, measureSnp, snpOvmfHash, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import type { KernelInputs, Vmm } from '../../app/tee/snp/measure/index.js';
import { fromHex } from '../../app/bytes/hex.js';
import { isTeeError } from '../../app/errors.js';

/** Every SNP and SEV-ES case of virtee/sev-snp-measure tests/test_guest.py (commit 8f2b337e) that uses the small fixtures. */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/sev-snp-measure/${name}`, import.meta.url)));
const AMD = fixture('ovmf_AmdSev_suffix.bin');
const X64 = fixture('ovmf_OvmfX64_suffix.bin');
const OVMF_HASH = '086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74';
const EPYC_V4 = VCPU_SIGS['EPYC-v4']!;
/** test_guest.py passes /dev/null for kernel and initrd: empty files. */
const devNull = (append: string): KernelInputs => ({ kernel: new Uint8Array(0), initrd: new Uint8Array(0), append });

interface SnpCase {
  name: string;
  ovmf?: Uint8Array;
  vcpus?: number;
  vmm?: Vmm;
  features: bigint;
  kernel?: KernelInputs;
  ovmfHash?: string;
  expected: string;
}

const SNP_CASES: SnpCase[] = [
  {
    name: 'snp_ovmf_hash_gen_default',
    features: 0x21n,
    kernel: devNull(''),
    ovmfHash: OVMF_HASH,
    expected: '329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198',
  },
  {
    name: 'snp_ovmf_hash_gen_feature_snp_only',
    features: 0x1n,
    kernel: devNull(''),
    ovmfHash: OVMF_HASH,
    expected: 'ddc5224521617a536ee7ce9dd6224d1b58a8d4fda1c741f3ac99fc4bfa04ba6e9fc98646d4a07a9079397fa3852819b5',
  },
  {
    name: 'snp_ovmf_hash_full_default',
    features: 0x21n,
    kernel: devNull('console=ttyS0 loglevel=7'),
    ovmfHash: OVMF_HASH,
    expected: '803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977',
  },
  {
    name: 'snp_ovmf_hash_full_feature_snp_only',
    features: 0x1n,
    kernel: devNull('console=ttyS0 loglevel=7'),
    ovmfHash: OVMF_HASH,
    expected: '6d287813eb5222d770f75005c664e34c204f385ce832cc2ce7d0d6f354454362f390ef83a92046c042e706363b4b08fa',
  },
  {
    name: 'snp_ec2_default',
    vmm: 'ec2',
    features: 0x21n,
    kernel: devNull(''),
    expected: '0ce9ccc06bab55eebe8abc234f3df6514883977a68a591b71052498ab52b2f1aa415db338033946ef93aa8278c0d67fb',
  },
  {
    name: 'snp_ec2_feature_snp_only',
    vmm: 'ec2',
    features: 0x1n,
    kernel: devNull(''),
    expected: '0883bd0eeb716e65b7b977a321c278d1e51b33b5c655fab985443bbcc65c086b9c15e8a0bd8811050dec7e24964e5056',
  },
  {
    name: 'snp_gce_default',
    vmm: 'gce',
    features: 0x1n,
    kernel: devNull(''),
    expected: '5da7106cf14cf46b1725ebab123eb9e53bd46a1e9f400cd0c08e7827b04b688ea8b4e403c8404efed4397ea5d5d0722e',
  },
  {
    name: 'snp_gce_with_multiple_vcpus_default',
    vmm: 'gce',
    vcpus: 4,
    features: 0x1n,
    kernel: devNull(''),
    expected: '5c5debf100fc339f90276e761ee1f1658d08922c3b20e2a2e6c7a6c3370b2452a15a00eae11886a93d6fd1e7ab81e29d',
  },
  {
    name: 'snp_default',
    features: 0x21n,
    kernel: devNull('console=ttyS0 loglevel=7'),
    expected: '803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977',
  },
  {
    name: 'snp_guest_feature_snp_only',
    features: 0x1n,
    kernel: devNull('console=ttyS0 loglevel=7'),
    expected: '6d287813eb5222d770f75005c664e34c204f385ce832cc2ce7d0d6f354454362f390ef83a92046c042e706363b4b08fa',
  },
  {
    name: 'snp_without_kernel_default',
    features: 0x21n,
    expected: 'e1e1ca029dd7973ab9513295be68198472dcd4fc834bd9af9b63f6e8a1674dbf281a9278a4a2ebe0eed9f22adbcd0e2b',
  },
  {
    name: 'snp_without_kernel_feature_snp_only',
    features: 0x1n,
    expected: '19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ecabe033c48dd6f6db5d6d76e7c5df632d',
  },
  {
    name: 'snp_with_multiple_vcpus_default',
    vcpus: 4,
    features: 0x21n,
    kernel: devNull(''),
    expected: '4953b1fb416fa874980e8442b3706d345926d5f38879134e00813c5d7abcbe78eafe7b422907be0b4698e2414a631942',
  },
  {
    name: 'snp_with_multiple_vcpus_feature_snp_only',
    vcpus: 4,
    features: 0x1n,
    kernel: devNull(''),
    expected: '5061fffb019493a903613d56d54b94912a1a2f9e4502385f5c194616753720a92441310ba6c4933de877c36e23046ad5',
  },
  {
    name: 'snp_with_ovmfx64_without_default',
    ovmf: X64,
    features: 0x21n,
    expected: '28797ae0afaba4005a81e629acebfb59e6687949d6be44007cd5506823b0dd66f146aaae26ff291eed7b493d8a64c385',
  },
  {
    name: 'snp_with_ovmfx64_without_kernel_feature_snp_only',
    ovmf: X64,
    features: 0x1n,
    expected: 'da0296de8193586a5512078dcd719eccecbd87e2b825ad4148c44f665dc87df21e5b49e21523a9ad993afdb6a30b4005',
  },
];

test('the OVMF pages alone digest as test_snp_ovmf_hash_full_default says', () => {
  assert.equal(snpOvmfHash(AMD), OVMF_HASH);
});

for (const c of SNP_CASES) {
  test(`SNP known answer test_${c.name}`, () => {
    const got = measureSnp({
      ovmf: c.ovmf ?? AMD,
      vcpus: c.vcpus ?? 1,
      // test_guest.py passes no signature for GCE: the VMM ignores it, so any value gives the same digest.
      vcpuSig: c.vmm === 'gce' ? 0 : EPYC_V4,
      vmm: c.vmm ?? 'qemu',
      guestFeatures: c.features,
      ...(c.kernel ? { kernel: c.kernel } : {}),
      ...(c.ovmfHash ? { ovmfHash: fromHex(c.ovmfHash)! } : {}),
    });
    assert.equal(got.measurement, c.expected);
  });
}

test('SNP: a kernel for an OVMF without SNP_KERNEL_HASHES is a clear usage error, no digest (test_snp_with_ovmfx64_and_kernel_should_fail)', () => {
  assert.throws(
    () => measureSnp({ ovmf: X64, vcpus: 1, vcpuSig: EPYC_V4, vmm: 'qemu', guestFeatures: 0x21n, kernel: devNull('') }),
    (e) => isTeeError(e) && e.code === 'USAGE_ERROR' && /no SNP_KERNEL_HASHES section, so a kernel cannot be measured/.test(e.message),
  );
});

test('SEV-ES known answers test_seves and test_seves_with_multiple_vcpus (guest features do not enter SEV-ES)', () => {
  const one = measureSevEs({ ovmf: AMD, vcpus: 1, vcpuSig: EPYC_V4, vmm: 'qemu', kernel: devNull('') });
  assert.equal(one.measurement, '13810ae661ea11e2bb205621f582fee268f0367c8f97bc297b7fadef3e12002c');
  const four = measureSevEs({ ovmf: AMD, vcpus: 4, vcpuSig: EPYC_V4, vmm: 'qemu', kernel: devNull('') });
  assert.equal(four.measurement, '0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91');
});

test('SEV-ES: a kernel for an OVMF without a SEV hash table is a usage error (test_seves_with_ovmfx64_and_kernel_should_fail)', () => {
  // The OvmfX64 build carries the hash table GUID but with GPA 0, as sev-snp-measure's is_sev_hashes_table_supported reads it.
  assert.throws(
    () => measureSevEs({ ovmf: X64, vcpus: 1, vcpuSig: 0, vmm: 'qemu', kernel: devNull('') }),
    (e) => isTeeError(e) && e.code === 'USAGE_ERROR' && /no SEV hash table/.test(e.message),
  );
});

test('each input changes the digest: vCPU type, count, VMM, features, kernel, initrd and command line', () => {
  const base = { ovmf: AMD, vcpus: 2, vcpuSig: EPYC_V4, vmm: 'qemu' as Vmm, guestFeatures: 0x1n, kernel: devNull('a') };
  const variants = [
    base,
    { ...base, vcpuSig: VCPU_SIGS['EPYC-Milan']! },
    { ...base, vcpus: 3 },
    { ...base, vmm: 'ec2' as Vmm },
    { ...base, guestFeatures: 0x21n },
    { ...base, kernel: { ...base.kernel, kernel: new Uint8Array([1]) } },
    { ...base, kernel: { ...base.kernel, initrd: new Uint8Array([1]) } },
    { ...base, kernel: { ...base.kernel, append: 'b' } },
  ];
  const digests = new Set(variants.map((v) => measureSnp(v).measurement));
  assert.equal(digests.size, variants.length);
});

test('an absent command line and an empty one are the same single NUL; an absent initrd is an empty one', () => {
  const base = { ovmf: AMD, vcpus: 1, vcpuSig: EPYC_V4, vmm: 'qemu' as Vmm, guestFeatures: 0x1n };
  const a = measureSnp({ ...base, kernel: { kernel: new Uint8Array(0) } }).measurement;
  assert.equal(a, measureSnp({ ...base, kernel: devNull('') }).measurement);
});

test('EC2 and GCE ignore the vCPU signature (their RDX is fixed)', () => {
  for (const vmm of ['ec2', 'gce'] as const) {
    const m = (vcpuSig: number) => measureSnp({ ovmf: AMD, vcpus: 2, vcpuSig, vmm, guestFeatures: 0x1n }).measurement;
    assert.equal(m(EPYC_V4), m(VCPU_SIGS['EPYC-Turin']!));
  }
});

test('EC2 follows sev-snp-measure 0.0.13 (RDX 0x600), not virtee/sev tests/measurement.rs (RDX 0): see PROVENANCE.md', () => {
  const ec2 = (guestFeatures: bigint) => measureSnp({ ovmf: AMD, vcpus: 1, vcpuSig: EPYC_V4, vmm: 'ec2', guestFeatures, kernel: devNull('') }).measurement;
  const VIRTEE_SEV_EC2 = {
    0x1: '7d3756157c805bf6adf617064c8552e8c1688fa1c8756f11cbf56ba5d25c9270fb69c0505c1cbe1c5c66c0e34c6ed3be',
    0x21: '6ae80856486b1396af8c82a40351d6ed76a20c785e9c7fa4ffa27c22d5d6313b4b3b458cd3c9968e6f89fb5d8450d7a6',
  };
  assert.notEqual(ec2(0x1n), VIRTEE_SEV_EC2[0x1]);
  assert.notEqual(ec2(0x21n), VIRTEE_SEV_EC2[0x21]);
});
