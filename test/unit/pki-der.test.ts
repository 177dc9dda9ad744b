import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../app/errors.js';
import {
  TAG,
  children,
  contentOf,
  rawOf,
  readBitString,
  readBoolean,
  readInteger,
  readNamedBits,
  readNode,
  readOid,
  readString,
  readTime,
  readUnsigned,
  unsignedHex,
} from '../../app/pki/der.js';
import { pemBlocks, looksLikePem } from '../../app/pki/pem.js';
import { ecdsaDerToRaw } from '../../app/pki/signature.js';

const h = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const node = (hex: string) => {
  const b = h(hex);
  return readNode(b, 0, b.length);
};
const throwsParse = (fn: () => unknown, code?: string) => assert.throws(fn, (e: unknown) => e instanceof ParseError && (code === undefined || e.code === code));

test('readNode: short and long definite lengths, views, children', () => {
  const n = node('3006 0201 05 0401 ff');
  assert.equal(n.tag, TAG.SEQUENCE);
  assert.deepEqual([n.start, n.headerLength, n.length, n.end], [0, 2, 6, 8]);
  const [a, b] = children(n);
  assert.equal(readUnsigned(a!), 5);
  assert.deepEqual(contentOf(b!), h('ff'));
  assert.deepEqual(rawOf(b!), h('0401ff'));
  const long = h('0481 80' + '00'.repeat(128));
  assert.equal(readNode(long, 0, long.length).length, 128);
  const long2 = h('0482 0100' + '00'.repeat(256));
  assert.equal(readNode(long2, 0, long2.length).end, 260);
});

test('readNode: rejects non-DER and out-of-bounds encodings with the given code', () => {
  for (const bad of [
    '',
    '30',
    '3080 0000', // truncated, indefinite
    '1f01 00', // multi-byte tag
    '0481 05 0000000000', // long form for a short length
    '0482 0080' + '00'.repeat(128), // leading zero length octet
    '0485 0000000001 00', // more than 4 length octets
    '0403 0000', // runs past the end
  ]) {
    const b = h(bad);
    throwsParse(() => readNode(b, 0, b.length, 'CERT_CHAIN_INVALID'), 'CERT_CHAIN_INVALID');
  }
  // A child may not run past its parent even when the buffer is longer.
  const b = h('3003 0402 0000');
  throwsParse(() => children(readNode(b, 0, 5)));
  throwsParse(() => readNode(b, 0, 4));
  throwsParse(() => children(node('0400'))); // primitive
});

test("integers: minimal two's complement, unsigned and serial hex", () => {
  assert.deepEqual(readInteger(node('0201 00')), { bytes: h('00'), negative: false, value: 0 });
  assert.equal(readInteger(node('0202 0080')).value, 128);
  assert.equal(readInteger(node('0201 80')).negative, true);
  assert.equal(readInteger(node('0209 00ffffffffffffffff')).value, undefined);
  assert.equal(readInteger(node('0207 1fffffffffffff')).value, Number.MAX_SAFE_INTEGER);
  assert.equal(readInteger(node('0207 20000000000000')).value, undefined);
  throwsParse(() => readInteger(node('0200')));
  throwsParse(() => readInteger(node('0202 0001')));
  throwsParse(() => readInteger(node('0202 ff80')));
  throwsParse(() => readUnsigned(node('0201 ff')));
  throwsParse(() => readUnsigned(node('0202 0100'), 'MALFORMED_EVIDENCE', 'x', 255));
  assert.equal(readUnsigned(node('0a01 01'), 'MALFORMED_EVIDENCE', 'e', 255, TAG.ENUMERATED), 1);
  throwsParse(() => readUnsigned(node('0201 01'), 'MALFORMED_EVIDENCE', 'e', 255, TAG.ENUMERATED));
  assert.equal(unsignedHex(node('0203 00abcd')), 'abcd');
  assert.equal(unsignedHex(node('0201 00')), '00');
  throwsParse(() => unsignedHex(node('0201 80')));
});

test('OIDs: dotted text, first-arc rules, strict arcs', () => {
  assert.equal(readOid(node('0608 2a8648ce3d040302')), '1.2.840.10045.4.3.2');
  assert.equal(readOid(node('060b 2a864886f84d010d010201')), '1.2.840.113741.1.13.1.2.1');
  assert.equal(readOid(node('0603 550403')), '2.5.4.3');
  assert.equal(readOid(node('0601 27')), '0.39');
  assert.equal(readOid(node('0602 8837')), '2.999');
  throwsParse(() => readOid(node('0600')));
  throwsParse(() => readOid(node('0602 2a86'))); // truncated arc
  throwsParse(() => readOid(node('0603 2a8001'))); // non-minimal arc
  throwsParse(() => readOid(node('060a 2a' + 'ff'.repeat(8) + '7f'))); // arc beyond 2^53
});

test('bit strings, named bits, booleans', () => {
  assert.deepEqual(readBitString(node('0303 00abcd')), h('abcd'));
  throwsParse(() => readBitString(node('0302 0180')));
  throwsParse(() => readBitString(node('0300')));
  assert.deepEqual(readNamedBits(node('0302 0106')), h('06'));
  throwsParse(() => readNamedBits(node('0302 0107'))); // padding bit set
  throwsParse(() => readNamedBits(node('0301 01')));
  throwsParse(() => readNamedBits(node('0302 0800')));
  assert.equal(readBoolean(node('0101 ff')), true);
  assert.equal(readBoolean(node('0101 00')), false);
  throwsParse(() => readBoolean(node('0101 01')));
  throwsParse(() => readBoolean(node('0102 0000')));
});

const ascii = (tag: string, s: string) => node(tag + Buffer.from(s).length.toString(16).padStart(2, '0') + Buffer.from(s).toString('hex'));

