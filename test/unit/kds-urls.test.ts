import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vcekUrl, certChainUrl, crlUrl, parseKdsUrl, kdsHwid } from '../../app/tee/snp/kds-urls.js';
import type { KdsRequest } from '../../app/tee/snp/kds-urls.js';
import { snpCollateralNeeds } from '../../app/tee/snp/needs.js';
import type { SnpAtHand } from '../../app/tee/snp/needs.js';
import { decodeTcb, SNP_PRODUCTS } from '../../app/tee/snp/tcb.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { vectorBytes } from '../support/vectors.js';
import { prng } from '../support/prng.js';
import { VLEK_REPORT } from './snp-fixtures.js';

const KDS = 'https://kdsintf.amd.com';
const PINNED: SnpAtHand = { veks: [], cas: AMD_ROOTS.map((r) => r.cn), crlIssuers: [] };
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

test('Milan: the URL go-sev-guest fetches for its recorded report (verify_test.go), built from the report itself', () => {
  const report = vectorBytes('snp/gosevguest-milan-vcek-debug.report');
  const { needs } = snpCollateralNeeds(report, { product: 'Milan', have: PINNED });
  const want = `${KDS}/vcek/v1/Milan/3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68`;
  assert.deepEqual(
    needs.map((n) => n.url),
    [want, `${KDS}/vcek/v1/Milan/crl`],
  );
  const chip = new Uint8Array(64);
  chip[0] = 0xfe;
  chip[63] = 0xc0;
  // go-sev-guest kds_test.go TestVCEKCertURL.
  assert.equal(
    vcekUrl('Milan', chip, { bootloader: 0, tee: 0, snp: 0, microcode: 0 }),
    `${KDS}/vcek/v1/Milan/fe${'00'.repeat(62)}c0?blSPL=0&teeSPL=0&snpSPL=0&ucodeSPL=0`,
  );
});

test('Turin (57230, TCB structure version 1): 8-byte hwID = CHIP_ID[0..8], and fmcSPL from TCB_VERSION byte 0', () => {
  // The Turin case of go-sev-guest PR #193: TCB 0x5200000004010101, hwID 6bb1229b7692b710.
  const tcb = decodeTcb(hex('0101010400000052'), 'Turin');
  assert.deepEqual({ ...tcb, raw: undefined }, { fmc: 1, bootloader: 1, tee: 1, snp: 4, microcode: 82, raw: undefined });
  const chipId = new Uint8Array(64);
  chipId.set(hex('6bb1229b7692b710'));
  const url = vcekUrl('Turin', chipId, tcb);
  assert.equal(url, `${KDS}/vcek/v1/Turin/6bb1229b7692b710?fmcSPL=1&blSPL=1&teeSPL=1&snpSPL=4&ucodeSPL=82`);
  assert.equal(vcekUrl('Turin', chipId.subarray(0, 8), tcb), url, 'an 8-byte KDS hwID gives the same URL');
  const want: KdsRequest = { item: 'vcek', product: 'Turin', hwid: hex('6bb1229b7692b710'), tcb: { fmc: 1, bootloader: 1, tee: 1, snp: 4, microcode: 82 } };
  assert.deepEqual(parseKdsUrl(url), want);
  // KDS reads the parameters by name: the order go-sev-guest uses (fmcSPL last) is the same request.
  assert.deepEqual(parseKdsUrl(`${KDS}/vcek/v1/Turin/6bb1229b7692b710?blSPL=1&teeSPL=1&snpSPL=4&ucodeSPL=82&fmcSPL=1`), want);
  assert.equal(kdsHwid('Genoa', chipId).length, 64);
});

test('cert_chain and CRL URLs for each product and key, on any base', () => {
  for (const product of SNP_PRODUCTS) {
    for (const key of ['vcek', 'vlek'] as const) {
      assert.equal(certChainUrl(product, key), `${KDS}/${key}/v1/${product}/cert_chain`);
      assert.equal(crlUrl(product, key, 'https://127.0.0.1:8443'), `https://127.0.0.1:8443/${key}/v1/${product}/crl`);
      assert.deepEqual(parseKdsUrl(crlUrl(product, key)), { item: 'crl', key, product });
      assert.deepEqual(parseKdsUrl(`/${key}/v1/${product}/cert_chain`), { item: 'cert_chain', key, product });
    }
  }
});

