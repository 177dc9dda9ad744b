import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { defaultRoots } from '../../app/tee/registry.js';
import { TPM_ROOTS } from '../../app/roots/tpm.js';
import { verifyChain } from '../../app/pki/chain.js';
import { PkiCache } from '../../app/pki/cache.js';
import { createParseCaches } from '../../app/cache/parse-caches.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { issueCert, newKey } from '../synthetic/test-pki.js';
import type { KeyPair } from '../synthetic/test-pki.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const EVIDENCE = vectorBytes('tpm/trustee-tpm-evidence.json');
const AK = new Uint8Array(
  Buffer.from((JSON.parse(readFileSync(`${VECTORS_DIR}tpm/trustee-tpm-evidence.json`, 'utf8')) as { ak_public: string }).ak_public, 'base64'),
);
const AT = new Date('2025-01-01T00:00:00Z');
const VALID = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') };

/** The AK's public key as a KeyPair a test CA can certify (no private key: the CA signs, not the AK). */
async function akKey(spki: Uint8Array): Promise<KeyPair> {
  const publicKey = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  return { publicKey, privateKey: publicKey, point: new Uint8Array() } as unknown as KeyPair;
}

async function pki() {
  const root = await issueCert({ cn: 'Test TPM CA Root', key: await newKey(), serial: '01', ca: true, ...VALID });
  const inter = await issueCert({ cn: 'Test TPM AK CA', key: await newKey(), issuer: root, serial: '02', ca: true, ...VALID });
  const impostor = await issueCert({ cn: 'Test TPM AK CA', key: await newKey(), serial: '03', ca: true, ...VALID });
  return { root, inter, impostor };
}

async function verify(files: { name: string; bytes: Uint8Array }[], tpmRoots: Uint8Array[], at = AT) {
  return createVerifier({ crypto: nodeCryptoProvider(), roots: { ...defaultRoots(), tpm: tpmRoots } }).verify(EVIDENCE, files, { at });
}

const trust = (r: Awaited<ReturnType<typeof verify>>) => r.checks.find((c) => c.id === 'tpm.ak.trust')!;

test('the pinned TPM CAs are the bytes go-tpm-tools publishes, and the intermediate chains to the root', async () => {
  for (const r of TPM_ROOTS) assert.equal(createHash('sha256').update(r.der).digest('hex'), r.sha256, r.cn);
  const cache = new PkiCache(nodeCryptoProvider(), createParseCaches());
  const [root, inter] = TPM_ROOTS.map((r) => cache.cert(r.der));
  const chain = await verifyChain(cache, [inter!], [root!], Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(chain.ok, true, chain.problem);
});

test('an AK certificate chaining to a pinned TPM CA establishes ak-trust', async () => {
  const p = await pki();
  const key = await akKey(AK);
  const leaf = await issueCert({ cn: 'AK of vm-1', key, issuer: p.inter, serial: '10', ca: false, ...VALID });
  const r = await verify(
    [
      { name: 'ak.pem', bytes: leaf.der },
      { name: 'ca.pem', bytes: p.inter.der },
    ],
    [p.root.der],
  );
  assert.equal(trust(r).status, 'pass', trust(r).explain);
  assert.match(trust(r).explain, /chains to the pinned "CN=Test TPM CA Root/);
  assert.ok(!r.notEstablished.includes('ak-trust'));
  assert.deepEqual(
    r.inputs.filter((i) => i.role === 'collateral').map((i) => i.name),
    ['ak.pem', 'ca.pem'],
  );
});

test('an AK certificate from an unpinned CA, or expired, fails ak-trust and leaves it not established', async () => {
  const p = await pki();
  const key = await akKey(AK);
  const forged = await issueCert({ cn: 'AK of vm-1', key, issuer: p.impostor, serial: '11', ca: false, ...VALID });
  const r = await verify([{ name: 'ak.pem', bytes: forged.der }], [p.root.der]);
  assert.equal(trust(r).status, 'fail');
  assert.equal(trust(r).code, 'CERT_CHAIN_INVALID');
  assert.ok(r.notEstablished.includes('ak-trust'));
  assert.equal(r.appraisal.tier, 'warning');
  const old = await issueCert({
    cn: 'AK of vm-1',
    key,
    issuer: p.inter,
    serial: '12',
    ca: false,
    notBefore: VALID.notBefore,
    notAfter: new Date('2024-06-01T00:00:00Z'),
  });
  const expired = await verify(
    [
      { name: 'ak.pem', bytes: old.der },
      { name: 'ca.pem', bytes: p.inter.der },
    ],
    [p.root.der],
  );
  assert.equal(trust(expired).code, 'CERT_EXPIRED');
});

test("a certificate for another key is not the AK's: trust stays a warning and the file is unused", async () => {
  const p = await pki();
  const other = await issueCert({ cn: 'someone else', key: await newKey(), issuer: p.inter, serial: '13', ca: false, ...VALID });
  const r = await verify([{ name: 'other.pem', bytes: other.der }], [p.root.der]);
  assert.equal(trust(r).status, 'warn');
  assert.equal(r.inputs.find((i) => i.name === 'other.pem')?.role, 'unused');
});
