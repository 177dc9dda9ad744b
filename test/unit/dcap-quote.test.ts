import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { ParseError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';

const v4 = () => vectorBytes('tdx/dcapqvl-v4.quote').slice();

function parseFails(bytes: Uint8Array, field: RegExp, offset?: number): void {
  assert.throws(
    () => parseQuote(bytes),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, 'a ParseError');
      assert.equal(e.code, 'MALFORMED_EVIDENCE');
      assert.match(String(e.detail.field), field);
      if (offset !== undefined) assert.equal(e.detail.offset, offset);
      return true;
    },
  );
}

test('versions, key types and TEE types outside the spec are MALFORMED_EVIDENCE at their offsets', () => {
  const q = v4();
  q[0] = 6;
  parseFails(q, /header\.version/, 0);
  const k = v4();
  k[2] = 3;
  parseFails(k, /attestationKeyType/, 2);
  const t = v4();
  t[4] = 0x82;
  parseFails(t, /teeType/, 4);
  const v3tdx = v4();
  v3tdx[0] = 3;
  parseFails(v3tdx, /teeType/, 4);
});

test('a signature data length past the end is caught before any read', () => {
  const q = v4();
  new DataView(q.buffer).setUint32(632, 0xffffffff, true);
  parseFails(q, /signatureData/, 636);
});

test('every truncation of a real quote fails with a field name, never reads out of bounds', () => {
  const q = vectorBytes('sgx/dcapqvl-v3.quote');
  for (let n = 0; n < q.length; n += 7) parseFails(q.subarray(0, n), /./);
});

test('v5 body descriptors must match their declared sizes and the TEE type', () => {
  const q = vectorBytes('tdx/gotdx-v5.quote').slice();
  assert.equal(parseQuote(q).body.kind, 'td15');
  const wrongSize = q.slice();
  wrongSize[50] = 0x49; // size 584 with type 3
  parseFails(wrongSize, /bodyDescriptor\.size/, 50);
  const sgxType = q.slice();
  sgxType[48] = 1;
  parseFails(sgxType, /bodyDescriptor/);
});

test('trailing padding after the signature data is counted, not parsed', () => {
  assert.equal(parseQuote(vectorBytes('tdx/dcapqvl-v4.quote')).trailingBytes, 70);
  assert.equal(parseQuote(vectorBytes('eventlog/gotdx-cos113-tdx.quote')).trailingBytes, 3065);
  const withText = parseQuote(vectorBytes('tdx/gotdx-v4-spr-e4.quote'));
  assert.ok(withText.trailingBytes >= 37);
});
