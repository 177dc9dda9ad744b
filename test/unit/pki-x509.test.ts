/** Differential tests: app/pki against pkijs on every real certificate and CRL in the vectors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { ParseError } from '../../app/errors.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { parseCrl } from '../../app/pki/crl.js';
import { intelCerts, intelCrls, otherCerts, quoteChain } from './pki-fixtures.js';

const hex = (b: Uint8Array | ArrayBuffer): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
const stripZeros = (h: string): string => h.replace(/^(00)+(?=..)/, '');

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

function pkijsName(name: pkijs.RelativeDistinguishedNames): { text: string; cn?: string } {
  const parts = name.typesAndValues.map((tv) => [SHORT[tv.type] ?? tv.type, String(tv.value.valueBlock.value)] as const);
  return { text: parts.map(([t, v]) => `${t}=${v}`).join(', '), cn: parts.find(([t]) => t === 'CN')?.[1] };
}

const certs = [...intelCerts(), ...otherCerts()];
const crls = intelCrls();

test('the vectors provide the expected certificates and CRLs', () => {
  assert.ok(intelCerts().length >= 10, `intel certs: ${intelCerts().length}`);
  assert.ok(otherCerts().length >= 10, `other certs: ${otherCerts().length}`);
  assert.ok(crls.length >= 4, `crls: ${crls.length}`);
});

test('certificates match pkijs field by field', () => {
  for (const { name, der } of certs) {
    const ours = parseCertificate(der);
    const theirs = pkijs.Certificate.fromBER(new Uint8Array(der));
    const msg = `${name}`;
    assert.equal(ours.version, theirs.version + 1, msg);
    assert.equal(ours.serialHex, stripZeros(hex(theirs.serialNumber.valueBlock.valueHexView)), msg);
    assert.equal(hex(ours.serial), hex(theirs.serialNumber.valueBlock.valueHexView), msg);
    for (const [a, b] of [
      [ours.issuer, theirs.issuer],
      [ours.subject, theirs.subject],
    ] as const) {
      const t = pkijsName(b);
      assert.equal(a.text, t.text, msg);
      assert.equal(a.cn, t.cn, msg);
      assert.equal(hex(a.der), hex(b.toSchema().toBER(false)), msg);
    }
    assert.equal(ours.notBefore, theirs.notBefore.value.getTime(), msg);
    assert.equal(ours.notAfter, theirs.notAfter.value.getTime(), msg);
    assert.equal(hex(ours.tbs), hex(theirs.tbsView), msg);
    assert.equal(hex(ours.signature), hex(theirs.signatureValue.valueBlock.valueHexView), msg);
    assert.equal(ours.signatureAlgorithm.oid, theirs.signatureAlgorithm.algorithmId, msg);
    assert.equal(hex(ours.publicKey.spki), hex(theirs.subjectPublicKeyInfo.toSchema().toBER(false)), msg);
    if (ours.publicKey.point) assert.equal(hex(ours.publicKey.point), hex(theirs.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView), msg);
    const exts = theirs.extensions ?? [];
    assert.deepEqual(
      ours.extensions.map((e) => [e.oid, e.critical, hex(e.value)]),
      exts.map((e) => [e.extnID, e.critical, hex(e.extnValue.valueBlock.valueHexView)]),
      msg,
    );
    const bc = exts.find((e) => e.extnID === '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
    if (!bc) assert.equal(ours.basicConstraints, undefined, msg);
    else {
      const pathLen = bc.pathLenConstraint instanceof asn1js.Integer ? bc.pathLenConstraint.valueBlock.valueDec : bc.pathLenConstraint;
      assert.deepEqual(ours.basicConstraints, { ca: bc.cA, ...(pathLen !== undefined ? { pathLen } : {}) }, msg);
    }
  }
});

test('signature algorithms and keys are classified', () => {
  const intel = intelCerts().map((s) => parseCertificate(s.der));
  for (const c of intel) {
    assert.deepEqual(c.signatureAlgorithm, { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256', kind: 'ecdsa', hash: 'SHA-256' });
    assert.equal(c.publicKey.curve, 'P-256');
    assert.equal(c.publicKey.point?.length, 65);
  }
  const amd = otherCerts()
    .filter((s) => s.name.includes('amd') || s.name.includes('vcek'))
    .map((s) => parseCertificate(s.der));
  assert.ok(amd.length >= 8);
  for (const c of amd) {
    assert.equal(c.signatureAlgorithm.kind, 'rsa-pss');
    assert.deepEqual(c.signatureAlgorithm.pss, { hash: 'SHA-384', saltLength: 48 });
  }
  assert.ok(amd.some((c) => c.publicKey.algorithm === 'rsa'));
  assert.ok(amd.some((c) => c.publicKey.curve === 'P-384' && c.publicKey.point?.length === 97));
  const root = intel.find((c) => c.subject.cn === 'Intel SGX Root CA')!;
  assert.equal(root.subject.text, 'CN=Intel SGX Root CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US');
  assert.deepEqual(root.keyUsage, { digitalSignature: false, keyCertSign: true, cRLSign: true });
});

test('CRLs match pkijs, including every revoked serial', () => {
  let total = 0;
  for (const { name, der } of crls) {
    const ours = parseCrl(der);
    const theirs = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
    assert.equal(ours.issuer.text, pkijsName(theirs.issuer).text, name);
    assert.equal(hex(ours.issuer.der), hex(theirs.issuer.toSchema().toBER(false)), name);
    assert.equal(ours.thisUpdate, theirs.thisUpdate.value.getTime(), name);
    assert.equal(ours.nextUpdate, theirs.nextUpdate?.value.getTime(), name);
    assert.equal(hex(ours.tbs), hex(theirs.tbsView), name);
    assert.equal(hex(ours.signature), hex(theirs.signatureValue.valueBlock.valueHexView), name);
    const serials = new Set((theirs.revokedCertificates ?? []).map((r) => stripZeros(hex(r.userCertificate.valueBlock.valueHexView))));
    assert.deepEqual(ours.revokedSerials, serials, name);
    assert.deepEqual(
      ours.extensions.map((e) => e.oid),
      (theirs.crlExtensions?.extensions ?? []).map((e) => e.extnID),
      name,
    );
    total += serials.size;
  }
  assert.ok(total > 100, `revoked serials in all CRLs: ${total}`);
});

/** Re-encodes a TLV with new content (test-only DER writer). */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return cat(new Uint8Array([tag, ...len]), content);
}
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

