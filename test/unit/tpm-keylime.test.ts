import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';

const FIXTURE = new URL('../fixtures/keylime/checkquote-evidence.json', import.meta.url);
const NONCE = new Uint8Array(Buffer.from('Ai5M5SjYjnkyv4P7itH1', 'ascii'));
const AT = new Date('2025-01-01T00:00:00Z');
const doc = () =>
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as { ak_public: string; tpm_quote: { message: string; signature: string; pcrs: Record<string, string> } };
const bytes = (d: unknown) => new Uint8Array(Buffer.from(JSON.stringify(d)));
const status = (r: Awaited<ReturnType<ReturnType<typeof createVerifier>['verify']>>, id: string) => r.checks.find((c) => c.id === id)?.status;

for (const crypto of [nodeCryptoProvider(), webCryptoProvider()]) {
  test(`keylime's checkquote vector verifies as keylime says (${crypto.name}): signature, PCR 16 digest, nonce`, async () => {
    const r = await createVerifier({ crypto }).verify(new Uint8Array(readFileSync(FIXTURE)), [], { at: AT, nonce: NONCE });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
    for (const id of ['tpm.quote.signature', 'tpm.pcr-digest', 'tpm.nonce']) assert.equal(status(r, id), 'pass', id);
    assert.deepEqual((r.claims['pcrs'] as Record<string, string>)['pcr16'], doc().tpm_quote.pcrs['16']);
  });
}

test("keylime's vector mutated: another nonce, a changed PCR, a flipped signature", async () => {
  const verifier = createVerifier({ crypto: nodeCryptoProvider() });
  const wrongNonce = await verifier.verify(new Uint8Array(readFileSync(FIXTURE)), [], { at: AT, nonce: new Uint8Array([1, 2, 3]) });
  assert.ok(wrongNonce.errors.some((e) => e.code === 'NONCE_MISMATCH'));
  const d = doc();
  d.tpm_quote.pcrs['16'] = '00'.repeat(32);
  const pcr = await verifier.verify(bytes(d), [], { at: AT, nonce: NONCE });
  assert.ok(pcr.errors.some((e) => e.code === 'PCR_DIGEST_MISMATCH'));
  assert.equal(pcr.cryptoValid, true, 'the signature itself still verifies');
  const s = doc();
  const sig = Buffer.from(s.tpm_quote.signature, 'base64');
  sig[sig.length - 1]! ^= 1;
  s.tpm_quote.signature = sig.toString('base64');
  const forged = await verifier.verify(bytes(s), [], { at: AT, nonce: NONCE });
  assert.ok(forged.errors.some((e) => e.code === 'TPM_SIGNATURE_INVALID'));
  assert.equal(forged.cryptoValid, false);
});
