import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { decodeTcb, tcbAtLeast, productFromCpuid, productFromName } from '../../app/tee/snp/tcb.js';
import { keyInfoOf, policyBits } from '../../app/tee/snp/report.js';
import { vcekUrl } from '../../app/tee/snp/kds-urls.js';

test("pinned AMD roots: fingerprints, names, and every ASK/ASVK is issued by its product's ARK", () => {
  assert.deepEqual(AMD_ROOTS.map((r) => r.cn).sort(), [
    'ARK-Genoa',
    'ARK-Milan',
    'ARK-Turin',
    'SEV-Genoa',
    'SEV-Milan',
    'SEV-Turin',
    'SEV-VLEK-Genoa',
    'SEV-VLEK-Milan',
    'SEV-VLEK-Turin',
  ]);
  for (const r of AMD_ROOTS) {
    assert.equal(createHash('sha256').update(r.der).digest('hex'), r.sha256, r.cn);
    const cert = parseCertificate(r.der);
    assert.equal(cert.subject.cn, r.cn);
    assert.equal(cert.issuer.cn, `ARK-${productFromName(r.cn)}`);
  }
});

test('TCB_VERSION layouts: Milan/Genoa vs Turin (FMC SPL)', () => {
  const b = Uint8Array.from([0x0a, 0x01, 0, 0, 0, 0, 0x17, 0x54]);
  assert.deepEqual(decodeTcb(b, 'Genoa'), { bootloader: 10, tee: 1, snp: 23, microcode: 84, raw: '0x541700000000010a' });
  const t = Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 9]);
  assert.deepEqual(decodeTcb(t, 'Turin'), { fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 9, raw: '0x0900000004030201' });
  assert.equal(tcbAtLeast(decodeTcb(t, 'Turin'), decodeTcb(Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 8]), 'Turin')), true);
  assert.equal(tcbAtLeast(decodeTcb(t, 'Turin'), decodeTcb(Uint8Array.from([2, 2, 3, 4, 0, 0, 0, 8]), 'Turin')), false, 'FMC counts on Turin');
});

test('product from CPUID and from names', () => {
  assert.equal(productFromCpuid(0x19, 0x01), 'Milan');
  assert.equal(productFromCpuid(0x19, 0x11), 'Genoa');
  assert.equal(productFromCpuid(0x19, 0xa1), 'Genoa', 'Bergamo/Siena use the Genoa keys');
  assert.equal(productFromCpuid(0x1a, 0x02), 'Turin');
  assert.equal(productFromCpuid(0x1a, 0x11), 'Turin', 'Turin dense');
  assert.equal(productFromCpuid(0x19, 0x21), undefined, 'a client Zen 3 model names no SEV-SNP product');
  assert.equal(productFromCpuid(0x17, 0x31), undefined);
  assert.equal(productFromName('Milan-B0'), 'Milan');
  assert.equal(productFromName('SEV-VLEK-Turin'), 'Turin');
});

test('policy and key info bits', () => {
  assert.deepEqual(policyBits(0x3001fn), {
    abiMinor: 31,
    abiMajor: 0,
    smt: true,
    reserved17: true,
    migrateMa: false,
    debug: false,
    singleSocket: false,
    cxlAllow: false,
    memAes256Xts: false,
    raplDis: false,
    ciphertextHiding: false,
    pageSwapDisable: false,
  });
  assert.equal(policyBits(0xb0000n).debug, true);
  assert.deepEqual(keyInfoOf(0), { authorKeyEn: false, maskChipKey: false, signingKey: 'VCEK' });
  assert.deepEqual(keyInfoOf(0b111), { authorKeyEn: true, maskChipKey: true, signingKey: 'VLEK' });
  assert.equal(keyInfoOf(7 << 2).signingKey, 'NONE');
});

test('KDS VCEK URLs: full hwID for Milan, 8 bytes and FMC SPL for Turin', () => {
  const chip = Uint8Array.from({ length: 64 }, (_, i) => i);
  const tcb = { bootloader: 3, tee: 0, snp: 8, microcode: 115, raw: '' };
  assert.match(vcekUrl('Milan', chip, tcb), /\/vcek\/v1\/Milan\/000102[0-9a-f]{122}\?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115$/);
  assert.equal(
    vcekUrl('Turin', chip, { ...tcb, fmc: 2 }),
    'https://kdsintf.amd.com/vcek/v1/Turin/0001020304050607?fmcSPL=2&blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115',
  );
});

test('an AMD certificate table (SNP_GET_EXT_REPORT) is accepted as collateral, in either GUID byte order', async () => {
  const { createVerifier } = await import('../../app/verifier.js');
  const { vectorBytes } = await import('../support/vectors.js');
  const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
  const guid = (hex: string, efi: boolean) => {
    const b = Buffer.from(hex, 'hex');
    return efi ? Buffer.concat([b.subarray(0, 4).reverse(), b.subarray(4, 6).reverse(), b.subarray(6, 8).reverse(), b.subarray(8)]) : b;
  };
  for (const efi of [false, true]) {
    const header = Buffer.alloc(48);
    guid('63da758de6644564adc5f4b93be8accd', efi).copy(header, 0);
    header.writeUInt32LE(48, 16);
    header.writeUInt32LE(vcek.length, 20);
    const table = new Uint8Array(Buffer.concat([header, vcek]));
    const r = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'certs.bin', bytes: table }], {
      at: new Date('2024-07-03T13:10:40Z'),
    });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
    assert.deepEqual(r.collateral, [{ name: 'certs.bin', kinds: ['cert-table:VCEK'] }]);
    const bad = table.slice();
    new DataView(bad.buffer).setUint32(20, 1 << 30, true);
    const rb = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'certs.bin', bytes: bad }], {
      at: new Date('2024-07-03T13:10:40Z'),
    });
    const input = rb.inputs.find((i) => i.name === 'certs.bin');
    assert.deepEqual([input?.role, rb.errors[0]?.code], ['unused', 'COLLATERAL_MISSING'], JSON.stringify(input));
    assert.match(input?.note ?? '', /certTable\[0\]/, 'the note names the broken entry');
  }
});

test('version 5 reports parse (mitigation vectors at 0x1F8 are not reserved); the altered version breaks the signature', async () => {
  const { readFileSync } = await import('node:fs');
  const { VECTORS_DIR } = await import('../support/vectors.js');
  const { parseSnpReport } = await import('../../app/tee/snp/report.js');
  const doc = JSON.parse(readFileSync(VECTORS_DIR + 'azure/snp-genoa-evidence.json', 'utf8')) as { report: number[] };
  const v5 = Uint8Array.from(doc.report).slice(32, 32 + 0x4a0);
  v5[0] = 5;
  v5[0x1f8] = 0x03; // LAUNCH_MIT_VECTOR
  const parsed = parseSnpReport(v5);
  assert.equal(parsed.version, 5);
  assert.deepEqual(parsed.nonZeroReserved, []);
  const v3 = v5.slice();
  v3[0] = 3;
  assert.deepEqual(parseSnpReport(v3).nonZeroReserved, ['reserved 0x1F8'], 'in v3 the same bytes are reserved');
});