test('structural rules: trailing bytes, algorithm mismatch, duplicate extensions, DER defaults', () => {
  const der = quoteChain('sgx/dcapqvl-v3.quote')[0]!.der;
  const cert = parseCertificate(der);
  const fails = (bytes: Uint8Array) =>
    assert.throws(
      () => parseCertificate(bytes),
      (e: unknown) => e instanceof ParseError && e.code === 'CERT_CHAIN_INVALID',
    );
  fails(cat(der, new Uint8Array([0])));
  // Outer algorithm ecdsa-with-SHA384 while the signed one says SHA256.
  const outerAlg = tlv(0x30, tlv(0x06, Buffer.from('2a8648ce3d040303', 'hex')));
  const sigValue = tlv(0x03, cat(new Uint8Array([0]), cert.signature));
  fails(tlv(0x30, cat(cert.tbs, outerAlg, sigValue)));
  // Rebuild the tbs with an extra copy of its first extension.
  const rebuilt = (mutateExts: (exts: Uint8Array[]) => Uint8Array[]) => {
    const tbsContent = cert.tbs.subarray(cert.tbs[1]! & 0x80 ? 2 + (cert.tbs[1]! & 0x7f) : 2);
    const extStart = Buffer.from(tbsContent).lastIndexOf(Buffer.from([0xa3]));
    const exts = cert.extensions.map((e) =>
      tlv(0x30, cat(tlv(0x06, oidBytes(e.oid)), e.critical ? new Uint8Array([1, 1, 0xff]) : new Uint8Array(0), tlv(0x04, e.value))),
    );
    const tbs = tlv(0x30, cat(tbsContent.subarray(0, extStart), tlv(0xa3, tlv(0x30, cat(...mutateExts(exts))))));
    return tlv(0x30, cat(tbs, tlv(0x30, tlv(0x06, Buffer.from('2a8648ce3d040302', 'hex'))), sigValue));
  };
  assert.equal(parseCertificate(rebuilt((e) => e)).tbs.length, cert.tbs.length); // the rebuild itself is faithful
  fails(rebuilt((e) => [...e, e[0]!]));
  fails(rebuilt((e) => [tlv(0x30, cat(tlv(0x06, oidBytes('2.5.29.14')), new Uint8Array([1, 1, 0]), tlv(0x04, new Uint8Array([4, 0])))), ...e.slice(1)]));
  fails(rebuilt(() => []));
  // Many extensions: linear time, and a duplicate at the very end is still found.
  const many = Array.from({ length: 30000 }, (_, i) => tlv(0x30, cat(tlv(0x06, oidBytes(`1.2.3.${i}`)), tlv(0x04, new Uint8Array(0)))));
  const t0 = performance.now();
  assert.equal(parseCertificate(rebuilt(() => many)).extensions.length, 30000);
  fails(rebuilt(() => [...many, many[0]!]));
  assert.ok(performance.now() - t0 < 1000);
});

