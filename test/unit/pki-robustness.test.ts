/**
 * Robustness: truncated, mutated and random inputs either parse or throw ParseError, never any
 * other exception, and never hang. Mutations are seeded so that a failure can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../app/errors.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { parseCrl } from '../../app/pki/crl.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { children, readNode } from '../../app/pki/der.js';
import type { DerNode } from '../../app/pki/der.js';
import { ecdsaDerToRaw } from '../../app/pki/signature.js';
import { parsePckExtensions } from '../../app/tee/dcap/pck-extensions.js';
import { intelCerts, intelCrls, otherCerts, prng } from './pki-fixtures.js';
import type { DerSample } from './pki-fixtures.js';

type Parse = (der: Uint8Array) => unknown;

const parseCert: Parse = (der) => {
  const cert = parseCertificate(der);
  if (cert.extensions.some((e) => e.oid === '1.2.840.113741.1.13.1')) parsePckExtensions(cert);
  return cert;
};
const parseCrlDer: Parse = (der) => parseCrl(der);

/** Runs `parse`: 'parsed', 'rejected' (a ParseError), or the stack of any other exception. */
function outcome(parse: Parse, input: Uint8Array): string {
  try {
    parse(input);
    return 'parsed';
  } catch (e) {
    return e instanceof ParseError ? 'rejected' : String((e as Error)?.stack ?? e);
  }
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Offsets of every TLV header: mutating those exercises the parser far more than key bytes do. */
function headerOffsets(der: Uint8Array): number[] {
  const out: number[] = [];
  const walk = (n: DerNode): void => {
    for (let i = n.start; i < n.start + n.headerLength; i++) out.push(i);
    if (n.tag & 0x20) children(n).forEach(walk);
  };
  walk(readNode(der, 0, der.length));
  return out;
}

function mutate(der: Uint8Array, headers: number[], rnd: () => number): Uint8Array {
  const pos = (): number => (rnd() < 0.6 ? headers[Math.floor(rnd() * headers.length)]! : Math.floor(rnd() * der.length));
  const byte = (): number => (rnd() < 0.3 ? [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][Math.floor(rnd() * 7)]! : Math.floor(rnd() * 256));
  const kind = rnd();
  if (kind < 0.1) {
    const at = pos(); // insert a byte
    const out = new Uint8Array(der.length + 1);
    out.set(der.subarray(0, at));
    out[at] = byte();
    out.set(der.subarray(at), at + 1);
    return out;
  }
  if (kind < 0.2) {
    const at = pos(); // delete a byte
    const out = new Uint8Array(der.length - 1);
    out.set(der.subarray(0, at));
    out.set(der.subarray(at + 1), at);
    return out;
  }
  const out = der.slice();
  const n = kind < 0.6 ? 1 : 2 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) out[pos()] = kind < 0.4 ? out[pos()]! ^ (1 << Math.floor(rnd() * 8)) : byte();
  return out;
}

const certs = [...intelCerts(), ...otherCerts()];
const crls = intelCrls();
const samples: [DerSample, Parse][] = [...certs.map((s) => [s, parseCert] as [DerSample, Parse]), ...crls.map((s) => [s, parseCrlDer] as [DerSample, Parse])];

test('every truncation of every certificate and CRL is a ParseError', () => {
  for (const [s, parse] of samples) {
    for (let n = 0; n < s.der.length; n++) {
      const result = outcome(parse, s.der.subarray(0, n));
      if (result !== 'rejected') assert.fail(`${s.name} truncated to ${n}: ${result}`);
    }
  }
});

test('2000 seeded mutations of each certificate and CRL parse or throw ParseError', () => {
  let parsed = 0;
  let total = 0;
  samples.forEach(([s, parse], index) => {
    const rnd = prng(0x5eed + index);
    const headers = headerOffsets(s.der);
    for (let i = 0; i < 2000; i++) {
      const input = mutate(s.der, headers, rnd);
      const result = outcome(parse, input);
      if (result !== 'parsed' && result !== 'rejected') assert.fail(`${s.name} mutation ${i} (seed ${0x5eed + index}): ${hexOf(input)}\n${result}`);
      total++;
      if (result === 'parsed') parsed++;
    }
  });
  console.log(`mutations: ${total}, still parsed: ${parsed}`);
  assert.ok(parsed > 0 && parsed < total); // the mix hits both sides
});

test('random byte strings and random DER-ish prefixes', () => {
  const rnd = prng(42);
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(rnd() * 300);
    const input = new Uint8Array(len);
    for (let k = 0; k < len; k++) input[k] = Math.floor(rnd() * 256);
    if (len > 4 && i % 2 === 0) input.set([0x30, 0x82, (len - 4) >> 8, (len - 4) & 0xff]); // plausible outer header
    for (const parse of [parseCert, parseCrlDer]) {
      const result = outcome(parse, input);
      if (result !== 'rejected' && result !== 'parsed') assert.fail(`${hexOf(input)}: ${result}`);
    }
    const raw = ecdsaDerToRaw(input.subarray(0, 72), 32);
    assert.ok(raw === undefined || raw.length === 64);
  }
});

test('mutated PEM text parses or throws ParseError', () => {
  const rnd = prng(7);
  const pem = certs
    .slice(0, 3)
    .map((s) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(s.der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`)
    .join('');
  assert.equal(pemBlocks(pem).length, 3);
  const alphabet = '-ABCDEFGHIJKLMNOPQRSTUVWXYZ =\n\0+/_';
  for (let i = 0; i < 3000; i++) {
    const chars = pem.split('');
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) chars[Math.floor(rnd() * chars.length)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
    const text = chars.join('');
    try {
      for (const block of pemBlocks(text)) parseCertificate(block.der);
    } catch (e) {
      assert.ok(e instanceof ParseError, `${String(e)}\n${text}`);
    }
  }
});
