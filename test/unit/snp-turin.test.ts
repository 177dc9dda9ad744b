import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import { createVerifier } from '../../app/verifier.js';
import { issueCert, newKey } from '../synthetic/test-pki.js';
import type { Issued } from '../synthetic/test-pki.js';
import { vectorBytes } from '../support/vectors.js';
import type { VerificationResult } from '../../app/report/result.js';

/**
 * No public Turin vector exists, so this builds a Turin-like one: a test ARK/ASK (the chain code is
 * algorithm-agnostic), a P-384 VCEK with productName "Turin-B0", fmcSPL (1.3.6.1.4.1.3704.1.3.9) and an
 * 8-byte hwID, and a version 3 report with CPUID family 1Ah and the Turin TCB_VERSION layout
 * (byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode), signed by that VCEK.
 */
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const at = new Date('2025-06-01T00:00:00Z');
const validity = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
const AMD = '1.3.6.1.4.1.3704.1';
const HWID = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
const TCB = Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 9]);

interface Spec {
  arkCn?: string;
  product?: string;
  spl?: { fmc: number; bl: number; tee: number; snp: number; ucode: number };
}

const ext = (oid: string, v: asn1js.AsnType) => new pkijs.Extension({ extnID: oid, critical: false, extnValue: v.toBER(false) });

async function turin(spec: Spec = {}): Promise<{ ark: Issued; ask: Issued; vcek: Issued; report: Uint8Array }> {
  const spl = spec.spl ?? { fmc: 1, bl: 2, tee: 3, snp: 4, ucode: 9 };
  const ark = await issueCert({ cn: spec.arkCn ?? 'ARK-Turin', key: await newKey(), serial: '0a', ca: true, ...validity });
  const ask = await issueCert({ cn: 'SEV-Turin', key: await newKey(), issuer: ark, serial: '0b', ca: true, ...validity });
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const point = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const extra = [
    ext(`${AMD}.2`, new asn1js.IA5String({ value: spec.product ?? 'Turin-B0' })),
    ...(
      [
        ['3.9', spl.fmc],
        ['3.1', spl.bl],
        ['3.2', spl.tee],
        ['3.3', spl.snp],
        ['3.8', spl.ucode],
      ] as const
    ).map(([o, v]) => ext(`${AMD}.${o}`, new asn1js.Integer({ value: v }))),
    ext(`${AMD}.4`, new asn1js.OctetString({ valueHex: HWID.slice().buffer })),
  ];
  const vcek = await issueCert({ cn: 'SEV-VCEK', key: { ...pair, point }, issuer: ask, serial: '0c', ca: false, extra, ...validity });
  const report = vectorBytes('snp/trustee-milan-vcek.report').slice();
  report[0] = 3;
  report.set([0x1a, 0x02, 0x00], 0x188);
  for (const o of [0x38, 0x180, 0x1e0, 0x1f0]) report.set(TCB, o);
  report.fill(0, 0x1a0, 0x1e0);
  report.set(HWID, 0x1a0);
  const sig = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, pair.privateKey, report.slice(0, 0x2a0)));
  report.fill(0, 0x2a0);
  for (let i = 0; i < 48; i++) {
    report[0x2a0 + i] = sig[47 - i]!;
    report[0x2e8 + i] = sig[95 - i]!;
  }
  return { ark, ask, vcek, report };
}

async function run(spec?: Spec, withVcek = true): Promise<VerificationResult> {
  const p = await turin(spec);
  const verifier = createVerifier({ roots: { intel: [], amd: [p.ark.der, p.ask.der] } });
  return verifier.verify(p.report, withVcek ? [{ name: 'vcek.der', bytes: p.vcek.der }] : [], { at });
}

const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)?.status;

test('Turin: product from CPUID family 1Ah, TCB decoded with FMC, matched against fmcSPL, 8-byte hwID bound to CHIP_ID', async () => {
  const r = await run();
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.fields.product, 'Turin');
  assert.deepEqual(r.claims.reportedTcb, { fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 9, raw: '0x0900000004030201' });
  assert.equal((r.fields.endorsementKey as Record<string, unknown>).fmcSPL, 1);
  assert.equal((r.fields.endorsementKey as Record<string, unknown>).hwId, '1122334455667788');
  assert.equal(status(r, 'snp.chip-id'), 'pass');
  assert.equal(status(r, 'snp.tcb.status'), 'pass');
  assert.equal(
    r.checks.some((c) => c.id === 'snp.report.reserved'),
    false,
    'Turin TCB bytes 1-3 are not reserved on Turin',
  );
});

test('Turin: a VCEK whose fmcSPL differs from REPORTED_TCB is TCB_MISMATCH naming fmc', async () => {
  const r = await run({ spl: { fmc: 2, bl: 2, tee: 3, snp: 4, ucode: 9 } });
  assert.equal(r.errors[0]?.code, 'TCB_MISMATCH');
  assert.match(r.errors[0]!.message, /in fmc/);
});

test('Turin: without the VCEK, the KDS URL uses the 8-byte hwID and fmcSPL', async () => {
  const r = await run({}, false);
  assert.equal(r.errors[0]?.code, 'COLLATERAL_MISSING');
  assert.match(r.errors[0]!.message, /https:\/\/kdsintf\.amd\.com\/vcek\/v1\/Turin\/1122334455667788\?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=9/);
});

test("a chain that verifies but ends at another product's ARK is CERT_CHAIN_INVALID", async () => {
  const r = await run({ arkCn: 'ARK-Genoa' });
  assert.equal(r.errors[0]?.code, 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /ends at ARK-Genoa, the root of AMD Genoa, not of Turin/);
});

test('a Milan VCEK for a report whose CPUID says Turin is CERT_CHAIN_INVALID', async () => {
  const r = await run({ product: 'Milan-B0' });
  assert.equal(r.errors[0]?.code, 'CERT_CHAIN_INVALID');
  assert.match(r.errors[0]!.message, /comes from an AMD Turin CPU, but the VCEK is for Milan/);
});
