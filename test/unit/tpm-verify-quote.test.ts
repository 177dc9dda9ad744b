import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash, createPublicKey, generateKeyPairSync, sign, constants } from 'node:crypto';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';
import { prng } from '../support/prng.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import type { CryptoProvider } from '../../app/crypto/provider.js';
import { specsOf } from '../../app/check.js';
import { TPM_CHECKS } from '../../app/tee/tpm/checks.js';
import { verifyTpmQuote } from '../../app/tee/tpm/verify-quote.js';
import type { TpmQuoteInput, TpmQuoteVerification } from '../../app/tee/tpm/verify-quote.js';
import type { PcrValues } from '../../app/tee/tpm/pcr-digest.js';

const PROVIDERS: CryptoProvider[] = [nodeCryptoProvider(), webCryptoProvider()];
const json = (path: string) => JSON.parse(readFileSync(VECTORS_DIR + path, 'utf8'));
const sha256Bank = (list: string[]): PcrValues => ({ sha256: Object.fromEntries(list.map((v, i) => [String(i), v])) });
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const fromHex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** trustee's TPM evidence: TPMS_ATTEST, TPMT_SIGNATURE (RSASSA SHA-256), RSA-2048 AK SPKI; extraData as the manifest lists it. */
function trusteeQuote(): TpmQuoteInput {
  const d = json('tpm/trustee-tpm-evidence.json');
  const nonce = 'a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c12000000000000000000000000000000000';
  const q = d.tpm_quote;
  return {
    message: b64(q.message),
    signature: { encoding: 'tpmt', bytes: b64(q.signature) },
    akSpki: b64(d.ak_public),
    pcrs: sha256Bank(q.pcrs),
    nonce: fromHex(nonce),
  };
}

/** Azure's vTPM quote: a bare RSA signature, the AK from the HCL report's runtime data (HCLAkPub), nonce "challenge". */
function azureQuote(): TpmQuoteInput {
  const d = json('azure/snp-milan-tpm-quote.json');
  const nonce = new TextEncoder().encode('challenge');
  return { message: fromHex(d.message), signature: { encoding: 'raw', bytes: fromHex(d.signature) }, akSpki: hclAkSpki(), pcrs: sha256Bank(d.pcrs), nonce };
}