test('times: UTCTime century rule, GeneralizedTime, calendar validation', () => {
  assert.equal(readTime(ascii('17', '491231235959Z')), Date.UTC(2049, 11, 31, 23, 59, 59));
  assert.equal(readTime(ascii('17', '500101000000Z')), Date.UTC(1950, 0, 1));
  assert.equal(readTime(ascii('18', '20500101000000Z')), Date.UTC(2050, 0, 1));
  assert.equal(readTime(ascii('17', '240229120000Z')), Date.UTC(2024, 1, 29, 12));
  assert.equal(readTime(ascii('18', '00010101000000Z')), -62135596800000); // year 1, not 1901
  for (const bad of [
    '230229120000Z',
    '241301000000Z',
    '240100000000Z',
    '240101240000Z',
    '240101006000Z',
    '240101000060Z',
    '2401010000Z',
    '240101000000+0100',
    '24010100000Z0',
    '2401O1000000Z',
  ]) {
    throwsParse(() => readTime(ascii('17', bad)), undefined);
  }
  throwsParse(() => readTime(ascii('18', '20240101000000.5Z')));
  throwsParse(() => readTime(ascii('18', '19000229000000Z')));
  assert.equal(readTime(ascii('18', '20000229000000Z')), Date.UTC(2000, 1, 29));
  throwsParse(() => readTime(ascii('0c', '240101000000Z')));
});

test('strings: per-type character sets and encodings', () => {
  assert.equal(readString(ascii('13', 'Intel SGX Root CA')), 'Intel SGX Root CA');
  assert.equal(readString(ascii('0c', 'Zürich')), 'Zürich');
  assert.equal(readString(ascii('16', 'a@b.c')), 'a@b.c');
  assert.equal(readString(node('1e04 00410042')), 'AB');
  assert.equal(readString(node('1c04 0001f600')), '\u{1f600}');
  throwsParse(() => readString(ascii('13', 'a*b'))); // '*' is not printable
  throwsParse(() => readString(node('0c02 c328'))); // invalid UTF-8
  throwsParse(() => readString(node('0c02 c0af'))); // overlong UTF-8
  throwsParse(() => readString(node('1e03 004100')));
  throwsParse(() => readString(node('1e02 d800')));
  throwsParse(() => readString(node('1601 80')));
  throwsParse(() => readString(node('0201 00')));
});

const PEM = (label: string, b64: string) => `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;

test('pem: blocks, labels, text between blocks, strictness', () => {
  const text = `junk\n${PEM('CERTIFICATE', 'AAEC\nAwQ=')}between\n${PEM('X509 CRL', 'BQY=')}\0`;
  assert.ok(looksLikePem(text));
  assert.ok(!looksLikePem('{"a": 1}'));
  const blocks = pemBlocks(text, 'MALFORMED_COLLATERAL');
  assert.deepEqual(
    blocks.map((b) => b.label),
    ['CERTIFICATE', 'X509 CRL'],
  );
  assert.deepEqual(blocks[0]!.der, h('0001020304'));
  assert.deepEqual(pemBlocks('no pem here'), []);
  for (const bad of [
    '-----BEGIN CERTIFICATE-----\nAAEC\n-----END X509 CRL-----',
    '-----BEGIN CERTIFICATE-----\nAAEC\n',
    `-----BEGIN CERTIFICATE-----\nAAEC\n${PEM('CERTIFICATE', 'AAEC')}`,
    PEM('CERTIFICATE', 'AA-_'),
    PEM('CERTIFICATE', 'AAE'),
    PEM('CERTIFICATE', 'A=AA'),
    PEM('CERTIFICATE', ''),
    PEM('CERTIFICATE', 'AA!C'),
    PEM('certificate', 'AAEC'),
    '-----BEGIN  CERTIFICATE-----\nAAEC\n-----END  CERTIFICATE-----',
  ])
    throwsParse(() => pemBlocks(bad, 'MALFORMED_COLLATERAL'), 'MALFORMED_COLLATERAL');
  assert.equal(pemBlocks(PEM('A', 'AAAA').repeat(64)).length, 64);
  throwsParse(() => pemBlocks(PEM('A', 'AAAA').repeat(65)));
});

test('ecdsaDerToRaw: strict DER, padding, size limits', () => {
  const sig = (r: string, s: string) => {
    const body = `02${(r.length / 2).toString(16).padStart(2, '0')}${r}02${(s.length / 2).toString(16).padStart(2, '0')}${s}`;
    return h(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`);
  };
  const r = '7f' + '11'.repeat(31);
  const s = '00ff' + '22'.repeat(31);
  assert.deepEqual(ecdsaDerToRaw(sig(r, s), 32), h(r + 'ff' + '22'.repeat(31)));
  assert.deepEqual(ecdsaDerToRaw(sig('01', '02'), 32), h('00'.repeat(31) + '01' + '00'.repeat(31) + '02'));
  assert.equal(ecdsaDerToRaw(sig('00', '02'), 32), undefined); // zero
  assert.equal(ecdsaDerToRaw(sig('0001', '02'), 32), undefined); // non-minimal
  assert.equal(ecdsaDerToRaw(sig('81', '02'), 32), undefined); // negative
  assert.equal(ecdsaDerToRaw(sig('01' + '00'.repeat(32), '02'), 32), undefined); // too large
  assert.equal(ecdsaDerToRaw(h(Buffer.from(sig(r, s)).toString('hex') + '00'), 32), undefined); // trailing
  const extra = sig(r, s);
  assert.equal(ecdsaDerToRaw(extra.subarray(0, extra.length - 1), 32), undefined);
  assert.equal(ecdsaDerToRaw(new Uint8Array(0), 32), undefined);
});
