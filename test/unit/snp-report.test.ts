import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnpReport, SNP_REPORT_SIZE } from '../../app/tee/snp/report.js';
import { describeSnp } from '../../app/tee/snp/describe.js';
import { snpModule } from '../../app/tee/snp/module.js';
import { tcbReservedNonZero } from '../../app/tee/snp/tcb.js';
import { ParseError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';

/** ATTESTATION_REPORT layout (SEV-SNP ABI spec, cross-checked with go-sev-guest abi.ReportToProto). */
function synthetic(version: number): Uint8Array {
  const b = Uint8Array.from({ length: SNP_REPORT_SIZE }, (_, i) => (i * 7 + 3) & 0xff);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, version, true);
  dv.setUint32(0x34, 1, true);
  b.fill(0, 0x2d0, 0x2e8);
  b.fill(0, 0x318, 0x330);
  return b;
}

const OFFSETS: [field: string, offset: number, length: number][] = [
  ['familyId', 0x10, 16],
  ['imageId', 0x20, 16],
  ['currentTcb', 0x38, 8],
  ['reportData', 0x50, 64],
  ['measurement', 0x90, 48],
  ['hostData', 0xc0, 32],
  ['idKeyDigest', 0xe0, 48],
  ['authorKeyDigest', 0x110, 48],
  ['reportId', 0x140, 32],
  ['reportIdMa', 0x160, 32],
  ['reportedTcb', 0x180, 8],
  ['chipId', 0x1a0, 64],
  ['committedTcb', 0x1e0, 8],
  ['launchTcb', 0x1f0, 8],
  ['signed', 0, 0x2a0],
];

test('every byte field sits at its ABI offset and length', () => {
  const b = synthetic(3);
  const r = parseSnpReport(b) as unknown as Record<string, Uint8Array>;
  for (const [field, offset, length] of OFFSETS) {
    assert.equal(r[field]!.byteOffset, offset, field);
    assert.equal(r[field]!.length, length, field);
  }
});

test('integer fields: little-endian at their offsets; CPUID bytes only from version 3; build/minor/major bytes', () => {
  const b = synthetic(3);
  const r = parseSnpReport(b);
  const dv = new DataView(b.buffer);
  assert.equal(r.guestSvn, dv.getUint32(0x04, true));
  assert.equal(r.policy, dv.getBigUint64(0x08, true));
  assert.equal(r.vmpl, dv.getUint32(0x30, true));
  assert.equal(r.platformInfo, dv.getBigUint64(0x40, true));
  assert.equal(r.keyInfo, dv.getUint32(0x48, true));
  assert.deepEqual(r.cpuid, { family: b[0x188], model: b[0x189], stepping: b[0x18a] });
  assert.deepEqual(r.current, { build: b[0x1e8], minor: b[0x1e9], major: b[0x1ea] });
  assert.deepEqual(r.committed, { build: b[0x1ec], minor: b[0x1ed], major: b[0x1ee] });
  assert.equal(parseSnpReport(synthetic(2)).cpuid, undefined);
});

test('the signature: 72-byte little-endian R and S become big-endian 48-byte r || s', () => {
  const b = synthetic(2);
  const r = parseSnpReport(b);
  for (let j = 0; j < 48; j++) {
    assert.equal(r.signature[j], b[0x2a0 + 47 - j]);
    assert.equal(r.signature[48 + j], b[0x2e8 + 47 - j]);
  }
});

test('parse errors name the field and its offset', () => {
  const cases: [Uint8Array, string, number][] = [];
  cases.push([vectorBytes('snp/trustee-milan-vcek.report').subarray(0, 1183), 'report', 0]);
  const v4 = synthetic(4);
  cases.push([v4, 'version', 0]);
  const algo = synthetic(2);
  algo[0x34] = 2;
  cases.push([algo, 'signatureAlgo', 0x34]);
  const r = synthetic(2);
  r[0x2d0] = 1;
  cases.push([r, 'signature.r', 0x2d0]);
  const s = synthetic(2);
  s[0x32f] = 1;
  cases.push([s, 'signature.s', 0x318]);
  for (const [bytes, field, offset] of cases) {
    assert.throws(
      () => parseSnpReport(bytes),
      (e: unknown) => e instanceof ParseError && e.code === 'MALFORMED_EVIDENCE' && e.detail.field === field && e.detail.offset === offset,
      field,
    );
  }
});

