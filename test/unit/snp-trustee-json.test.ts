import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { vectorBytes } from '../support/vectors.js';

/**
 * trustee's SnpEvidence JSON, written here from the real report bytes in the `sev` crate's serde shape
 * (the shape the Confidential Containers attestation agent serves), with the VCEK in cert_chain.
 */
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const at = new Date('2024-07-03T13:10:40Z');

function serde(r: Uint8Array, certChain: unknown): string {
  const dv = new DataView(r.buffer, r.byteOffset, r.length);
  const arr = (o: number, n: number) => Array.from(r.subarray(o, o + n));
  const tcb = (o: number) => ({ bootloader: r[o], tee: r[o + 1], _reserved: arr(o + 2, 4), snp: r[o + 6], microcode: r[o + 7] });
  const doc = {
    attestation_report: {
      version: dv.getUint32(0, true), guest_svn: dv.getUint32(4, true), policy: Number(dv.getBigUint64(8, true)), family_id: arr(0x10, 16), image_id: arr(0x20, 16),
      vmpl: dv.getUint32(0x30, true), sig_algo: dv.getUint32(0x34, true), current_tcb: tcb(0x38), plat_info: Number(dv.getBigUint64(0x40, true)),
      _author_key_en: dv.getUint32(0x48, true), _reserved_0: dv.getUint32(0x4c, true), report_data: arr(0x50, 64), measurement: arr(0x90, 48), host_data: arr(0xc0, 32),
      id_key_digest: arr(0xe0, 48), author_key_digest: arr(0x110, 48), report_id: arr(0x140, 32), report_id_ma: arr(0x160, 32), reported_tcb: tcb(0x180),
      _reserved_1: arr(0x188, 24), chip_id: arr(0x1a0, 64), committed_tcb: tcb(0x1e0), current_build: r[0x1e8], current_minor: r[0x1e9], current_major: r[0x1ea],
      _reserved_2: r[0x1eb], committed_build: r[0x1ec], committed_minor: r[0x1ed], committed_major: r[0x1ee], _reserved_3: r[0x1ef], launch_tcb: tcb(0x1f0),
      _reserved_4: arr(0x1f8, 168), signature: { r: arr(0x2a0, 72), s: arr(0x2e8, 72), _reserved: arr(0x330, 368) },
    },
    cert_chain: certChain,
  };
  return JSON.stringify(doc);
}

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