/** HCL layout: 32-byte header, 1184-byte SNP report, 20-byte runtime-claims header (varDataSize at +16), then the JSON. */
function hclAkSpki(): Uint8Array {
  const hcl = vectorBytes('azure/snp-milan-hcl-report.bin');
  const claims = 0x20 + 1184;
  const size = new DataView(hcl.buffer, hcl.byteOffset).getUint32(claims + 16, true);
  const runtime = JSON.parse(new TextDecoder().decode(hcl.subarray(claims + 20, claims + 20 + size)));
  const jwk = runtime.keys.find((k: { kid: string }) => k.kid === 'HCLAkPub');
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

function statusOf(v: TpmQuoteVerification): Record<string, string> {
  return Object.fromEntries(v.checks.map((c) => [c.id, c.status]));
}

function byId(v: TpmQuoteVerification, id: string) {
  const c = v.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is reported`);
  return c;
}

const ALL_PASS = { 'tpm.quote.format': 'pass', 'tpm.quote.signature': 'pass', 'tpm.pcr-digest': 'pass', 'tpm.nonce': 'pass', 'tpm.ak.trust': 'warn' };

for (const crypto of PROVIDERS) {
  for (const [name, quote] of [
    ['trustee', trusteeQuote],
    ['azure', azureQuote],
  ] as const) {
    test(`${name} quote verifies with ${crypto.name}: signature, PCR digest and nonce pass; AK trust not established`, async () => {
      const v = await verifyTpmQuote(crypto, quote());
      assert.deepEqual(statusOf(v), ALL_PASS);
      assert.deepEqual(
        v.checks.map((c) => c.id),
        specsOf(TPM_CHECKS).map((s) => s.id),
      );
      assert.equal(byId(v, 'tpm.ak.trust').gap, 'ak-trust');
      assert.equal(Object.keys(v.attestedPcrs.sha256 ?? {}).length, 24);
    });
  }
}

test('trustee: PCR 0 is attested as all zero, as the manifest says', async () => {
  const v = await verifyTpmQuote(nodeCryptoProvider(), trusteeQuote());
  assert.equal(v.attestedPcrs.sha256!['0'], '0'.repeat(64));
});

for (const crypto of PROVIDERS) {
  test(`a flipped signature byte fails tpm.quote.signature with ${crypto.name} (TPMT and bare)`, async () => {
    for (const quote of [trusteeQuote(), azureQuote()]) {
      const bytes = quote.signature.bytes.slice();
      bytes[bytes.length - 10]! ^= 0x01;
      const v = await verifyTpmQuote(crypto, { ...quote, signature: { ...quote.signature, bytes } });
      assert.equal(byId(v, 'tpm.quote.signature').status, 'fail');
      assert.equal(byId(v, 'tpm.quote.signature').code, 'TPM_SIGNATURE_INVALID');
      assert.deepEqual(v.attestedPcrs, {}, 'no PCR is attested by a signature that does not verify');
    }
  });
}

test('a changed PCR value fails tpm.pcr-digest with PCR_DIGEST_MISMATCH and attests nothing', async () => {
  const quote = trusteeQuote();
  const pcrs = { sha256: { ...quote.pcrs!.sha256, '7': '11'.repeat(32) } };
  const v = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, pcrs });
  const c = byId(v, 'tpm.pcr-digest');
  assert.deepEqual([c.status, c.code], ['fail', 'PCR_DIGEST_MISMATCH']);
  assert.equal(byId(v, 'tpm.quote.signature').status, 'pass');
  assert.deepEqual(v.attestedPcrs, {});
});

test('PCR values must cover the selection: a missing or a short value fails; an extra one is not attested', async () => {
  const quote = azureQuote();
  const { '23': _dropped, ...missing } = quote.pcrs!.sha256!;
  const cases: PcrValues[] = [{ sha256: missing }, { sha256: { ...quote.pcrs!.sha256, '3': 'abcd' } }];
  for (const pcrs of cases) {
    const c = byId(await verifyTpmQuote(nodeCryptoProvider(), { ...quote, pcrs }), 'tpm.pcr-digest');
    assert.deepEqual([c.status, c.code], ['fail', 'PCR_DIGEST_MISMATCH'], c.explain);
  }
  // Another bank beside the selected one (tools often send every bank): it passes, and is not attested.
  const v = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, pcrs: { ...quote.pcrs, sha1: { '0': '00'.repeat(20) } } });
  const c = byId(v, 'tpm.pcr-digest');
  assert.equal(c.status, 'pass', c.explain);
  assert.match(c.explain, /Not attested, as the quote does not select them: sha1 PCR 0/);
  assert.equal(v.attestedPcrs.sha1, undefined);
  assert.equal(Object.keys(v.attestedPcrs.sha256 ?? {}).length, 24);
});

test('without PCR values or a nonce those checks skip, and nothing is attested', async () => {
  const { pcrs: _p, nonce: _n, ...rest } = trusteeQuote();
  const v = await verifyTpmQuote(nodeCryptoProvider(), rest);
  assert.equal(byId(v, 'tpm.pcr-digest').status, 'skip');
  assert.equal(byId(v, 'tpm.nonce').status, 'skip');
  assert.equal(byId(v, 'tpm.nonce').gap, 'freshness');
  assert.deepEqual(v.attestedPcrs, {});
});

test('a wrong nonce fails tpm.nonce with NONCE_MISMATCH', async () => {
  const v = await verifyTpmQuote(nodeCryptoProvider(), { ...azureQuote(), nonce: new TextEncoder().encode('challengf') });
  const c = byId(v, 'tpm.nonce');
  assert.deepEqual([c.status, c.code], ['fail', 'NONCE_MISMATCH']);
});

test('a pinned AK establishes AK trust; another pin fails it', async () => {
  const quote = trusteeQuote();
  const pin = new Uint8Array(createHash('sha256').update(quote.akSpki).digest());
  assert.equal(byId(await verifyTpmQuote(nodeCryptoProvider(), { ...quote, pinnedAkSha256: pin }), 'tpm.ak.trust').status, 'pass');
  const other = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, pinnedAkSha256: new Uint8Array(32) });
  assert.deepEqual([byId(other, 'tpm.ak.trust').status, byId(other, 'tpm.ak.trust').code], ['fail', 'REFERENCE_MISMATCH']);
});

test('the wrong AK fails the signature; a malformed message fails the format and skips the rest', async () => {
  const wrongKey = await verifyTpmQuote(nodeCryptoProvider(), { ...trusteeQuote(), akSpki: azureQuote().akSpki });
  assert.equal(byId(wrongKey, 'tpm.quote.signature').status, 'fail');
  const quote = trusteeQuote();
  const v = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, message: quote.message.subarray(1) });
  assert.deepEqual(statusOf(v), {
    'tpm.quote.format': 'fail',
    'tpm.quote.signature': 'skip',
    'tpm.pcr-digest': 'skip',
    'tpm.nonce': 'skip',
    'tpm.ak.trust': 'skip',
  });
  assert.equal(byId(v, 'tpm.quote.format').code, 'MALFORMED_EVIDENCE');
});

/** A TPMT_SIGNATURE for `sig` under sigAlg with SHA-256 (TPM_ALG_SHA256 0x000b). */
function tpmt(sigAlg: number, ...parts: Uint8Array[]): Uint8Array {
  const out = [sigAlg >> 8, sigAlg & 0xff, 0x00, 0x0b];
  for (const p of parts) out.push(p.length >> 8, p.length & 0xff, ...p);
  return new Uint8Array(out);
}

for (const crypto of PROVIDERS) {
  test(`RSA-PSS with either salt length verifies and says which (${crypto.name})`, async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const quote = trusteeQuote();
    const akSpki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    for (const [saltLength, said] of [
      [32, 'hash-length'],
      [256 - 32 - 2, 'maximum'],
    ] as const) {
      const sig = sign('sha256', quote.message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      const v = await verifyTpmQuote(crypto, { ...quote, akSpki, signature: { encoding: 'tpmt', bytes: tpmt(0x0016, sig) } });
      const c = byId(v, 'tpm.quote.signature');
      assert.equal(c.status, 'pass');
      assert.match(c.explain, new RegExp(said));
    }
  });

  test(`ECDSA P-256 with a short r verifies after left-padding (${crypto.name})`, async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const quote = trusteeQuote();
    const akSpki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const message = quote.message;
    let raw = new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    // Re-sign (a different nonce each time) until r has a leading zero byte, as a TPM would drop it.
    for (let i = 0; raw[0] !== 0 && i < 5000; i++) raw = new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    assert.equal(raw[0], 0, 'a signature with a leading zero in r was found');
    const r = raw.subarray(1, 32);
    const v = await verifyTpmQuote(crypto, { ...quote, akSpki, signature: { encoding: 'tpmt', bytes: tpmt(0x0018, r, raw.subarray(32)) } });
    assert.equal(byId(v, 'tpm.quote.signature').status, 'pass', byId(v, 'tpm.quote.signature').explain);
  });
}

test('an unsupported signing hash (SHA-1) is refused, not verified', async () => {
  const quote = trusteeQuote();
  const bytes = quote.signature.bytes.slice();
  bytes[3] = 0x04; // TPM_ALG_SHA1
  const v = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, signature: { encoding: 'tpmt', bytes } });
  const c = byId(v, 'tpm.quote.signature');
  assert.deepEqual([c.status, c.code], ['fail', 'TPM_SIGNATURE_INVALID']);
  assert.equal(byId(v, 'tpm.pcr-digest').status, 'skip');
});

test('seeded mutations of the message never throw and never pass the signature', async () => {
  const rnd = prng(0x12);
  const quote = azureQuote();
  for (let round = 0; round < 300; round++) {
    const message = quote.message.slice();
    message[rnd.int(message.length)]! ^= 1 + rnd.int(255);
    const v = await verifyTpmQuote(nodeCryptoProvider(), { ...quote, message });
    assert.notEqual(byId(v, 'tpm.quote.signature').status, 'pass', `round ${round}`);
    for (const c of v.checks) if (c.status === 'fail') assert.ok(c.code, `${c.id} failed with a code`);
  }
});

/** A TPMS_ATTEST quote over `banks` (TPM_ALG_ID and PCR bitmap, in selection order) with `digest` as pcrDigest. */
function syntheticAttest(banks: [number, number[]][], digest: Uint8Array): Uint8Array {
  const u16 = (v: number) => [v >> 8, v & 0xff];
  const head = [0xff, 0x54, 0x43, 0x47, 0x80, 0x18, ...u16(0), ...u16(4), 1, 2, 3, 4, ...new Array(16).fill(0), 1, ...new Array(8).fill(0)];
  const sel = banks.flatMap(([alg, bitmap]) => [...u16(alg), bitmap.length, ...bitmap]);
  return new Uint8Array([...head, 0, 0, 0, banks.length, ...sel, ...u16(digest.length), ...digest]);
}

test('the PCR digest uses the signing hash over banks in selection order, not each bank hash', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const akSpki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const pcrs = { sha256: { '2': '22'.repeat(32) }, sha1: { '0': 'a0'.repeat(20), '3': 'a3'.repeat(20) } };
  // Selection: sha256 {2} first, then sha1 {0, 3}; SHA-256 (the signing hash) over all three values in that order.
  const digest = createHash('sha256')
    .update(Buffer.from(pcrs.sha256['2'] + pcrs.sha1['0'] + pcrs.sha1['3'], 'hex'))
    .digest();
  const message = syntheticAttest(
    [
      [0x000b, [0x04, 0, 0]],
      [0x0004, [0x09, 0, 0]],
    ],
    digest,
  );
  const sig = sign('sha256', message, privateKey);
  const input: TpmQuoteInput = { message, akSpki, signature: { encoding: 'tpmt', bytes: tpmt(0x0014, sig) }, pcrs, nonce: new Uint8Array([1, 2, 3, 4]) };
  const v = await verifyTpmQuote(nodeCryptoProvider(), input);
  assert.deepEqual(statusOf(v), ALL_PASS);
  assert.deepEqual(v.attestedPcrs, pcrs);
  const swapped = syntheticAttest(
    [
      [0x0004, [0x09, 0, 0]],
      [0x000b, [0x04, 0, 0]],
    ],
    digest,
  );
  const signedSwap = { ...input, message: swapped, signature: { encoding: 'tpmt' as const, bytes: tpmt(0x0014, sign('sha256', swapped, privateKey)) } };
  const c = byId(await verifyTpmQuote(nodeCryptoProvider(), signedSwap), 'tpm.pcr-digest');
  assert.deepEqual([c.status, c.code], ['fail', 'PCR_DIGEST_MISMATCH'], 'the same values in another bank order are another digest');
});
