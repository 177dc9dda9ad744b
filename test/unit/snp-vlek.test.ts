import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { parseVek } from '../../app/tee/snp/vek.js';
import { toHex } from '../../app/bytes/hex.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { vectorBytes } from '../support/vectors.js';
import { VLEK_REPORT, VLEK_CERT, LEGACY_VCEK } from './snp-fixtures.js';
import type { VerificationResult } from '../../app/report/result.js';

/** A real VLEK-signed Milan report (trustee's test data): the ASVK path, no chip binding, an OutOfDate TCB. */
const at = new Date('2025-06-01T00:00:00Z');
const vlek = [{ name: 'vlek.der', bytes: VLEK_CERT }];
const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)?.status;
const roots = (...cns: string[]) => ({ intel: [], amd: AMD_ROOTS.filter((r) => cns.includes(r.cn)).map((r) => r.der) });

test('a VLEK-signed report verifies through the pinned SEV-VLEK-Milan (ASVK) and ARK-Milan', async () => {
  const r = await createVerifier().verify(VLEK_REPORT, vlek, { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.cryptoValid, true);
  assert.equal(r.format, 'snp-report-v3');
  assert.equal(r.claims.signingKey, 'vlek');
  assert.equal(status(r, 'snp.vek.kind'), 'pass');
  assert.equal(status(r, 'snp.chip-id'), 'skip', 'a VLEK is not bound to one chip');
  assert.deepEqual(
    { cn: (r.fields.endorsementKey as Record<string, unknown>).cn, issuerCn: (r.fields.endorsementKey as Record<string, unknown>).issuerCn },
    { cn: 'SEV-VLEK', issuerCn: 'SEV-VLEK-Milan' },
  );
  assert.equal(r.fields.product, 'Milan');
  assert.equal(r.fields.cpuidFamId, '0x19');
});

test('its REPORTED_TCB (microcode 217) is below the COMMITTED_TCB (219): a warning, TCB currency not evaluated, still verified', async () => {
  const r = await createVerifier().verify(VLEK_REPORT, vlek, { at });
  assert.equal(r.tcb?.status, 'NotEvaluated');
  assert.deepEqual(r.tcb?.advisories, []);
  assert.equal(status(r, 'snp.tcb.status'), 'warn');
  assert.match(r.checks.find((c) => c.id === 'snp.tcb.status')!.explain, /below the committed TCB \(0xdb18000000000004\) in microcode/);
  assert.equal(r.appraisal.tier, 'warning');
});

test("a VLEK needs the ASVK: with only the VCEK chain (ASK + ARK) or another product's ASVK it is CERT_CHAIN_INVALID", async () => {
  for (const store of [roots('SEV-Milan', 'ARK-Milan'), roots('SEV-VLEK-Genoa', 'ARK-Genoa')]) {
    const r = await createVerifier({ roots: store }).verify(VLEK_REPORT, vlek, { at });
    assert.equal(r.errors[0]?.code, 'CERT_CHAIN_INVALID', JSON.stringify(r.errors));
    assert.equal(r.cryptoValid, false);
  }
});

test("after the VLEK's notAfter (2025-12-10): CERT_EXPIRED; without it: COLLATERAL_MISSING naming the cloud provider", async () => {
  const late = await createVerifier().verify(VLEK_REPORT, vlek, { at: new Date('2026-01-01T00:00:00Z') });
  assert.equal(late.errors[0]?.code, 'CERT_EXPIRED');
  assert.equal(late.cryptoValid, true);
  const none = await createVerifier().verify(VLEK_REPORT, [], { at });
  assert.equal(none.errors[0]?.code, 'COLLATERAL_MISSING');
  assert.match(none.errors[0]!.message, /VLEK \(from the cloud provider\)/);
});

test('a VCEK offered for a VLEK-signed report: the signature fails and snp.vek.kind says why', async () => {
  const r = await createVerifier().verify(VLEK_REPORT, [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }], {
    at: new Date('2025-06-01T00:00:00Z'),
  });
  assert.equal(r.errors[0]?.code, 'REPORT_SIGNATURE_INVALID');
  assert.equal(status(r, 'snp.vek.kind'), 'fail');
  assert.match(r.checks.find((c) => c.id === 'snp.vek.kind')!.explain, /signed with the VLEK, but the certificate supplied is a VCEK/);
});

test('when both a VCEK and the VLEK are offered, the kind KEY_INFO names is used', async () => {
  const both = [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }, ...vlek];
  const r = await createVerifier().verify(VLEK_REPORT, both, { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
});

test('a VLEK in an SNP_GET_EXT_REPORT certificate table (VLEK GUID) is found', async () => {
  const header = Buffer.alloc(48);
  Buffer.from('a8074bc2a25a483eaae639c045a0b8a1', 'hex').copy(header, 0);
  header.writeUInt32LE(48, 16);
  header.writeUInt32LE(VLEK_CERT.length, 20);
  const r = await createVerifier().verify(VLEK_REPORT, [{ name: 'certs.bin', bytes: new Uint8Array(Buffer.concat([header, VLEK_CERT])) }], { at });
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.collateral, [{ name: 'certs.bin', kinds: ['cert-table:VLEK'] }]);
});

test('VEK extensions: the VLEK (no hwID, productName "Milan") and a legacy VCEK whose hwID is 64 raw bytes', () => {
  const v = parseVek(parseCertificate(VLEK_CERT));
  assert.equal(v.kind, 'VLEK');
  assert.equal(v.productName, 'Milan');
  assert.equal(v.product, 'Milan');
  assert.equal(v.hwId, undefined);
  assert.deepEqual(v.tcb, { bootloader: 4, tee: 0, snp: 24, microcode: 217 });
  const legacy = parseVek(parseCertificate(LEGACY_VCEK));
  assert.equal(legacy.kind, 'VCEK');
  assert.equal(legacy.productName, 'Milan-B0');
  assert.equal(toHex(legacy.hwId!), Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(2, '0')).join(''));
  assert.deepEqual(legacy.tcb, { bootloader: 3, tee: 0, snp: 10, microcode: 169 }, 'ucodeSPL is INTEGER 0x00A9');
});

test('the legacy VCEK (signature broken upstream) does not chain', async () => {
  const r = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'legacy.der', bytes: LEGACY_VCEK }], {
    at: new Date('2024-07-03T13:10:40Z'),
  });
  assert.equal(r.errors[0]?.code, 'CERT_CHAIN_INVALID');
  assert.equal(status(r, 'snp.tcb.status'), 'skip', 'no TCB status for keys that are not authentic');
});
