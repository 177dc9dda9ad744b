import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { measureSnp, parseOvmf, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import { isTeeError } from '../../app/errors.js';
import type { ErrorCode } from '../../app/errors.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/sev-snp-measure/${name}`, import.meta.url)));
const AMD = fixture('ovmf_AmdSev_suffix.bin');
const X64 = fixture('ovmf_OvmfX64_suffix.bin');
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const setU32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);

/** Where the ASEV header of an image starts (its offset from the end is the metadata entry's u32). */
const asevAt = (img: Uint8Array) => img.length - u32(parseOvmf(img).table.get('dc886566-984a-4798-a75e-5585a7bf67cc')!, 0);

test('the AmdSev fixture: footer entries and the seven SEV metadata sections sev-snp-measure reads', () => {
  const o = parseOvmf(AMD);
  assert.equal(o.gpa, 0xfffff000);
  assert.deepEqual([...o.table.keys()].sort(), [
    '00f771de-1a7e-4fcb-890e-68c77e2fb44e',
    '4c2eb361-7d9b-4cc3-8081-127c90d3d294',
    '7255371f-3a3b-4b04-927b-1da6efa8d454',
    'dc886566-984a-4798-a75e-5585a7bf67cc',
    'e47a6535-984a-4798-865e-4685a7bf8ec2',
  ]);
  assert.equal(u32(o.table.get('00f771de-1a7e-4fcb-890e-68c77e2fb44e')!, 0), 0x80b004); // SEV-ES reset block
  assert.equal(u32(o.table.get('7255371f-3a3b-4b04-927b-1da6efa8d454')!, 0), 0x810c00); // SEV hash table GPA
  assert.deepEqual(
    o.sections.map((s) => [s.type, s.gpa, s.size]),
    [
      ['SNP_SEC_MEM', 0x800000, 0x9000],
      ['SNP_SEC_MEM', 0x80a000, 0x3000],
      ['SNP_SECRETS', 0x80d000, 0x1000],
      ['CPUID', 0x80e000, 0x1000],
      ['SVSM_CAA', 0x80f000, 0x1000],
      ['SNP_KERNEL_HASHES', 0x810000, 0x1000],
      ['SNP_SEC_MEM', 0x811000, 0xf000],
    ],
  );
  assert.ok(!parseOvmf(X64).sections.some((s) => s.type === 'SNP_KERNEL_HASHES'));
});

function rejects(img: Uint8Array, code: ErrorCode, message: RegExp) {
  assert.throws(
    () => measureSnp({ ovmf: img, vcpus: 2, vcpuSig: VCPU_SIGS['EPYC-v4']!, vmm: 'qemu', guestFeatures: 1n }),
    (e) => isTeeError(e) && e.code === code && message.test(e.message),
  );
}

test('an unknown SEV metadata section type is a clear UNSUPPORTED_EVIDENCE error, not a crash', () => {
  const img = AMD.slice();
  setU32(img, asevAt(img) + 16 + 8, 0x20); // first section's type
  rejects(img, 'UNSUPPORTED_EVIDENCE', /section 0 has type 0x20, unknown to this tool/);
});

test('malformed images are MALFORMED_EVIDENCE naming what is wrong', () => {
  rejects(AMD.subarray(0, 4000), 'MALFORMED_EVIDENCE', /whole number of 4 KiB pages/);
  const sig = AMD.slice();
  sig[asevAt(sig)] = 0x42;
  rejects(sig, 'MALFORMED_EVIDENCE', /signature is not "ASEV"/);
  const count = AMD.slice();
  setU32(count, asevAt(count) + 12, 0x10000000);
  rejects(count, 'MALFORMED_EVIDENCE', /does not fit the image/);
  const size = AMD.slice();
  setU32(size, asevAt(size) + 16 + 4, 0x1234); // section 0 not whole pages
  rejects(size, 'MALFORMED_EVIDENCE', /not whole pages/);
  const huge = AMD.slice();
  setU32(huge, asevAt(huge) + 16 + 4, 0xfffff000);
  rejects(huge, 'MALFORMED_EVIDENCE', /claims 4294963200 bytes/);
  const footer = AMD.slice();
  new DataView(footer.buffer).setUint16(footer.length - 32 - 18, 0xffff, true); // footer table longer than the image before it
  rejects(footer, 'MALFORMED_EVIDENCE', /footer table claims/);
});

test('an image without the footer table has no SEV-ES reset block and cannot be launched as SEV-ES or SNP', () => {
  rejects(new Uint8Array(8192), 'MALFORMED_EVIDENCE', /no SEV-ES reset block/);
});

const DEBIAN = '/usr/share/ovmf/OVMF.fd';
const debianSkip = existsSync(DEBIAN) ? false : `${DEBIAN} is absent (Debian package ovmf)`;
if (debianSkip) console.warn(`\n*** SKIPPED: real OVMF test: ${debianSkip} ***\n`);

test("Debian's full-size OVMF.fd parses: SEV metadata without SNP_KERNEL_HASHES, so a kernel is refused", { skip: debianSkip }, () => {
  const img = new Uint8Array(readFileSync(DEBIAN));
  const o = parseOvmf(img);
  assert.equal(o.gpa, 0x1_0000_0000 - img.length);
  assert.ok(o.sections.some((s) => s.type === 'SNP_SECRETS') && o.sections.some((s) => s.type === 'CPUID'));
  const m = measureSnp({ ovmf: img, vcpus: 2, vcpuSig: VCPU_SIGS['EPYC-Milan']!, vmm: 'qemu', guestFeatures: 1n });
  assert.match(m.measurement, /^[0-9a-f]{96}$/);
  assert.throws(
    () => measureSnp({ ovmf: img, vcpus: 2, vcpuSig: VCPU_SIGS['EPYC-Milan']!, vmm: 'qemu', guestFeatures: 1n, kernel: { kernel: new Uint8Array(1) } }),
    (e) => isTeeError(e) && e.code === 'USAGE_ERROR',
  );
});

test('speed: a 4 MiB OVMF measures in well under a second (target under 100 ms with node:crypto SHA-384)', () => {
  const img = new Uint8Array(4 << 20);
  img.set(AMD, img.length - AMD.length);
  const sha384 = (b: Uint8Array) => new Uint8Array(createHash('sha384').update(b).digest());
  measureSnp({ ovmf: img, vcpus: 4, vcpuSig: VCPU_SIGS['EPYC-v4']!, vmm: 'qemu', guestFeatures: 1n, sha384 }); // warm up
  const t = performance.now();
  measureSnp({ ovmf: img, vcpus: 4, vcpuSig: VCPU_SIGS['EPYC-v4']!, vmm: 'qemu', guestFeatures: 1n, sha384 });
  const ms = performance.now() - t;
  console.log(`bench: measure snp ovmf=4MiB ms=${ms.toFixed(1)}`);
  assert.ok(ms < 1000, `${ms} ms`); // generous bound for loaded CI machines; the figure is printed
});