test('builder and parser are inverses over random chips and TCBs', () => {
  const rnd = prng(5);
  for (let i = 0; i < 200; i++) {
    const product = SNP_PRODUCTS[rnd.int(3)]!;
    const chip = rnd.bytes(64);
    const tcb = decodeTcb(rnd.bytes(8), product);
    const parsed = parseKdsUrl(vcekUrl(product, chip, tcb, 'https://127.0.0.1:1'));
    const { raw: _raw, ...spl } = tcb;
    assert.deepEqual(parsed, { item: 'vcek', product, hwid: kdsHwid(product, chip), tcb: spl });
  }
});

test('the parser refuses what KDS would not serve', () => {
  const milan = `/vcek/v1/Milan/${'ab'.repeat(64)}`;
  const turin = `/vcek/v1/Turin/${'ab'.repeat(8)}`;
  const spl = 'blSPL=1&teeSPL=2&snpSPL=3&ucodeSPL=4';
  assert.ok(parseKdsUrl(`${milan}?${spl}`) && parseKdsUrl(`${turin}?fmcSPL=0&${spl}`));
  for (const bad of [
    `/vcek/v1/Turin/${'ab'.repeat(64)}?fmcSPL=0&${spl}`, // Turin with a 64-byte hwID
    `/vcek/v1/Milan/${'ab'.repeat(8)}?${spl}`, // Milan with an 8-byte one
    `${turin}?${spl}`, // Turin without fmcSPL
    `${milan}?fmcSPL=0&${spl}`, // fmcSPL where the product has no FMC
    `${milan}?${spl}&blSPL=1`, // a parameter twice
    `${milan}?${spl.replace('4', '256')}`,
    `${milan}?${spl.replace('4', '-4')}`,
    `${milan}?${spl.replace('4', '0x4')}`,
    `${milan}?${spl}&spl4=0`,
    `${milan}?blSPL=1&teeSPL=2&snpSPL=3`,
    `${milan.toUpperCase().replace('/VCEK/V1/MILAN/', '/vcek/v1/Milan/')}?${spl}`, // upper-case hex
    `/vlek/v1/Milan/${'ab'.repeat(64)}?${spl}`, // VLEKs are not fetched by hwID
    `/vcek/v1/Venice/${'ab'.repeat(8)}?${spl}`,
    `/vcek/v2/Milan/cert_chain`,
    `/vcek/v1/Milan/cert_chain?x=1`,
    `/vcek/v1/Milan/crl/extra`,
    `/vcek/v1/milan/crl`,
    `/tdx/certification/v4/qe/identity`,
  ])
    assert.equal(parseKdsUrl(bad), undefined, bad);
});

test('the need builder asks KDS only for what is neither pinned nor supplied', () => {
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  const kinds = (have: SnpAtHand, product = 'Milan') => snpCollateralNeeds(report, { product, have }).needs.map((n) => n.kind);
  assert.deepEqual(kinds(PINNED), ['vcek', 'amd-crl'], 'the ASK is pinned: no cert_chain');
  assert.deepEqual(kinds({ ...PINNED, cas: ['ARK-Milan'] }), ['cert-chain', 'vcek', 'amd-crl'], 'an unpinned ASK is fetched first');
  assert.deepEqual(kinds({ ...PINNED, cas: ['ARK-Milan', 'SEV-Milan'] }), ['vcek', 'amd-crl'], 'a supplied ASK counts');
  assert.deepEqual(kinds({ ...PINNED, veks: ['VCEK'], crlIssuers: ['ARK-Milan'] }), []);
  assert.deepEqual(
    kinds({ ...PINNED, veks: ['VLEK'], crlIssuers: ['ARK-Genoa'] }),
    ['vcek', 'amd-crl'],
    "a VLEK or another product's CRL is not what this report needs",
  );
  assert.equal(snpCollateralNeeds(report, { product: 'Milan' }).needs[0]?.url, `${KDS}/vcek/v1/Milan/cert_chain`, 'nothing at hand: the chain too');
});

