import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CryptoProvider, EcdsaVerifyInput } from '../../app/crypto/provider.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { nobleProvider } from '../../app/crypto/noble.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { createVerifier } from '../../app/verifier.js';
import { verifiedDcapVectors, vectorBytes, collateralFiles } from '../support/vectors.js';

/** Records every ECDSA verification the verifier asks for, so each can be replayed on other implementations. */
function recording(inner: CryptoProvider, log: EcdsaVerifyInput[]): CryptoProvider {
  return { ...inner, name: `recording(${inner.name})`, verifyEcdsa: (i) => (log.push(i), inner.verifyEcdsa(i)) };
}

const providers = [webCryptoProvider(), nobleProvider(), nodeCryptoProvider()];

for (const v of verifiedDcapVectors()) {
  test(`WebCrypto, node:crypto and @noble/curves agree on every signature of ${v.id}`, async () => {
    const log: EcdsaVerifyInput[] = [];
    const r = await createVerifier({ crypto: recording(webCryptoProvider(), log) }).verify(vectorBytes(v.path), collateralFiles(v), {
      at: new Date(v.expect.at),
    });
    assert.equal(r.verdict, 'verified');
    assert.ok(log.length >= 9, `quote, QE report, PCK leaf and CA, TCB signing, TCB info, QE identity, two CRLs: ${log.length}`);
    for (const input of log) {
      for (const p of providers) assert.equal(await p.verifyEcdsa(input), true, `${p.name} accepts a genuine signature`);
      const bad = { ...input, signature: input.signature.slice() };
      bad.signature[5] = bad.signature[5]! ^ 0x40;
      for (const p of providers) assert.equal(await p.verifyEcdsa(bad), false, `${p.name} rejects a flipped signature`);
      const badMsg = { ...input, message: input.message.slice() };
      badMsg.message[0] = badMsg.message[0]! ^ 1;
      for (const p of providers) assert.equal(await p.verifyEcdsa(badMsg), false, `${p.name} rejects a changed message`);
    }
  });

  test(`whole verification is identical with each crypto provider: ${v.id}`, async () => {
    const results = await Promise.all(
      providers.map((crypto) => createVerifier({ crypto }).verify(vectorBytes(v.path), collateralFiles(v), { at: new Date(v.expect.at) })),
    );
    for (const r of results.slice(1)) assert.deepEqual(r, results[0]);
  });
}

test('providers reject malformed keys and signatures without throwing', async () => {
  const input: EcdsaVerifyInput = { curve: 'P-256', hash: 'SHA-256', publicKey: new Uint8Array(65), signature: new Uint8Array(64), message: new Uint8Array(1) };
  for (const p of providers) {
    assert.equal(await p.verifyEcdsa(input), false, p.name);
    assert.equal(await p.verifyEcdsa({ ...input, signature: new Uint8Array(63) }), false, p.name);
    assert.equal(await p.verifyEcdsa({ ...input, publicKey: new Uint8Array(10) }), false, p.name);
  }
});
