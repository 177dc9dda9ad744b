import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { ModuleState } from '../../app/tee/state.js';
import { PkiCache } from '../../app/pki/cache.js';
import { loadCollateral } from '../../app/collateral/load.js';
import { snpModule } from '../../app/tee/snp/module.js';
import { hwIdProblem } from '../../app/tee/snp/chip-id.js';
import { issueCrl, issueCert, newKey } from '../synthetic/test-pki.js';
import { snpPki, SNP_AT, DEFAULT_SNP, REAL_CHIP_ID } from '../synthetic/snp-pki.js';
import type { SnpSpec, SnpTestPki } from '../synthetic/snp-pki.js';

/**
 * Which collateral the SEV-SNP checks rely on, with the AMD-like test PKI: the VCEK's hwID at full
 * length, CRLs from no CA of the chain, and several VCEKs or CRLs given in either order.
 */
type File = { name: string; bytes: Uint8Array };
const year = (y: number, m = 1) => new Date(Date.UTC(y, m - 1, 1));
const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id);

async function verify(p: SnpTestPki, files: File[]): Promise<VerificationResult> {
  return createVerifier({ roots: { intel: [], amd: [p.ark.der, p.ask.der] } }).verify(p.report, files, { at: SNP_AT });
}

/** The module itself, to see which collateral items it marked as used. */
async function used(p: SnpTestPki, files: File[]): Promise<{ used: Set<object>; names: (o: object) => string | undefined }> {
  const crypto = webCryptoProvider();
  const cache = new PkiCache(crypto);
  const set = loadCollateral(files, cache);
  const env = {
    at: SNP_AT.getTime(),
    crypto,
    cache,
    roots: { intel: [], amd: [cache.cert(p.ark.der), cache.cert(p.ask.der)], tpm: [] },
    state: new ModuleState(cache),
    used: new Set<object>(),
  };
  await snpModule.verify({ primary: p.report, parts: [] }, set, env);
  const owner = new Map<object, string>();
  files.forEach((f, i) => {
    const one = loadCollateral([f], cache);
    for (const item of [...one.certs, ...one.crls.map((c) => c.crl)]) owner.set(item, files[i]!.name);
  });
  return { used: env.used, names: (o) => owner.get(o) };
}

const usedNames = async (p: SnpTestPki, files: File[]) => {
  const u = await used(p, files);
  return [...u.used].map(u.names).filter(Boolean).sort();
};

for (const [what, hwId] of [
  ['an empty', new Uint8Array(0)],
  ['a 1-byte', REAL_CHIP_ID.slice(0, 1)],
  ['a 63-byte', REAL_CHIP_ID.slice(0, 63)],
] as const) {
  test(`a VCEK with ${what} hwID is TCB_MISMATCH on snp.chip-id, not a prefix match`, async () => {
    const p = await snpPki({ ...DEFAULT_SNP, hwId });
    const r = await verify(p, [{ name: 'vcek.der', bytes: p.vek.der }]);
    assert.equal(r.verdict, 'rejected');
    assert.equal(status(r, 'snp.chip-id')?.status, 'fail');
    assert.equal(status(r, 'snp.chip-id')?.code, 'TCB_MISMATCH');
    assert.match(status(r, 'snp.chip-id')!.explain, new RegExp(`hwID is ${hwId.length} bytes; a Milan VCEK's is 64`));
  });
}

test('the full 64-byte hwID passes; MASK_CHIP_KEY and an all-zero CHIP_ID (MASK_CHIP_ID) skip the binding', async () => {
  const p = await snpPki();
  assert.equal(status(await verify(p, [{ name: 'vcek.der', bytes: p.vek.der }]), 'snp.chip-id')?.status, 'pass');
  const masked = await snpPki({ ...DEFAULT_SNP, hwId: new Uint8Array(0), keyInfo: 2 });
  assert.equal(status(await verify(masked, [{ name: 'vcek.der', bytes: masked.vek.der }]), 'snp.chip-id')?.status, 'skip');
  const zero = await snpPki({ ...DEFAULT_SNP, edit: (b) => b.fill(0, 0x1a0, 0x1e0) });
  const z = await verify(zero, [{ name: 'vcek.der', bytes: zero.vek.der }]);
  assert.equal(z.verdict, 'verified', JSON.stringify(z.errors));
  assert.match(status(z, 'snp.chip-id')!.explain, /MASK_CHIP_ID/);
});

