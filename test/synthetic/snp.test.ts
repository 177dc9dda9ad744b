import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { issueCrl, newKey, issueCert } from './test-pki.js';
import { snpPki, SNP_AT, DEFAULT_SNP } from './snp-pki.js';
import type { SnpSpec } from './snp-pki.js';

async function run(
  spec: SnpSpec = DEFAULT_SNP,
  extra: (p: Awaited<ReturnType<typeof snpPki>>) => Promise<{ name: string; bytes: Uint8Array }[]> = async () => [],
): Promise<VerificationResult> {
  const p = await snpPki(spec);
  const files = [{ name: 'vek.der', bytes: p.vek.der }, ...(await extra(p))];
  return createVerifier({ roots: { intel: [], amd: [p.ark.der, p.ask.der] } }).verify(p.report, files, { at: SNP_AT });
}

const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)?.status;
const year = (y: number) => new Date(`${y}-01-01T00:00:00Z`);

test('baseline: the re-signed report verifies under the test ARK; no CRL is a visible warning', async () => {
  const r = await run();
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(status(r, 'snp.crl'), 'warn');
  assert.equal(r.appraisal.tier, 'warning');
});

test('a current CRL from the ARK that lists nothing passes', async () => {
  const r = await run(DEFAULT_SNP, async (p) => [
    { name: 'crl.der', bytes: await issueCrl(p.ark, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [] }) },
  ]);
  assert.equal(r.verdict, 'verified');
  assert.equal(status(r, 'snp.crl'), 'pass');
  assert.ok(!r.notEstablished.includes('revocation'));
  // Still not affirming: nothing compared the TCB with a minimum (DESIGN.md: NotEvaluated, tcb-currency).
  assert.equal(r.tcb?.status, 'NotEvaluated');
  assert.deepEqual(
    r.notEstablished.filter((g) => g === 'tcb-currency'),
    ['tcb-currency'],
  );
  assert.equal(r.appraisal.tier, 'warning');
});

for (const [who, serial] of [
  ['VCEK', '0c'],
  ['ASK', '0b'],
] as const) {
  test(`the ARK's CRL revoking the ${who}: CERT_REVOKED`, async () => {
    const r = await run(DEFAULT_SNP, async (p) => [
      { name: 'crl.der', bytes: await issueCrl(p.ark, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [serial] }) },
    ]);
    assert.equal(r.verdict, 'rejected');
    assert.equal(r.errors[0]?.code, 'CERT_REVOKED');
    assert.equal(status(r, 'snp.crl'), 'fail');
  });
}

test('an expired CRL: COLLATERAL_EXPIRED', async () => {
  const r = await run(DEFAULT_SNP, async (p) => [
    { name: 'crl.der', bytes: await issueCrl(p.ark, { thisUpdate: year(2022), nextUpdate: year(2023), revoked: [] }) },
  ]);
  assert.equal(r.errors[0]?.code, 'COLLATERAL_EXPIRED');
});

test("a CRL with the ARK's name but another key: COLLATERAL_SIGNATURE_INVALID", async () => {
  const r = await run(DEFAULT_SNP, async (_p) => {
    const impostor = await issueCert({ cn: 'ARK-Milan', key: await newKey(), serial: '0a', ca: true, notBefore: year(2020), notAfter: year(2040) });
    return [{ name: 'crl.der', bytes: await issueCrl(impostor, { thisUpdate: year(2024), nextUpdate: year(2025), revoked: [] }) }];
  });
  assert.equal(r.errors[0]?.code, 'COLLATERAL_SIGNATURE_INVALID');
});

test('VCEK SPLs other than REPORTED_TCB: TCB_MISMATCH', async () => {
  const r = await run({ ...DEFAULT_SNP, spl: { bl: 3, tee: 0, snp: 9, ucode: 115 } });
  assert.equal(r.errors[0]?.code, 'TCB_MISMATCH');
  assert.equal(status(r, 'snp.tcb.match'), 'fail');
});

test('a VCEK for another chip: TCB_MISMATCH on snp.chip-id, unless the guest masked CHIP_ID', async () => {
  const other = new Uint8Array(64).fill(7);
  const r = await run({ ...DEFAULT_SNP, hwId: other });
  assert.equal(r.errors[0]?.code, 'TCB_MISMATCH');
  assert.equal(status(r, 'snp.chip-id'), 'fail');
  const masked = await run({ ...DEFAULT_SNP, hwId: other, keyInfo: 2 });
  assert.equal(status(masked, 'snp.chip-id'), 'skip');
  assert.equal(masked.verdict, 'verified');
});

test('VLEK: verified through the ASVK without a chip binding; a VLEK for a VCEK-signed report is refused', async () => {
  const vlek = await run({ ...DEFAULT_SNP, kind: 'VLEK', keyInfo: 4 });
  assert.equal(vlek.verdict, 'verified', JSON.stringify(vlek.errors));
  assert.equal(vlek.claims.signingKey, 'vlek');
  assert.equal(status(vlek, 'snp.chip-id'), 'skip');
  const wrong = await run({ ...DEFAULT_SNP, kind: 'VLEK' });
  assert.equal(wrong.verdict, 'rejected');
  assert.equal(status(wrong, 'snp.vek.kind'), 'fail');
});

test('the test chain is refused under the real pinned AMD roots', async () => {
  const p = await snpPki();
  const r = await createVerifier().verify(p.report, [{ name: 'vek.der', bytes: p.vek.der }], { at: SNP_AT });
  assert.equal(r.errors[0]?.code, 'CERT_CHAIN_INVALID');
});

test('reserved fields in the signed range: those go-sev-guest refuses are MALFORMED_EVIDENCE, 0x1F8 before v5 a warning', async () => {
  for (const [edit, name] of [
    [(b: Uint8Array) => (b[0x4c] = 1), 'reserved 0x4C'],
    [(b: Uint8Array) => (b[0x1eb] = 1), 'reserved 0x1EB'],
    [(b: Uint8Array) => (b[0x29f] = 1), 'reserved 0x208'],
  ] as const) {
    const r = await run({ ...DEFAULT_SNP, edit });
    assert.equal(status(r, 'snp.report.signature'), 'pass', name);
    assert.deepEqual(
      r.errors.map((e) => [e.code, e.check]),
      [['MALFORMED_EVIDENCE', 'snp.report.reserved']],
      name,
    );
    assert.match(r.errors[0]!.message, new RegExp(name));
  }
  const tolerated = await run({ ...DEFAULT_SNP, edit: (b) => (b[0x1f8] = 1) });
  assert.equal(tolerated.verdict, 'verified', JSON.stringify(tolerated.errors));
  assert.equal(status(tolerated, 'snp.report.reserved'), 'warn');
});