function oidBytes(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return new Uint8Array(out);
}

test('a CRL with 20000 entries parses quickly', () => {
  const real = parseCrl(crls.find((c) => c.name.includes('pck_crl') && parseCrl(c.der).revokedSerials.size > 0)!.der);
  const entries: Uint8Array[] = [];
  const date = tlv(0x17, Buffer.from('250101000000Z'));
  const reason = tlv(0x30, tlv(0x30, cat(tlv(0x06, oidBytes('2.5.29.21')), tlv(0x04, tlv(0x0a, new Uint8Array([1]))))));
  for (let i = 0; i < 20000; i++) {
    const serial = Buffer.alloc(20);
    serial.writeUInt32BE(i + 1, 16);
    serial[0] = 0x7f;
    entries.push(tlv(0x30, cat(tlv(0x02, serial), date, reason)));
  }
  const list = cat(...entries);
  const len = list.length;
  const listTlv = cat(new Uint8Array([0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]), list);
  const head = tlv(0x30, tlv(0x06, oidBytes('1.2.840.10045.4.3.2')));
  const body = cat(new Uint8Array([2, 1, 1]), head, real.issuer.der, date, date, listTlv);
  const tbs = cat(new Uint8Array([0x30, 0x83, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body);
  const sig = tlv(0x03, new Uint8Array([0, 0x30, 0]));
  const all = cat(tbs, head, sig);
  const der = cat(new Uint8Array([0x30, 0x83, all.length >> 16, (all.length >> 8) & 0xff, all.length & 0xff]), all);
  const t0 = performance.now();
  const crl = parseCrl(der);
  const ms = performance.now() - t0;
  assert.equal(crl.revokedSerials.size, 20000);
  assert.ok(crl.revokedSerials.has('7f' + '00'.repeat(15) + '00000001'));
  console.log(`parseCrl: 20000 entries (${(der.length / 1024).toFixed(0)} KiB) in ${ms.toFixed(1)} ms`);
  assert.ok(ms < 1000, 'linear, not quadratic (a quadratic parse takes many seconds)');
});

test('perf: parsing the 3-certificate PCK chain, ours vs pkijs', () => {
  const chain = quoteChain('tdx/dcapqvl-v4.quote').map((s) => s.der);
  assert.equal(chain.length, 3);
  const time = (fn: () => void, n: number): number => {
    for (let i = 0; i < 50; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const ours = time(() => chain.forEach((d) => parseCertificate(d)), 2000);
  const copies = chain.map((d) => new Uint8Array(d)); // pkijs wants ArrayBuffer-backed input
  const theirs = time(() => copies.forEach((d) => pkijs.Certificate.fromBER(d)), 300);
  console.log(`PCK chain (3 certs) parse: ours ${ours.toFixed(1)} µs, pkijs ${theirs.toFixed(1)} µs (x${(theirs / ours).toFixed(1)})`);
  assert.ok(ours < theirs);
});
