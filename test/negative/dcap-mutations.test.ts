import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { ERROR_CODES } from '../../app/errors.js';
import { verifiedDcapVectors, vectorBytes, collateralFiles } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';

/**
 * Negatives generated from every verified vector: a flipped byte anywhere a signature covers must
 * be rejected with a typed code, and the code must name the region that was hit.
 */
const verifier = createVerifier();

interface Region {
  name: string;
  start: number;
  end: number;
  step: number;
  codes: string[];
}

function regions(quote: Uint8Array): Region[] {
  const q = parseQuote(quote);
  const off = (sub: Uint8Array) => sub.byteOffset - quote.byteOffset;
  const sigStart = off(q.signature);
  const qeReport = off(q.qe.report.raw);
  const cert = off(q.qe.certData);
  return [
    // Version, key type and TEE type make the quote unparseable or another format; the rest only breaks the signature.
    { name: 'header', start: 0, end: 48, step: 1, codes: ['QUOTE_SIGNATURE_INVALID', 'MALFORMED_EVIDENCE'] },
    { name: 'body', start: 48, end: q.signed.length, step: 5, codes: ['QUOTE_SIGNATURE_INVALID', 'MALFORMED_EVIDENCE'] },
    { name: 'quote signature', start: sigStart, end: sigStart + 64, step: 3, codes: ['QUOTE_SIGNATURE_INVALID'] },
    { name: 'attestation key', start: sigStart + 64, end: sigStart + 128, step: 3, codes: ['QE_REPORT_DATA_MISMATCH', 'QUOTE_SIGNATURE_INVALID'] },
    { name: 'QE report', start: qeReport, end: qeReport + 384, step: 7, codes: ['QE_REPORT_SIGNATURE_INVALID'] },
    { name: 'QE report signature', start: qeReport + 384, end: qeReport + 448, step: 3, codes: ['QE_REPORT_SIGNATURE_INVALID'] },
    { name: 'QE auth data', start: qeReport + 450, end: cert - 6, step: 2, codes: ['QE_REPORT_DATA_MISMATCH'] },
    { name: 'PCK chain PEM', start: cert + 40, end: cert + q.qe.certData.length - 40, step: 97, codes: ['CERT_CHAIN_INVALID'] },
  ];
}

for (const v of verifiedDcapVectors()) {
  test(`generated negatives: ${v.id}`, async () => {
    const quote = vectorBytes(v.path);
    const collateral = verifier.loadCollateral(collateralFiles(v));
    let count = 0;
    for (const region of regions(quote)) {
      for (let at = region.start; at < region.end; at += region.step) {
        const bad = quote.slice();
        bad[at] = bad[at]! ^ 0x01;
        const r = await verifier.verify(bad, collateral, { at: new Date(v.expect.at) });
        const where = `${v.id} ${region.name} byte ${at}`;
        assert.equal(r.verdict, 'rejected', `${where} must be rejected`);
        const code = r.errors[0]?.code;
        assert.ok(code && (ERROR_CODES as readonly string[]).includes(code), `${where}: typed code`);
        assert.ok(region.codes.includes(code), `${where}: got ${code}, expected one of ${region.codes.join(', ')}`);
        count++;
      }
    }
    assert.ok(count > 250, `ran ${count} mutations`);
  });
}