test('Turin: an 8-byte hwID equal to CHIP_ID[0:8], with CHIP_ID[8:64] zero', () => {
  const hw = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const chip = new Uint8Array(64);
  chip.set(hw);
  assert.equal(hwIdProblem(hw, chip, 'Turin'), undefined);
  assert.match(hwIdProblem(chip, chip, 'Turin')!, /64 bytes; a Turin VCEK's is 8/);
  assert.match(hwIdProblem(hw.subarray(0, 7), chip, 'Turin')!, /7 bytes/);
  const tail = chip.slice();
  tail[40] = 1;
  assert.match(hwIdProblem(hw, tail, 'Turin')!, /CHIP_ID bytes 8-63 are not zero/);
  assert.match(hwIdProblem(hw, chip, 'Milan')!, /8 bytes; a Milan VCEK's is 64/);
  assert.match(hwIdProblem(undefined, chip, 'Milan')!, /no hwID extension/);
});

/** A CRL from the test ARK, its issuer name altered by one bit (in "ARK-Milan"), which also breaks its signature. */
function flipIssuerBit(crl: Uint8Array): Uint8Array {
  const out = crl.slice();
  const at = Buffer.from(out).indexOf('ARK-Milan');
  assert.ok(at > 0);
  out[at + 8] = out[at + 8]! ^ 1;
  return out;
}

test('a CRL whose issuer is no CA of the chain is COLLATERAL_MISMATCH naming that issuer, not silently dropped', async () => {
  const p = await snpPki();
  const good = await issueCrl(p.ark, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [p.vek.serialHex] });
  const flipped = await verify(p, [
    { name: 'vcek.der', bytes: p.vek.der },
    { name: 'crl.der', bytes: flipIssuerBit(good) },
  ]);
  assert.equal(flipped.verdict, 'rejected');
  assert.deepEqual(
    flipped.errors.map((e) => [e.code, e.check]),
    [['COLLATERAL_MISMATCH', 'snp.crl']],
  );
  assert.match(flipped.errors[0]!.message, /crl\.der is issued by "CN=ARK-Milao[^"]*", which is no CA of this report's chain/);
  const other = await issueCert({ cn: 'ARK-Genoa', key: await newKey(), serial: '0a', ca: true, notBefore: year(2020), notAfter: year(2040) });
  const genoa = await verify(p, [
    { name: 'vcek.der', bytes: p.vek.der },
    { name: 'genoa.crl', bytes: await issueCrl(other, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [] }) },
  ]);
  assert.equal(status(genoa, 'snp.crl')?.code, 'COLLATERAL_MISMATCH');
  assert.match(status(genoa, 'snp.crl')!.explain, /ARK-Genoa/);
});

test('no CRL at all stays a warning that leaves revocation unestablished (gap)', async () => {
  const p = await snpPki();
  const r = await verify(p, [{ name: 'vcek.der', bytes: p.vek.der }]);
  assert.equal(r.verdict, 'verified');
  assert.equal(status(r, 'snp.crl')?.status, 'warn');
  assert.equal(status(r, 'snp.crl')?.gap, 'revocation');
  assert.ok(r.notEstablished.includes('revocation'));
});

async function twoVceks(): Promise<{ p: SnpTestPki; old: File; current: File }> {
  const expired: SnpSpec = { ...DEFAULT_SNP, vekSerial: '0d', vekValidity: { notBefore: year(2019), notAfter: year(2023) } };
  const p = await snpPki();
  const e = await snpPki(expired);
  return { p, old: { name: 'old-vcek.der', bytes: e.vek.der }, current: { name: 'vcek.der', bytes: p.vek.der } };
}

test('two VCEKs for the report: the one valid at `at` is used, in either order', async () => {
  const { p, old, current } = await twoVceks();
  for (const files of [
    [old, current],
    [current, old],
  ]) {
    const r = await verify(p, files);
    assert.equal(r.verdict, 'verified', `${files.map((f) => f.name)}: ${JSON.stringify(r.errors)}`);
    assert.deepEqual(await usedNames(p, files), ['vcek.der'], 'only the chosen VCEK is used');
    assert.deepEqual(
      r.inputs
        .filter((i) => i.role !== 'evidence')
        .map((i) => [i.name, i.role])
        .sort(),
      [
        ['old-vcek.der', 'unused'],
        ['vcek.der', 'collateral'],
      ],
    );
  }
});

test('two VCEKs both valid: the newest (latest notBefore) is used, in either order', async () => {
  const p = await snpPki();
  const newer = await snpPki({ ...DEFAULT_SNP, vekSerial: '0e', vekValidity: { notBefore: year(2024), notAfter: year(2040) } });
  const a = { name: 'vcek-2020.der', bytes: p.vek.der };
  const b = { name: 'vcek-2024.der', bytes: newer.vek.der };
  for (const files of [
    [a, b],
    [b, a],
  ])
    assert.deepEqual(await usedNames(p, files), ['vcek-2024.der']);
});

test('two CRLs from the ARK, one stale: the current one is used, in either order; a revocation in any current one counts', async () => {
  const p = await snpPki();
  const vcek = { name: 'vcek.der', bytes: p.vek.der };
  const stale = { name: 'stale.crl', bytes: await issueCrl(p.ark, { thisUpdate: year(2022), nextUpdate: year(2023), revoked: [] }) };
  const current = { name: 'current.crl', bytes: await issueCrl(p.ark, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [] }) };
  for (const crls of [
    [stale, current],
    [current, stale],
  ]) {
    const r = await verify(p, [vcek, ...crls]);
    assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
    assert.equal(status(r, 'snp.crl')?.status, 'pass');
    assert.deepEqual(await usedNames(p, [vcek, ...crls]), ['current.crl', 'vcek.der']);
  }
  const revoking = { name: 'revoking.crl', bytes: await issueCrl(p.ark, { thisUpdate: year(2024, 3), nextUpdate: year(2025), revoked: [p.vek.serialHex] }) };
  for (const crls of [
    [revoking, current],
    [current, revoking],
  ]) {
    assert.equal(status(await verify(p, [vcek, ...crls]), 'snp.crl')?.code, 'CERT_REVOKED');
  }
  const r = await verify(p, [vcek, stale]);
  assert.equal(status(r, 'snp.crl')?.code, 'COLLATERAL_EXPIRED', "with no current CRL, the newest one's problem is the failure");
});
