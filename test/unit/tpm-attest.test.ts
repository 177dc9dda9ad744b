import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from '../support/vectors.js';
import { prng } from '../support/prng.js';
import { ParseError, TeeError } from '../../app/errors.js';
import { parseTpmsAttest } from '../../app/tee/tpm/attest.js';
import { ecdsaRawSignature, parseTpmtSignature, rawRsaSignature } from '../../app/tee/tpm/signature.js';

const json = (path: string) => JSON.parse(readFileSync(VECTORS_DIR + path, 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const trustee = json('tpm/trustee-tpm-evidence.json').tpm_quote;
const trusteeMessage = new Uint8Array(Buffer.from(trustee.message, 'base64'));
const azureMessage = new Uint8Array(Buffer.from(json('azure/snp-milan-tpm-quote.json').message, 'hex'));

function parseError(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ParseError && e.code === 'MALFORMED_EVIDENCE' && e.detail.field === field, `a ParseError naming ${field}`);
}

test('trustee TPMS_ATTEST decodes to the fields the manifest lists', () => {
  const a = parseTpmsAttest(trusteeMessage);
  assert.equal(a.type, 0x8018);
  assert.equal(a.firmwareVersion, 0x2019102300163636n);
  assert.equal(
    hex(a.extraData),
    'a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c12000000000000000000000000000000000',
  );
  assert.equal(a.pcrSelections.length, 1);
  assert.equal(a.pcrSelections[0]!.hash?.bank, 'sha256');
  assert.deepEqual(
    a.pcrSelections[0]!.indices,
    Array.from({ length: 24 }, (_, i) => i),
  );
  assert.equal(hex(a.pcrDigest), '019de64c9318655e422c3d03831169896e31f02a1d74e4d8fef575bf4e0d75fa');
  assert.equal(a.qualifiedSigner.length, 34);
  assert.equal(a.safe, true);
});

test('Azure vTPM TPMS_ATTEST carries "challenge" as extraData and selects sha256 0-23', () => {
  const a = parseTpmsAttest(azureMessage);
  assert.equal(new TextDecoder().decode(a.extraData), 'challenge');
  assert.deepEqual(a.pcrSelections[0]!.indices.length, 24);
  assert.equal(a.pcrDigest.length, 32);
});

test('a wrong magic, a wrong type, truncation and trailing bytes are ParseErrors naming the field', () => {
  const m = trusteeMessage.slice();
  m[0] = 0;
  parseError(() => parseTpmsAttest(m), 'magic');
  const t = trusteeMessage.slice();
  t[5] = 0x17; // TPM_ST_ATTEST_CERTIFY
  parseError(() => parseTpmsAttest(t), 'type');
  parseError(() => parseTpmsAttest(trusteeMessage.subarray(0, trusteeMessage.length - 1)), 'pcrDigest');
  parseError(() => parseTpmsAttest(trusteeMessage.subarray(0, 20)), 'qualifiedSigner');
  parseError(() => parseTpmsAttest(new Uint8Array([...trusteeMessage, 0])), 'pcrDigest');
});

test('a size larger than its TPM type allows is refused before it is read', () => {
  const m = trusteeMessage.slice();
  m[6] = 0x01; // qualifiedSigner size 0x0122
  parseError(() => parseTpmsAttest(m), 'qualifiedSigner');
});

test('seeded mutations of real quotes give only coded TeeErrors, never another exception', () => {
  const rnd = prng(0x7e4);
  for (const base of [trusteeMessage, azureMessage]) {
    for (let round = 0; round < 3000; round++) {
      const m = base.slice(0, round % 7 === 0 ? rnd.int(base.length) : base.length);
      for (let k = 1 + rnd.int(3); k > 0 && m.length; k--) m[rnd.int(m.length)] = rnd.int(256);
      try {
        parseTpmsAttest(m);
      } catch (e) {
        assert.ok(e instanceof TeeError && e.code === 'MALFORMED_EVIDENCE', `round ${round}: ${String(e)}`);
      }
    }
  }
});

test('TPMT_SIGNATURE: RSASSA SHA-256 from trustee; unknown sigAlg and trailing bytes refused', () => {
  const bytes = new Uint8Array(Buffer.from(trustee.signature, 'base64'));
  const s = parseTpmtSignature(bytes);
  assert.equal(s.scheme, 'rsassa');
  assert.equal(s.hash, 'SHA-256');
  assert.equal('sig' in s ? s.sig.length : 0, 256);
  parseError(() => parseTpmtSignature(new Uint8Array([0x00, 0x1b, ...bytes.subarray(2)])), 'sigAlg');
  parseError(() => parseTpmtSignature(new Uint8Array([...bytes, 1])), 'sig');
  parseError(() => parseTpmtSignature(bytes.subarray(0, 100)), 'sig');
});

test('TPMT_SIGNATURE ECDSA: r and s shorter than the curve are left-padded; longer ones refused', () => {
  const sig = parseTpmtSignature(new Uint8Array([0x00, 0x18, 0x00, 0x0b, 0x00, 0x02, 0xaa, 0xbb, 0x00, 0x01, 0xcc]));
  assert.equal(sig.scheme, 'ecdsa');
  const raw = sig.scheme === 'ecdsa' ? ecdsaRawSignature(sig, 4) : undefined;
  assert.equal(raw && hex(raw), '0000aabb000000cc');
  assert.equal(sig.scheme === 'ecdsa' ? ecdsaRawSignature(sig, 1) : 'x', undefined);
  parseError(() => parseTpmtSignature(new Uint8Array([0x00, 0x18, 0x00, 0x0b, 0x00, 0x02, 0xaa])), 'signatureR');
});

test('a bare RSA signature takes the AK scheme: RSASSA SHA-256 unless told', () => {
  const s = rawRsaSignature(new Uint8Array(256));
  assert.deepEqual([s.scheme, s.hash, s.hashAlg, s.encoding], ['rsassa', 'SHA-256', 0x000b, 'raw']);
  const p = rawRsaSignature(new Uint8Array(256), 'rsapss', 'SHA-384');
  assert.deepEqual([p.scheme, p.hash, p.hashAlg], ['rsapss', 'SHA-384', 0x000c]);
});
