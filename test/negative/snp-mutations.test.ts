import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { ERROR_CODES } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';

/** Negatives generated from the verified Milan report: every signed byte, the signature, and the VCEK. */
const at = new Date('2024-07-03T13:10:40Z');
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const verifier = createVerifier();
const collateral = verifier.loadCollateral([{ name: 'vcek.der', bytes: vcek }]);

test('a flipped byte anywhere in the signed region or the signature is rejected with a typed code', async () => {
  let count = 0;
  for (let at2 = 0; at2 < 0x2a0 + 144; at2 += 3) {
    const bad = report.slice();
    bad[at2] = bad[at2]! ^ 0x01;
    const r = await verifier.verify(bad, collateral, { at });
    const code = r.errors[0]?.code;
    assert.equal(r.verdict, 'rejected', `byte 0x${at2.toString(16)} must be rejected`);
    assert.ok(code && (ERROR_CODES as readonly string[]).includes(code));
    // Version and algorithm fields make the input unparseable; the signature's zero padding too; the rest breaks the signature.
    const allowed = at2 < 0x2a0 ? ['REPORT_SIGNATURE_INVALID', 'MALFORMED_EVIDENCE', 'TCB_MISMATCH', 'CERT_CHAIN_INVALID'] : ['REPORT_SIGNATURE_INVALID', 'MALFORMED_EVIDENCE'];
    assert.ok(allowed.includes(code!), `byte 0x${at2.toString(16)}: ${code}`);
    if (at2 >= 0x50 && at2 < 0x180) assert.equal(code, 'REPORT_SIGNATURE_INVALID', `byte 0x${at2.toString(16)} (measured data)`);
    count++;
  }
  assert.ok(count > 250);
});

test('a flipped byte in the VCEK is rejected (chain or parse), never verified', async () => {
  for (let i = 4; i < vcek.length; i += 11) {
    const bad = vcek.slice();
    bad[i] = bad[i]! ^ 0x01;
    const r = await createVerifier().verify(report, [{ name: 'vcek.der', bytes: bad }], { at });
    assert.equal(r.verdict, 'rejected', `VCEK byte ${i}`);
    assert.ok(r.errors[0] && (ERROR_CODES as readonly string[]).includes(r.errors[0].code));
  }
});

test('a truncated report is MALFORMED_EVIDENCE, extra bytes after it are ignored', async () => {
  assert.equal((await verifier.verify(report.subarray(0, 1000), collateral, { at })).verdict, 'rejected');
  const longer = new Uint8Array(report.length + 100);
  longer.set(report);
  assert.equal((await verifier.verify(longer, collateral, { at })).verdict, 'verified');
});