test('reserved fields: each named when not as the ABI requires', () => {
  const clean = () => {
    const b = synthetic(3);
    b.fill(0, 0x4c, 0x50);
    b.fill(0, 0x18b, 0x1a0);
    b[0x1eb] = 0;
    b[0x1ef] = 0;
    b.fill(0, 0x1f8, 0x2a0);
    b.fill(0, 0x330);
    new DataView(b.buffer).setBigUint64(0x08, 0x30000n, true);
    new DataView(b.buffer).setUint32(0x48, 0, true);
    return b;
  };
  assert.deepEqual(parseSnpReport(clean()).nonZeroReserved, []);
  const expect = (edit: (b: Uint8Array, dv: DataView) => void, name: string) => {
    const b = clean();
    edit(b, new DataView(b.buffer));
    assert.deepEqual(parseSnpReport(b).nonZeroReserved, [name]);
  };
  expect((_, dv) => dv.setBigUint64(0x08, 0x10000n, true), 'POLICY bit 17 (must be one)');
  expect((_, dv) => dv.setBigUint64(0x08, 0x4030000n, true), 'POLICY bits 26-63');
  expect((_, dv) => dv.setUint32(0x48, 0x20, true), 'KEY_INFO bits 5-31');
  expect((b) => (b[0x4e] = 1), 'reserved 0x4C');
  expect((b) => (b[0x19f] = 1), 'reserved 0x18B');
  expect((b) => (b[0x1eb] = 1), 'reserved 0x1EB');
  expect((b) => (b[0x1ef] = 1), 'reserved 0x1EF');
  expect((b) => (b[0x29f] = 1), 'reserved 0x208');
  expect((b) => (b[0x207] = 1), 'reserved 0x1F8');
  expect((b) => (b[0x49f] = 1), 'signature reserved');
  const v2 = clean();
  v2[0] = 2;
  v2[0x188] = 0x19;
  assert.deepEqual(parseSnpReport(v2).nonZeroReserved, ['reserved 0x188'], 'CPUID bytes are reserved before version 3');
});

test('version 5: LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR are fields, not reserved', () => {
  const b = synthetic(5);
  b.fill(0, 0x208, 0x2a0);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0x1f8, 3n, true);
  dv.setBigUint64(0x200, 0x1234n, true);
  const r = parseSnpReport(b);
  assert.deepEqual(r.mitigations, { launch: 3n, current: 0x1234n });
  assert.ok(!r.nonZeroReserved.includes('reserved 0x1F8'));
  const f = describeSnp(r, 'Genoa');
  assert.equal(f.launchMitVector, '0x3');
  assert.equal(f.currentMitVector, '0x1234');
});

test('TCB_VERSION reserved bytes depend on the product: Milan/Genoa 2-5, Turin 4-6', () => {
  const turinTcb = Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 9]);
  assert.equal(tcbReservedNonZero(turinTcb, 'Turin'), false);
  assert.equal(tcbReservedNonZero(turinTcb, 'Milan'), true, 'TEE and SNP bytes of Turin are reserved on Milan');
  assert.equal(tcbReservedNonZero(Uint8Array.from([3, 0, 0, 0, 0, 0, 8, 115]), 'Milan'), false);
  assert.equal(tcbReservedNonZero(Uint8Array.from([3, 0, 0, 0, 0, 1, 8, 115]), 'Genoa'), true);
});

test('detect: real reports and unsupported versions reach the parser; short inputs, DCAP quotes and non-zero signature padding do not', () => {
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  assert.equal(snpModule.detect(report), true);
  assert.equal(snpModule.detect(synthetic(4)), true, 'VERSION 4 gets a precise snp.report.format failure');
  assert.equal(snpModule.detect(report.subarray(0, SNP_REPORT_SIZE - 1)), false);
  const padded = report.slice();
  padded[0x2e0] = 1;
  assert.equal(snpModule.detect(padded), false);
  assert.equal(snpModule.detect(vectorBytes('tdx/dcapqvl-v4.quote')), false);
  const zero = report.slice();
  zero.fill(0, 0, 4);
  assert.equal(snpModule.detect(zero), false, 'VERSION 0');
});
