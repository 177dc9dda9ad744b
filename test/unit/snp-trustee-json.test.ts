import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { vectorBytes } from '../support/vectors.js';
import { snpEvidenceJson } from '../support/snp-evidence-json.js';

/**
 * trustee's SnpEvidence JSON, written here from the real report bytes in the `sev` crate's serde shape
 * (the shape the Confidential Containers attestation agent serves), with the VCEK in cert_chain.
 */
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const at = new Date('2024-07-03T13:10:40Z');

const serde = snpEvidenceJson;

const enc = (s: string) => new TextEncoder().encode(s);

test('SnpEvidence JSON with the VCEK in cert_chain verifies like the raw report', async () => {
  const r = await createVerifier().verify(enc(serde(report, [{ cert_type: 'VCEK', data: Array.from(vcek) }])), [], { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.evidence.encoding, 'json');
  assert.equal(r.format, 'snp-report-v2');
  assert.equal(r.claims.measurement, 'a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c');
});

test('SnpEvidence JSON without cert_chain takes the VCEK from collateral', async () => {
  const r = await createVerifier().verify(enc(serde(report, null)), [{ name: 'vcek.der', bytes: vcek }], { at });
  assert.equal(r.verdict, 'verified');
});

test('a changed JSON field breaks the signature; a malformed field is MALFORMED_EVIDENCE naming it', async () => {
  const doc = JSON.parse(serde(report, null));
  doc.attestation_report.measurement[0] ^= 1;
  const r = await createVerifier().verify(enc(JSON.stringify(doc)), [{ name: 'vcek.der', bytes: vcek }], { at });
  assert.equal(r.errors[0]?.code, 'REPORT_SIGNATURE_INVALID');
  doc.attestation_report.host_data = [1, 2];
  const m = await createVerifier().verify(enc(JSON.stringify(doc)), [], { at });
  assert.equal(m.errors[0]?.code, 'MALFORMED_EVIDENCE');
  assert.match(m.errors[0]!.message, /attestation_report\.host_data must be an array of 32 byte values/);
});
