import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { parseTpmQuoteJson, signatureInput, encodeTpmQuoteJson } from '../../app/tee/tpm/quote-json.js';
import { tpmEvidenceEnvelope } from '../../app/tee/tpm/evidence-json.js';
import { TeeError } from '../../app/errors.js';
import { VECTORS_DIR } from '../support/vectors.js';

const utf8 = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const trustee = () =>
  JSON.parse(readFileSync(VECTORS_DIR + 'tpm/trustee-tpm-evidence.json', 'utf8')) as { ak_public: string; tpm_quote: Record<string, unknown> };
const EXTRA = 'a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c12000000000000000000000000000000000';
const AT = { at: new Date('2025-01-01T00:00:00Z') };

test('quote JSON: hex, base64 and byte arrays; pcrs as a list, an index object or per bank', () => {
  const hex = { message: 'ff544347', signature: '0014000b0000', pcrs: ['00'.repeat(32)] };
  assert.deepEqual(parseTpmQuoteJson(utf8(hex)).pcrs, { sha256: { '0': '00'.repeat(32) } });
  const b64 = parseTpmQuoteJson(utf8({ message: '/1RDRw==', signature: [1, 2], pcrs: { '7': 'ab'.repeat(48) } }));
  assert.deepEqual([...b64.message], [0xff, 0x54, 0x43, 0x47]);
  assert.deepEqual(b64.pcrs, { sha384: { '7': 'ab'.repeat(48) } });
  assert.deepEqual(parseTpmQuoteJson(utf8({ ...hex, pcrs: { sha1: ['11'.repeat(20)] } })).pcrs, { sha1: { '0': '11'.repeat(20) } });
  const round = parseTpmQuoteJson(encodeTpmQuoteJson(parseTpmQuoteJson(utf8(hex))));
  assert.deepEqual(round.pcrs, { sha256: { '0': '00'.repeat(32) } });
  const bad = (doc: unknown) => {
    try {
      parseTpmQuoteJson(utf8(doc));
      return 'ok';
    } catch (e) {
      return e instanceof TeeError ? e.code : 'THROWN';
    }
  };
  assert.equal(bad({ ...hex, pcrs: ['00'.repeat(32), '00'.repeat(48)] }), 'MALFORMED_EVIDENCE');
  assert.equal(bad({ ...hex, pcrs: { sha256: ['00'.repeat(48)] } }), 'MALFORMED_EVIDENCE');
  assert.equal(bad({ ...hex, pcrs: { '99': '00'.repeat(32) } }), 'MALFORMED_EVIDENCE');
  assert.equal(bad({ ...hex, message: [300] }), 'MALFORMED_EVIDENCE');
  assert.equal(bad({ signature: '00' }), 'MALFORMED_EVIDENCE');
  assert.equal(bad([]), 'MALFORMED_EVIDENCE');
});

test('signature encoding: a TPMT_SIGNATURE by its exact sizes, anything else bare', () => {
  const tpmt = new Uint8Array([0x00, 0x14, 0x00, 0x0b, 0x00, 0x02, 1, 2]);
  assert.equal(signatureInput(tpmt).encoding, 'tpmt');
  assert.equal(signatureInput(tpmt.subarray(0, 7)).encoding, 'raw');
  assert.equal(signatureInput(new Uint8Array([0x00, 0x18, 0x00, 0x0b, 0x00, 0x01, 9, 0x00, 0x01, 8])).encoding, 'tpmt');
  assert.equal(signatureInput(new Uint8Array(256).fill(7)).encoding, 'raw');
});

test('trustee TPM evidence: technology tpm, manifest fields, PCRs only when attested; the nonce is extraData', async () => {
  const r = await createVerifier().verify(utf8(trustee()), [], { ...AT, nonce: Buffer.from(EXTRA, 'hex') });
  assert.equal(r.technology, 'tpm');
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.fields.firmwareVersion, '0x2019102300163636');
  assert.equal(r.fields.attestType, '0x8018 (TPM_ST_ATTEST_QUOTE)');
  assert.ok(!r.notEstablished.includes('freshness'));
  const wrong = await createVerifier().verify(utf8(trustee()), [], { ...AT, nonce: new Uint8Array([1]) });
  assert.equal(wrong.errors[0]?.code, 'NONCE_MISMATCH');
});

test('trustee TPM evidence negatives: signature, PCR, a different AK', async () => {
  const doc = trustee();
  const sig = Buffer.from(doc.tpm_quote.signature as string, 'base64');
  sig[20]! ^= 1;
  const r1 = await createVerifier().verify(utf8({ ...doc, tpm_quote: { ...doc.tpm_quote, signature: sig.toString('base64') } }), [], AT);
  assert.equal(r1.errors[0]?.code, 'TPM_SIGNATURE_INVALID');
  const pcrs = (doc.tpm_quote.pcrs as string[]).map((p, i) => (i === 3 ? `1${p.slice(1)}` : p));
  const r2 = await createVerifier().verify(utf8({ ...doc, tpm_quote: { ...doc.tpm_quote, pcrs } }), [], AT);
  assert.equal(r2.errors[0]?.code, 'PCR_DIGEST_MISMATCH');
  assert.equal(r2.claims.pcrs, undefined, 'no PCR is claimed when the digest does not match');
  const { generateKeyPairSync } = await import('node:crypto');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const r3 = await createVerifier().verify(utf8({ ...doc, ak_public: other }), [], AT);
  assert.equal(r3.errors[0]?.code, 'TPM_SIGNATURE_INVALID');
});

test('TPM evidence envelope: only {ak_public, tpm_quote}; a malformed member names its path', () => {
  assert.equal(tpmEvidenceEnvelope({ tpm_quote: {} }), undefined);
  assert.equal(tpmEvidenceEnvelope({ ak_public: 'x', tpm_quote: {}, hcl_report: 'y' }), undefined);
  assert.throws(() => tpmEvidenceEnvelope({ ak_public: '!!', tpm_quote: trustee().tpm_quote }), /ak_public/);
  const e = tpmEvidenceEnvelope(trustee())!;
  assert.deepEqual(
    e.parts.map((p) => [p.role, p.bytes[0]]),
    [['ak-public', 0x30]],
  );
});
