/** Intel SGX PCK certificate extensions against the decoded fields in manifest.json. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../app/errors.js';
import { parseCertificate } from '../../app/pki/x509.js';
import type { Certificate } from '../../app/pki/x509.js';
import { children, contentOf, readNode, readOid } from '../../app/pki/der.js';
import type { DerNode } from '../../app/pki/der.js';
import { parsePckExtensions } from '../../app/tee/dcap/pck-extensions.js';
import { VECTORS, quoteChain } from './pki-fixtures.js';

interface PckFields {
  issuerCn: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  fmspc: string;
  pceId: string;
  pceSvn: number;
  cpuSvn: string;
  tcbComponents: number[];
  sgxType: number;
  ppid: string;
  platformInstanceId?: string;
}

const manifest = JSON.parse(readFileSync(new URL('manifest.json', VECTORS), 'utf8')) as {
  vectors: { id: string; path: string; expect?: { fields?: { pck?: PckFields } } }[];
};
const withPck = manifest.vectors.filter((v) => v.expect?.fields?.pck && !v.id.includes('@'));
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

test('PCK leaf certificates match manifest fields.pck', () => {
  assert.ok(withPck.length >= 5, `vectors with pck fields: ${withPck.length}`);
  for (const v of withPck) {
    const want = v.expect!.fields!.pck!;
    const leaf = parseCertificate(quoteChain(v.path)[0]!.der);
    const got = parsePckExtensions(leaf);
    assert.deepEqual(
      {
        issuerCn: leaf.issuer.cn,
        serial: leaf.serialHex,
        notBefore: iso(leaf.notBefore),
        notAfter: iso(leaf.notAfter),
        fmspc: hex(got.fmspc),
        pceId: hex(got.pceId),
        pceSvn: got.pceSvn,
        cpuSvn: hex(got.cpuSvn),
        tcbComponents: got.tcbComponents,
        sgxType: got.sgxType,
        ppid: hex(got.ppid),
        ...(got.platformInstanceId ? { platformInstanceId: hex(got.platformInstanceId) } : {}),
      },
      want,
      v.id,
    );
    // Platform-CA (TDX, scalable) certificates carry the configuration flags; processor-CA ones do not.
    assert.equal(got.configuration !== undefined, got.sgxType !== 0, v.id);
  }
});

const SGX = '1.2.840.113741.1.13.1';
const leaf = parseCertificate(quoteChain('tdx/dcapqvl-v4.quote')[0]!.der);
const sgxValue = leaf.extensions.find((e) => e.oid === SGX)!.value;

/** Test-only DER writer over a parsed tree, so single fields can be changed and lengths stay right. */
type Tree = { tag: number; kids?: Tree[]; content?: Uint8Array };
function toTree(n: DerNode): Tree {
  return n.tag & 0x20 ? { tag: n.tag, kids: children(n).map(toTree) } : { tag: n.tag, content: contentOf(n) };
}
function encode(t: Tree): Uint8Array {
  const body = t.kids ? Buffer.concat(t.kids.map(encode)) : Buffer.from(t.content!);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([t.tag, ...len]), body]));
}
const oidOf = (t: Tree): string => {
  const bytes = encode(t.kids![0]!);
  return readOid(readNode(bytes, 0, bytes.length));
};

function withSgx(mutate: (entries: Tree[]) => Tree[]): Certificate {
  const tree = toTree(readNode(sgxValue, 0, sgxValue.length));
  const value = encode({ tag: 0x30, kids: mutate(tree.kids!) });
  return { ...leaf, extensions: leaf.extensions.map((e) => (e.oid === SGX ? { ...e, value } : e)) };
}
const rejects = (cert: Certificate, why: string) =>
  assert.throws(
    () => parsePckExtensions(cert),
    (e: unknown) => e instanceof ParseError && e.code === 'CERT_CHAIN_INVALID',
    why,
  );
const entry = (entries: Tree[], oid: string) => entries.find((t) => oidOf(t) === oid)!;

