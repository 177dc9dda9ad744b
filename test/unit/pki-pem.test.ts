/**
 * PEM strictness (RFC 7468 2 and 3): armour lines are exact, every BEGIN has the END of the same
 * label, and anything that looks like armour but is not an exact pair is an error, never text to
 * skip. Negatives are made by mutating a real quote's PCK chain and a real chain file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../app/errors.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { createVerifier } from '../../app/verifier.js';
import { VECTORS_DIR, collateralFiles, dcapVectors, vectorBytes } from '../support/vectors.js';

const PEM = (label: string, b64: string) => `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;

function throwsPem(text: string, pattern: RegExp): void {
  assert.throws(
    () => pemBlocks(text, 'MALFORMED_COLLATERAL'),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      assert.equal(e.code, 'MALFORMED_COLLATERAL');
      assert.match(e.message, pattern);
      return true;
    },
    JSON.stringify(text),
  );
}

test('pem: misspelt or mangled armour between blocks is an error, not text to skip', () => {
  const good = PEM('CERTIFICATE', 'AAEC');
  for (const line of [
    '-----BAGIN CERTIFICATE-----',
    '----BEGIN CERTIFICATE-----',
    '-----BEGIN CERTIFICATE----',
    '-----BEGIN CERTIFICATE',
    '-----END CERTIFICATE-----',
    '-----SOMETHING-----',
    'x-----BEGIN CERTIFICATE-----',
    ' -----BEGIN CERTIFICATE-----',
    '-----',
  ])
    throwsPem(`${good}${line}\nAAEC\n-----END CERTIFICATE-----\n`, /armour|END/);
});

test('pem: an END line must close the block exactly, with the same label', () => {
  throwsPem('-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE----\n', /no matching END|armour/);
  throwsPem('-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----x\n', /no matching END|armour/);
  throwsPem('-----BEGIN CERTIFICATE-----\nAAEC\n-----END X509 CRL-----\n', /"CERTIFICATE".*END/);
  throwsPem('-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n', /"CERTIFICATE"/);
  throwsPem('-----BEGIN CERTIFICATE-----AAEC-----END CERTIFICATE-----\n', /armour|END/);
});

test('pem: text that is not armour-like stays allowed between blocks, and trailing blanks on armour lines', () => {
  const text = `Subject: CN=test\n${PEM('CERTIFICATE', 'AAEC')}\n# a comment - with a dash\n${PEM('X509 CRL', 'BQY=')}\0`;
  assert.deepEqual(
    pemBlocks(text).map((b) => b.label),
    ['CERTIFICATE', 'X509 CRL'],
  );
  assert.equal(pemBlocks('-----BEGIN CERTIFICATE----- \r\nAAEC\r\n-----END CERTIFICATE-----\t\r\n').length, 1);
});

test('pem: a body that is not canonical base64 (non-zero pad bits, RFC 4648 3.5) is an error', () => {
  assert.deepEqual(
    pemBlocks(PEM('CERTIFICATE', 'AAE=')).map((b) => [...b.der]),
    [[0, 1]],
  );
  throwsPem(PEM('CERTIFICATE', 'AAF='), /canonical/);
});

/** The real quote with its PCK chain's BEGIN lines, in order of appearance. */
const V4 = dcapVectors().find((v) => v.path === 'tdx/dcapqvl-v4.quote' && v.expect.verdict === 'verified')!;

function beginOffsets(bytes: Uint8Array): number[] {
  const text = Buffer.from(bytes).toString('latin1');
  const out: number[] = [];
  for (let at = text.indexOf('-----BEGIN '); at >= 0; at = text.indexOf('-----BEGIN ', at + 1)) out.push(at);
  return out;
}

/** A copy with `from` replaced by `to` (same length, so the quote still parses) at `at`. */
function patch(bytes: Uint8Array, at: number, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  assert.equal(Buffer.from(bytes.subarray(at, at + from.length)).toString('latin1'), from);
  const out = bytes.slice();
  out.set(Buffer.from(to, 'latin1'), at);
  return out;
}

async function verifyV4(quote: Uint8Array) {
  return createVerifier().verify(quote, collateralFiles(V4), { at: new Date(V4.expect.at) });
}

test('the real v4 quote verifies unmodified (control)', async () => {
  const r = await verifyV4(vectorBytes(V4.path));
  assert.equal(r.verdict, 'verified');
  assert.equal(beginOffsets(vectorBytes(V4.path)).length, 3);
});

for (const block of [1, 2]) {
  test(`dcapqvl-v4 quote with "-----BAGIN CERTIFICATE-----" in PCK chain block ${block + 1}: not verified`, async () => {
    const quote = vectorBytes(V4.path);
    const at = beginOffsets(quote)[block]!;
    const r = await verifyV4(patch(quote, at, '-----BEGIN', '-----BAGIN'));
    assert.equal(r.verdict, 'rejected');
    assert.equal(r.cryptoValid, false);
    assert.ok(['MALFORMED_EVIDENCE', 'CERT_CHAIN_INVALID'].includes(r.errors[0]!.code), JSON.stringify(r.errors));
    assert.match(r.errors.map((e) => e.message).join(' '), /armour/);
  });
}

test("dcapqvl-v4 quote with the root block's BEGIN line missing a dash: not a two-certificate chain", async () => {
  const quote = vectorBytes(V4.path);
  const r = await verifyV4(patch(quote, beginOffsets(quote)[2]!, '-----BEGIN', 'x----BEGIN'));
  assert.equal(r.verdict, 'rejected');
  assert.ok(['MALFORMED_EVIDENCE', 'CERT_CHAIN_INVALID'].includes(r.errors[0]!.code), JSON.stringify(r.errors));
});

/** The three-certificate PCK CRL issuer chain file: PCK CA, then root. */
const CHAIN_FILE = readFileSync(VECTORS_DIR + 'tdx/gotdx-pcs-2023/pck-crl-issuer-chain.pem', 'latin1');

test('a PEM chain file with a corrupted character in its root block is an error, not a shorter chain', () => {
  const blocks = pemBlocks(CHAIN_FILE, 'MALFORMED_COLLATERAL');
  assert.equal(blocks.length, 2);
  const rootBegin = CHAIN_FILE.lastIndexOf('-----BEGIN CERTIFICATE-----');
  const rootBody = rootBegin + '-----BEGIN CERTIFICATE-----\n'.length;
  const rootEnd = CHAIN_FILE.lastIndexOf('-----END CERTIFICATE-----');
  const at = (i: number, c: string) => CHAIN_FILE.slice(0, i) + c + CHAIN_FILE.slice(i + 1);
  throwsPem(at(rootBody + 10, '*'), /base64/); // a character outside the alphabet
  throwsPem(at(rootBody + 10, '-'), /base64|armour/); // a dash inside the body
  throwsPem(at(rootBegin, 'x'), /armour/); // the BEGIN line loses a dash: the body would be skipped as text
  throwsPem(at(rootEnd + 5, 'A'), /armour|END/); // the END line misspelt
  // The last base64 character before the padding, changed in its unused low bits only.
  const pad = CHAIN_FILE.lastIndexOf('=', rootEnd);
  if (pad > rootBody) {
    const last = CHAIN_FILE.slice(rootBody, pad).replace(/[=\s]+$/, '').length + rootBody - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const c = alphabet[alphabet.indexOf(CHAIN_FILE[last]!) ^ 1]!;
    throwsPem(at(last, c), /canonical/);
  }
});
