import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { authenticodeDigest, authenticodeRanges, parsePeLayout } from '../../app/pe/index.js';
import { TeeError } from '../../app/errors.js';
import { buildPe } from '../fixtures/tdx-measure/build-pe.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('hashed ranges: headers less CheckSum and the certificate directory, sections in file order, trailer less the certificate table', () => {
  const pe = buildPe();
  assert.deepEqual(authenticodeRanges(pe.bytes), [
    [0, pe.checksumAt],
    [pe.checksumAt + 4, pe.certDirAt],
    [pe.certDirAt + 8, pe.sizeOfHeaders],
    ...pe.sections,
    pe.trailer,
  ]);
});

test('the digest is SHA-256 / SHA-384 of exactly those ranges, worked out here with node:crypto', () => {
  const pe = buildPe();
  for (const alg of ['sha256', 'sha384'] as const) {
    const h = createHash(alg);
    for (const [a, b] of [[0, pe.checksumAt], [pe.checksumAt + 4, pe.certDirAt], [pe.certDirAt + 8, pe.sizeOfHeaders], ...pe.sections, pe.trailer])
      h.update(pe.bytes.subarray(a!, b!));
    assert.equal(hex(authenticodeDigest(pe.bytes, alg)), h.digest('hex'), alg);
  }
});

test('CheckSum, certificate directory and certificate bytes do not change the digest; a section byte does', () => {
  const pe = buildPe();
  const base = hex(authenticodeDigest(pe.bytes, 'sha384'));
  const poke = (at: number) => {
    const copy = pe.bytes.slice();
    copy[at] = copy[at]! ^ 0xff;
    return hex(authenticodeDigest(copy, 'sha384'));
  };
  assert.equal(poke(pe.checksumAt + 1), base);
  assert.equal(poke(pe.cert.offset + 3), base);
  assert.notEqual(poke(pe.sections[0]![0] + 7), base);
  assert.notEqual(poke(pe.trailer[0]), base);
  assert.notEqual(poke(4), base);
});

test('an unsigned image (no certificate table) hashes up to its end', () => {
  const pe = buildPe({ certSize: 0 });
  const ranges = authenticodeRanges(pe.bytes);
  assert.deepEqual(ranges.at(-1), [0x500, pe.bytes.length]);
});

const mutations: [string, (b: Uint8Array, dv: DataView) => void, string][] = [
  ['no MZ', (b) => (b[0] = 0), 'e_magic'],
  ['e_lfanew past the end', (_, dv) => dv.setUint32(0x3c, 0xfffffff0, true), 'COFF header'],
  ['no PE signature', (b) => (b[0x80] = 0), 'e_lfanew'],
  ['too many sections', (_, dv) => dv.setUint16(0x86, 97, true), 'NumberOfSections'],
  ['bad optional header magic', (_, dv) => dv.setUint16(0x98, 0x107, true), 'Magic'],
  ['optional header too short', (_, dv) => dv.setUint16(0x94, 8, true), 'SizeOfOptionalHeader'],
  ['SizeOfHeaders beyond the file', (_, dv) => dv.setUint32(0x98 + 60, 0x7fffffff, true), 'SizeOfHeaders'],
  ['section past the end', (_, dv) => dv.setUint32(0x98 + 240 + 16, 0x100000, true), 'PointerToRawData'],
  ['certificate table outside the file', (_, dv) => dv.setUint32(0x98 + 112 + 36, 0x100000, true), 'CertificateTable'],
];

for (const [name, mutate, field] of mutations) {
  test(`malformed PE refused with a ParseError naming the field: ${name}`, () => {
    const b = buildPe().bytes.slice();
    mutate(b, new DataView(b.buffer));
    assert.throws(
      () => authenticodeDigest(b, 'sha256'),
      (e: TeeError) => e instanceof TeeError && e.code === 'MALFORMED_EVIDENCE' && (e.detail.field === field || e.message.includes(field)),
    );
  });
}

test('truncations of a valid image never throw anything but a TeeError', () => {
  const b = buildPe().bytes;
  for (let n = 0; n < b.length; n += 7) {
    try {
      parsePeLayout(b.subarray(0, n));
      authenticodeDigest(b.subarray(0, n), 'sha256');
    } catch (e) {
      assert.ok(e instanceof TeeError, `length ${n}: ${String(e)}`);
    }
  }
});