test('malformed or missing SGX extensions are ParseErrors with CERT_CHAIN_INVALID', () => {
  assert.deepEqual(parsePckExtensions(withSgx((e) => e)), parsePckExtensions(leaf)); // faithful rebuild
  const ca = parseCertificate(quoteChain('tdx/dcapqvl-v4.quote')[1]!.der);
  rejects(ca, 'no SGX extension on a CA certificate');
  rejects(
    withSgx((e) => e.filter((t) => oidOf(t) !== `${SGX}.4`)),
    'missing FMSPC',
  );
  rejects(
    withSgx((e) => [...e, entry(e, `${SGX}.1`)]),
    'duplicate PPID',
  );
  rejects(
    withSgx((e) => e.map((t) => (oidOf(t) === `${SGX}.4` ? { tag: 0x30, kids: [t.kids![0]!, { tag: 0x04, content: new Uint8Array(5) }] } : t))),
    'short FMSPC',
  );
  rejects(
    withSgx((e) => e.map((t) => (oidOf(t) === `${SGX}.5` ? { tag: 0x30, kids: [t.kids![0]!, { tag: 0x02, content: new Uint8Array([1]) }] } : t))),
    'SGX type not ENUMERATED',
  );
  rejects(
    withSgx((e) => e.map((t) => (oidOf(t) === `${SGX}.1` ? { tag: 0x30, kids: [...t.kids!, t.kids![1]!] } : t))),
    'extra value',
  );
  rejects(
    withSgx((e) => [
      ...e,
      {
        tag: 0x30,
        kids: [
          { tag: 0x06, content: Buffer.from('550403', 'hex') },
          { tag: 0x05, content: new Uint8Array(0) },
        ],
      },
    ]),
    'foreign id',
  );
  // The arcs are read from the OID bytes; anything but "prefix + one minimal arc" takes the general decoder.
  const sgxHead = entry(toTree(readNode(sgxValue, 0, sgxValue.length)).kids!, `${SGX}.4`).kids![0]!.content!.subarray(0, -1);
  const withOid = (content: Uint8Array) => (e: Tree[]) => [
    ...e,
    {
      tag: 0x30,
      kids: [
        { tag: 0x06, content },
        { tag: 0x05, content: new Uint8Array(0) },
      ],
    },
  ];
  assert.deepEqual(parsePckExtensions(withSgx(withOid(Uint8Array.from([...sgxHead, 4, 1])))), parsePckExtensions(leaf), 'a deeper arc is skipped');
  assert.deepEqual(parsePckExtensions(withSgx(withOid(Uint8Array.from([...sgxHead, 0x81, 0x00])))), parsePckExtensions(leaf), 'arc 128 is not ours');
  rejects(withSgx(withOid(Uint8Array.from([...sgxHead, 0x80, 0x04]))), 'non-minimal arc');
  rejects(withSgx(withOid(Uint8Array.from([...sgxHead, 0x84]))), 'truncated arc');
  const tcb = (f: (kids: Tree[]) => Tree[]) => (e: Tree[]) =>
    e.map((t) => (oidOf(t) === `${SGX}.2` ? { tag: 0x30, kids: [t.kids![0]!, { tag: 0x30, kids: f(t.kids![1]!.kids!) }] } : t));
  rejects(withSgx(tcb((k) => k.slice(1))), 'missing TCB component 1');
  rejects(
    withSgx(tcb((k) => k.map((t, i) => (i === 0 ? { tag: 0x30, kids: [t.kids![0]!, { tag: 0x02, content: Buffer.from('0100', 'hex') }] } : t)))),
    'component > 255',
  );
  // Unknown ids under the SGX arc are skipped: Intel adds fields over time.
  const extra = withSgx((e) => [
    ...e,
    {
      tag: 0x30,
      kids: [
        { tag: 0x06, content: Buffer.from('2a864886f84d010d0163', 'hex') },
        { tag: 0x05, content: new Uint8Array(0) },
      ],
    },
  ]);
  assert.deepEqual(parsePckExtensions(extra), parsePckExtensions(leaf));
});
