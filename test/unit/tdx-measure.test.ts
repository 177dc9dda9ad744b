import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { measureTdx, parseTdvf, computeMrtd } from '../../app/tee/tdx/measure/index.js';
import { MAX_MEASURED_PAGES } from '../../app/tee/tdx/measure/mrtd.js';
import { TeeError } from '../../app/errors.js';
import { buildTdvf, sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';
import type { SyntheticSection } from '../fixtures/tdx-measure/build-tdvf.js';

// Debian 12 `ovmf` 2022.11-6+deb12u2; expected values from test/fixtures/tdx-measure/PROVENANCE.md.
const OVMF_FD = '/usr/share/ovmf/OVMF.fd';
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE.fd';
const OVMF_CODE_4M = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const KNOWN = {
  sha256: '7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773',
  single: '4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47',
  twoPass: 'acccbcc870a381adab0d3919d90a7f268ac3b0364771f202ed4bb4e892d045b33db3b32e6924cba830a724eed443f7e1',
};

function realImage(path: string): Uint8Array | string {
  if (!existsSync(path)) return `SKIPPED: ${path} is absent (install Debian's "ovmf" package to run the real-image MRTD test)`;
  return new Uint8Array(readFileSync(path));
}

function skipLoudly(t: { skip(msg: string): void }, why: string): void {
  console.warn(`\n*** ${why} ***\n`);
  t.skip(why);
}

test('Debian OVMF.fd: MRTD in both page-add orders matches the independently computed values', (t) => {
  const image = realImage(OVMF_FD);
  if (typeof image === 'string') return skipLoudly(t, image);
  const sha = createHash('sha256').update(image).digest('hex');
  if (sha !== KNOWN.sha256) return skipLoudly(t, `SKIPPED: ${OVMF_FD} is not the Debian 2022.11-6+deb12u2 build the known answers are for (sha256 ${sha})`);
  assert.equal(measureTdx(image, 'single').mrTd, KNOWN.single);
  assert.equal(measureTdx(image, 'two-pass').mrTd, KNOWN.twoPass);
  const sections = measureTdx(image, 'single').sections;
  assert.deepEqual(
    sections.map((s) => `${s.type}@${s.memoryAddress}:${s.measured}`),
    ['BFV@0xffe20000:extended', 'CFV@0xffe00000:added', 'TempMem@0x810000:added', 'TempMem@0x80b000:added', 'TD_HOB@0x809000:added', 'TempMem@0x800000:added'],
  );
});

test('OVMF_CODE.fd alone: TDVF metadata points past its end and is refused, no digest', (t) => {
  const image = realImage(OVMF_CODE);
  if (typeof image === 'string') return skipLoudly(t, image);
  assert.throws(
    () => measureTdx(image, 'single'),
    (e: TeeError) => e.code === 'MALFORMED_EVIDENCE' && e.detail.field === 'dataOffset' && /past the end/.test(e.message),
  );
});

test('OVMF_CODE_4M.fd (built without TDX): refused as having no TDX metadata', (t) => {
  const image = realImage(OVMF_CODE_4M);
  if (typeof image === 'string') return skipLoudly(t, image);
  assert.throws(
    () => measureTdx(image, 'single'),
    (e: TeeError) => e.detail.field === 'tdxMetadataGuid',
  );
});

test('page-add order changes MRTD when an extended section has more than one page', () => {
  const image = sampleTdvf();
  assert.notEqual(measureTdx(image, 'single').mrTd, measureTdx(image, 'two-pass').mrTd);
});

test('PAGE.AUG pages are not in MRTD; added-only contents are not either; extended contents are', () => {
  const base = measureTdx(sampleTdvf(), 'single').mrTd;
  const sections = parseTdvf(sampleTdvf());
  assert.equal(sections[4]!.type, 'PermMem');
  const withoutAug = buildTdvf(
    new Uint8Array(0x3000).map((_, i) => (i * 7 + 3) & 0xff),
    toSynthetic(sections.slice(0, 4)),
  );
  assert.equal(measureTdx(withoutAug, 'single').mrTd, base, 'the PAGE.AUG section contributes nothing');
  const cfvChanged = sampleTdvf((i) => (i < 0x1000 ? 0xee : (i * 7 + 3) & 0xff));
  assert.equal(measureTdx(cfvChanged, 'single').mrTd, base, 'CFV bytes (not MR.EXTEND) are not measured');
  const bfvChanged = sampleTdvf((i) => (i === 0x2345 ? 0 : (i * 7 + 3) & 0xff));
  assert.notEqual(measureTdx(bfvChanged, 'single').mrTd, base, 'one BFV byte changes MRTD');
});

test('an extended section whose raw data is shorter than its memory is measured zero-padded', () => {
  const data = new Uint8Array(0x1000).fill(0xab);
  const short = buildTdvf(data, [{ dataOffset: 0, rawDataSize: 0x1000, memoryAddress: 0x100000, memoryDataSize: 0x2000, type: 0, attributes: 1 }]);
  const full = new Uint8Array(0x2000);
  full.fill(0xab, 0, 0x1000);
  const padded = buildTdvf(full, [{ dataOffset: 0, rawDataSize: 0x2000, memoryAddress: 0x100000, memoryDataSize: 0x2000, type: 0, attributes: 1 }]);
  assert.equal(measureTdx(short, 'single').mrTd, measureTdx(padded, 'single').mrTd);
});

function toSynthetic(sections: ReturnType<typeof parseTdvf>): SyntheticSection[] {
  return sections.map((s) => ({ ...s, type: ['BFV', 'CFV', 'TD_HOB', 'TempMem', 'PermMem', 'Payload', 'PayloadParam'].indexOf(s.type) }));
}

const one = (s: Partial<SyntheticSection>): SyntheticSection => ({
  dataOffset: 0,
  rawDataSize: 0x1000,
  memoryAddress: 0x100000,
  memoryDataSize: 0x1000,
  type: 0,
  attributes: 1,
  ...s,
});
const refusals: [string, () => Uint8Array, string][] = [
  ['no footer', () => new Uint8Array(0x1000), 'tableFooterGuid'],
  ['too short to hold a footer', () => new Uint8Array(10), 'tableFooterGuid'],
  ['unknown section type', () => buildTdvf(new Uint8Array(0x1000), [one({ type: 7 })]), 'type'],
  ['unknown attribute bit', () => buildTdvf(new Uint8Array(0x1000), [one({ attributes: 4 })]), 'attributes'],
  ['MR.EXTEND together with PAGE.AUG', () => buildTdvf(new Uint8Array(0x1000), [one({ attributes: 3 })]), 'attributes'],
  ['unaligned address', () => buildTdvf(new Uint8Array(0x1000), [one({ memoryAddress: 0x100010 })]), 'memoryAddress'],
  ['raw data larger than memory', () => buildTdvf(new Uint8Array(0x2000), [one({ rawDataSize: 0x2000 })]), 'rawDataSize'],
  ['data past the end', () => buildTdvf(new Uint8Array(0x1000), [one({ dataOffset: 0x100000 })]), 'dataOffset'],
  ['address beyond 52 bits', () => buildTdvf(new Uint8Array(0x1000), [one({ memoryAddress: 2 ** 53 })]), 'memoryAddress'],
  [
    'overlapping sections',
    () => buildTdvf(new Uint8Array(0x1000), [one({}), one({ type: 3, attributes: 0, rawDataSize: 0, memoryDataSize: 0x2000 })]),
    'memoryAddress',
  ],
];

for (const [name, image, field] of refusals) {
  test(`refused with a ParseError naming the field: ${name}`, () => {
    assert.throws(
      () => measureTdx(image(), 'single'),
      (e: TeeError) => e instanceof TeeError && e.code === 'MALFORMED_EVIDENCE' && e.detail.field === field,
    );
  });
}

test('descriptor corruptions: bad signature, version 2, section count beyond the bound', () => {
  const image = sampleTdvf();
  const at = image.length - new DataView(image.buffer).getUint32(image.length - 0x32 - 18 - 4, true);
  const corrupt = (off: number, value: number, field: string) => {
    const copy = image.slice();
    new DataView(copy.buffer).setUint32(at + off, value, true);
    assert.throws(
      () => parseTdvf(copy),
      (e: TeeError) => e.detail.field === field,
      field,
    );
  };
  corrupt(0, 0x46564454 + 1, 'signature');
  corrupt(8, 2, 'version');
  corrupt(12, 65, 'numberOfSectionEntry');
  corrupt(4, 17, 'length');
});

test('more added pages than the work bound is refused before hashing', () => {
  const image = buildTdvf(new Uint8Array(0), [one({ rawDataSize: 0, attributes: 0, type: 3, memoryDataSize: (MAX_MEASURED_PAGES + 1) * 0x1000 })]);
  const sections = parseTdvf(image);
  assert.throws(
    () => computeMrtd(image, sections, 'single'),
    (e: TeeError) => e.code === 'MALFORMED_EVIDENCE' && /at most/.test(e.message),
  );
});
