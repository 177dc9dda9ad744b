import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { vectorBytes } from '../support/vectors.js';
import type { VerificationResult } from '../../app/report/result.js';

/**
 * Negatives generated from the verified Milan report: one bit flipped in every byte of the report
 * (the signed region 0x000-0x29F, the signature and its padding, the reserved tail) and of the VCEK.
 */
const at = new Date('2024-07-03T13:10:40Z');
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const verifier = createVerifier();
const collateral = verifier.loadCollateral([{ name: 'vcek.der', bytes: vcek }]);

const flip = (bytes: Uint8Array, i: number) => {
  const out = bytes.slice();
  out[i] = out[i]! ^ (1 << (i % 8));
  return out;
};
const inRange = (i: number, ranges: [number, number][]) => ranges.some(([a, b]) => i >= a && i < b);
const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)?.status;

/** VERSION (0x00) and SIGNATURE_ALGO (0x34): the input is unsupported or not recognised, not a bad signature. */
const FORMAT_FIELDS: [number, number][] = [
  [0x00, 0x04],
  [0x34, 0x38],
];
/** The top 24 bytes of the 72-byte little-endian R and S must be zero for P-384. */
const SIGNATURE_PADDING: [number, number][] = [
  [0x2d0, 0x2e8],
  [0x318, 0x330],
];

test('every byte of the signed region 0x000-0x29F and of R and S: REPORT_SIGNATURE_INVALID (VERSION, SIGNATURE_ALGO: MALFORMED_EVIDENCE)', async () => {
  for (let i = 0; i < 0x330; i++) {
    if (inRange(i, SIGNATURE_PADDING)) continue;
    const r = await verifier.verify(flip(report, i), collateral, { at });
    const where = `byte 0x${i.toString(16)}`;
    assert.equal(r.verdict, 'rejected', where);
    assert.equal(r.cryptoValid, false, where);
    if (inRange(i, FORMAT_FIELDS)) {
      assert.ok(['MALFORMED_EVIDENCE', 'REPORT_SIGNATURE_INVALID'].includes(r.errors[0]!.code), `${where}: ${r.errors[0]?.code}`);
      if (r.errors[0]!.code === 'REPORT_SIGNATURE_INVALID') assert.equal(i, 0, 'only VERSION 2 -> 3 still parses');
    } else {
      assert.equal(r.errors[0]?.code, 'REPORT_SIGNATURE_INVALID', `${where}: ${JSON.stringify(r.errors[0])}`);
      assert.equal(r.errors[0]?.check, 'snp.report.signature', where);
    }
  }
});

test('an unsupported VERSION or SIGNATURE_ALGO is a failing snp.report.format naming the field', async () => {
  const v4 = report.slice();
  v4[0] = 4;
  const r = await verifier.verify(v4, collateral, { at });
  assert.equal(r.technology, 'sev-snp');
  assert.equal(r.format, 'snp-report-v4');
  assert.equal(r.errors[0]?.check, 'snp.report.format');
  assert.equal(r.errors[0]?.code, 'MALFORMED_EVIDENCE');
  assert.match(r.errors[0]!.message, /unsupported report version 4.*field version at offset 0/);
  const algo = report.slice();
  algo[0x34] = 2;
  const a = await verifier.verify(algo, collateral, { at });
  assert.match(a.errors[0]!.message, /unknown signature algorithm 2.*field signatureAlgo at offset 52/);
});

test('signature padding that is not zero: MALFORMED_EVIDENCE; a bit in the 368 reserved bytes after R and S: MALFORMED_EVIDENCE on snp.report.reserved', async () => {
  for (let i = 0x2d0; i < 0x4a0; i += 1) {
    const r = await verifier.verify(flip(report, i), collateral, { at });
    const where = `byte 0x${i.toString(16)}`;
    if (inRange(i, SIGNATURE_PADDING)) {
      assert.equal(r.errors[0]?.code, 'MALFORMED_EVIDENCE', where);
    } else if (i >= 0x330) {
      // Not signed, so the signature still verifies: the report is rejected as malformed, as go-sev-guest does.
      assert.equal(r.verdict, 'rejected', where);
      assert.deepEqual(
        r.errors.map((e) => [e.code, e.check]),
        [['MALFORMED_EVIDENCE', 'snp.report.reserved']],
        where,
      );
      assert.equal(status(r, 'snp.report.signature'), 'pass', where);
      assert.match(r.errors[0]!.message, /signature reserved.*not covered by the signature/, where);
    }
  }
});

test('a flipped bit anywhere in the VCEK: CERT_CHAIN_INVALID, or unreadable / unrecognised collateral; never verified', async () => {
  const codes = new Set<string>();
  for (let i = 0; i < vcek.length; i++) {
    const r = await createVerifier().verify(report, [{ name: 'vcek.der', bytes: flip(vcek, i) }], { at });
    const code = r.errors[0]!.code;
    codes.add(code);
    assert.equal(r.verdict, 'rejected', `VCEK byte ${i}`);
    assert.equal(r.cryptoValid, false, `VCEK byte ${i}`);
    // MALFORMED_COLLATERAL: the strict DER parser refuses it; COLLATERAL_MISSING: the subject is no longer SEV-VCEK.
    assert.ok(['CERT_CHAIN_INVALID', 'MALFORMED_COLLATERAL', 'COLLATERAL_MISSING'].includes(code), `VCEK byte ${i}: ${code}`);
    // The hwID bytes (0x2C3-0x302) and the ASK's RSA-PSS signature value (the last 512 bytes) parse either way: only the chain catches them.
    if ((i >= 0x2c3 && i < 0x303) || i >= vcek.length - 0x200) assert.equal(code, 'CERT_CHAIN_INVALID', `VCEK byte ${i}`);
  }
  assert.ok(codes.has('CERT_CHAIN_INVALID'));
});

test('a truncated report is MALFORMED_EVIDENCE; bytes after the report are ignored and said so', async () => {
  const short = await verifier.verify(report.subarray(0, 1000), collateral, { at });
  assert.equal(short.errors[0]?.code, 'MALFORMED_EVIDENCE');
  const longer = new Uint8Array(report.length + 100);
  longer.set(report);
  const r = await verifier.verify(longer, collateral, { at });
  assert.equal(r.verdict, 'verified');
  assert.match(r.checks.find((c) => c.id === 'snp.report.format')!.explain, /100 bytes follow the report/);
});

test('KEY_INFO naming no signing key (7) or a reserved one: REPORT_SIGNATURE_INVALID, whatever certificate is offered', async () => {
  for (const key of [7, 3]) {
    const b = report.slice();
    b[0x48] = key << 2;
    const r = await verifier.verify(b, collateral, { at });
    assert.equal(r.errors[0]?.code, 'REPORT_SIGNATURE_INVALID');
    assert.match(r.errors[0]!.message, key === 7 ? /did not sign this report/ : /reserves/);
  }
});