test('a VLEK report: never a VCEK request; the VLEK CRL and, if unpinned, the ASVK chain; the VLEK itself comes from the cloud provider', () => {
  const none = snpCollateralNeeds(VLEK_REPORT, { have: PINNED });
  assert.deepEqual(
    none.needs.map((n) => n.url),
    [`${KDS}/vlek/v1/Milan/crl`],
    'a v3 report names its product (CPUID)',
  );
  assert.equal(none.missing.length, 1);
  assert.match(none.missing[0]!, /VLEK, which the cloud provider supplies \(in the SNP certificate table/);
  assert.deepEqual(snpCollateralNeeds(VLEK_REPORT, { have: { ...PINNED, veks: ['VLEK'] } }).missing, []);
  const unpinned = snpCollateralNeeds(VLEK_REPORT, { have: { ...PINNED, cas: ['ARK-Milan', 'SEV-Milan'], veks: ['VLEK'] } });
  assert.deepEqual(
    unpinned.needs.map((n) => n.url),
    [`${KDS}/vlek/v1/Milan/cert_chain`, `${KDS}/vlek/v1/Milan/crl`],
    'the ASK does not sign VLEKs',
  );
});

test('what KDS cannot give is said: no product, an unknown product, a masked CHIP_ID, no signing key', () => {
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  assert.match(snpCollateralNeeds(report, { have: PINNED }).missing[0]!, /does not name its AMD product \(Milan, Genoa or Turin\): supply its VCEK/);
  // The supplied VCEK names the product (its issuer SEV-Milan): then the right CRL is asked for.
  const withVcek = snpCollateralNeeds(report, { have: { ...PINNED, veks: ['VCEK'], vekProducts: ['Milan'] } });
  assert.deepEqual(withVcek.missing, []);
  assert.deepEqual(
    withVcek.needs.map((n) => n.url),
    [`${KDS}/vcek/v1/Milan/crl`],
  );
  const two = snpCollateralNeeds(report, { have: { ...PINNED, veks: ['VCEK'], vekProducts: ['Milan', 'Genoa'] } });
  assert.equal(two.needs.length, 0, 'VCEKs of two products name none');
  assert.match(snpCollateralNeeds(report, { product: 'Venice', have: PINNED }).missing[0]!, /unknown AMD product "Venice"/);
  const masked = report.slice();
  masked.fill(0, 0x1a0, 0x1e0);
  const m = snpCollateralNeeds(masked, { product: 'Genoa', have: PINNED });
  assert.deepEqual(
    m.needs.map((n) => n.kind),
    ['amd-crl'],
  );
  assert.match(m.missing[0]!, /CHIP_ID is all zeros \(MASK_CHIP_ID/);
  const unsigned = report.slice();
  new DataView(unsigned.buffer).setUint32(0x48, 7 << 2, true);
  assert.deepEqual(snpCollateralNeeds(unsigned, { product: 'Milan', have: PINNED }), { needs: [], missing: [] });
});

test('a Turin report (v3, CPUID family 1Ah) asks for the 8-byte hwID with its FMC SPL', () => {
  const report = vectorBytes('snp/trustee-milan-vcek.report').slice();
  report[0] = 3;
  report.set([0x1a, 0x02, 0x00], 0x188);
  report.set([1, 2, 3, 4, 0, 0, 0, 9], 0x180);
  report.fill(0, 0x1a0, 0x1e0);
  report.set(hex('1122334455667788'), 0x1a0);
  const { needs } = snpCollateralNeeds(report, { product: 'Milan', have: PINNED });
  assert.deepEqual(
    needs.map((n) => n.url),
    [`${KDS}/vcek/v1/Turin/1122334455667788?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=9`, `${KDS}/vcek/v1/Turin/crl`],
    'CPUID outranks --product',
  );
});