/** The attestation-key signature check must not be the only guard: each collateral item is tampered in turn. */
const COLLATERAL_TAMPERS: { name: string; edit: (c: Record<string, string>) => void; codes: string[] }[] = [
  {
    name: 'tcb_info body',
    edit: (c) => (c.tcb_info = c.tcb_info!.replace('"tcbEvaluationDataNumber":', '"tcbEvaluationDataNumber": ')),
    codes: ['COLLATERAL_SIGNATURE_INVALID'],
  },
  { name: 'tcb_info status', edit: (c) => (c.tcb_info = c.tcb_info!.replace(/"OutOfDate"/, '"UpToDate"')), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  { name: 'tcb_info_signature', edit: (c) => (c.tcb_info_signature = flipHex(c.tcb_info_signature!, 10)), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  { name: 'qe_identity body', edit: (c) => (c.qe_identity = c.qe_identity!.replace('"isvprodid":', '"isvprodid": ')), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  { name: 'qe_identity_signature', edit: (c) => (c.qe_identity_signature = flipHex(c.qe_identity_signature!, 70)), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  { name: 'pck_crl signature', edit: (c) => (c.pck_crl = flipHex(c.pck_crl!, c.pck_crl!.length - 6)), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  {
    name: 'pck_crl thisUpdate',
    edit: (c) => (c.pck_crl = c.pck_crl!.replace(/170d3(.)/, (_m, d: string) => `170d3${d === '9' ? '8' : '9'}`)),
    codes: ['COLLATERAL_SIGNATURE_INVALID', 'COLLATERAL_EXPIRED', 'MALFORMED_COLLATERAL'],
  },
  { name: 'root_ca_crl signature', edit: (c) => (c.root_ca_crl = flipHex(c.root_ca_crl!, c.root_ca_crl!.length - 6)), codes: ['COLLATERAL_SIGNATURE_INVALID'] },
  {
    name: 'tcb_info_issuer_chain',
    edit: (c) => (c.tcb_info_issuer_chain = flipPem(c.tcb_info_issuer_chain!)),
    codes: ['CERT_CHAIN_INVALID', 'MALFORMED_COLLATERAL'],
  },
  {
    name: 'qe_identity_issuer_chain',
    edit: (c) => (c.qe_identity_issuer_chain = flipPem(c.qe_identity_issuer_chain!)),
    codes: ['CERT_CHAIN_INVALID', 'MALFORMED_COLLATERAL'],
  },
];

function flipHex(hex: string, at: number): string {
  const c = hex[at]!;
  return hex.slice(0, at) + (c === '0' ? '1' : '0') + hex.slice(at + 1);
}

/** Changes one base64 character inside the signature area of the first certificate. */
function flipPem(pem: string): string {
  const end = pem.indexOf('-----END CERTIFICATE-----') - 10;
  const c = pem[end]!;
  return pem.slice(0, end) + (c === 'A' ? 'B' : 'A') + pem.slice(end + 1);
}

for (const v of verifiedDcapVectors()) {
  test(`tampered collateral is rejected: ${v.id}`, async () => {
    const original = JSON.parse(new TextDecoder().decode(vectorBytes(v.collateral!))) as Record<string, string>;
    for (const t of COLLATERAL_TAMPERS) {
      const c = { ...original };
      t.edit(c);
      assert.notDeepEqual(c, original, `${t.name} changed something`);
      const files = [{ name: 'tampered.json', bytes: new TextEncoder().encode(JSON.stringify(c)) }];
      const r = await createVerifier().verify(vectorBytes(v.path), files, { at: new Date(v.expect.at) });
      assert.equal(r.verdict, 'rejected', `${v.id}: ${t.name} must be rejected`);
      assert.ok(t.codes.includes(r.errors[0]!.code), `${v.id}: ${t.name} gave ${r.errors[0]!.code}: ${r.errors[0]!.message}`);
    }
  });
}

test('a verified vector with no collateral names exactly what is missing', async () => {
  const v = verifiedDcapVectors().find((x) => x.technology === 'tdx') as VectorEntry;
  const r = await verifier.verify(vectorBytes(v.path), [], { at: new Date(v.expect.at) });
  assert.equal(r.verdict, 'rejected');
  const missing = r.errors.filter((e) => e.code === 'COLLATERAL_MISSING');
  assert.ok(
    missing.some((e) => /tdx\/certification\/v4\/tcb\?fmspc=[0-9a-f]{12}/.test(r.checks.find((c) => c.id === e.check)!.fix!)),
    'TCB info URL with FMSPC',
  );
  assert.ok(
    missing.some((e) => /tdx\/certification\/v4\/qe\/identity/.test(r.checks.find((c) => c.id === e.check)!.fix!)),
    'QE identity URL',
  );
  const crl = r.checks.find((c) => c.id === 'dcap.pck.revocation')!;
  assert.equal(crl.status, 'warn', 'an absent CRL is a visible warning');
  assert.equal(r.cryptoValid, true, 'the evidence signatures still verify');
});
