import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { nobleProvider } from '../../app/crypto/noble.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { createVerifier } from '../../app/verifier.js';
import { vectorBytes } from '../support/vectors.js';

/** RSASSA-PKCS1-v1_5 (TPM AKs, Azure vTPM): node:crypto and WebCrypto agree on good and bad signatures. */
test('RSA PKCS#1 v1.5: node:crypto and WebCrypto agree, for SHA-256 and SHA-384, good and tampered', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const providers = [nodeCryptoProvider(), webCryptoProvider()];
  for (const [hash, node] of [
    ['SHA-256', 'sha256'],
    ['SHA-384', 'sha384'],
  ] as const) {
    const message = new TextEncoder().encode(`TPMS_ATTEST stand-in ${hash}`);
    const signature = new Uint8Array(sign(node, message, privateKey));
    const bad = signature.slice();
    bad[10] = bad[10]! ^ 1;
    for (const p of providers) {
      assert.equal(await p.verifyRsaPkcs1!({ hash, spki, signature, message }), true, `${p.name} ${hash} good`);
      assert.equal(await p.verifyRsaPkcs1!({ hash, spki, signature: bad, message }), false, `${p.name} ${hash} tampered`);
      assert.equal(await p.verifyRsaPkcs1!({ hash, spki, signature, message: message.subarray(1) }), false, `${p.name} ${hash} other message`);
    }
  }
});

test('the noble provider says precisely why it cannot verify the real SEV-SNP chain (no RSA-PSS)', async () => {
  const r = await createVerifier({ crypto: nobleProvider() }).verify(
    vectorBytes('snp/trustee-milan-vcek.report'),
    [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }],
    { at: new Date('2024-07-03T13:10:40Z') },
  );
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.cryptoValid, false);
  const chain = r.checks.find((c) => c.id === 'snp.vek.chain')!;
  assert.equal(chain.status, 'fail');
  assert.match(chain.explain, /has no RSA-PSS/);
});
