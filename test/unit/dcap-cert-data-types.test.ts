/**
 * Issue 9.3: quotes whose certification data is type 1-3 (PPID forms) or 4 (PCK leaf only) verify with a
 * PCK chain supplied as a PEM file or as a bundle's pck_certificate_chain. Built from real vectors by
 * rewriting the certification data: the QE report and its signature stay valid, and the quote signature
 * does not cover the certification data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { pckChainPem } from '../../app/tee/dcap/auth-data.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { vectorBytes } from '../support/vectors.js';
import { bundleOf, check, failing, file, session, vector } from './dcap-helpers.js';

/** The quote with its innermost certification data replaced (type and bytes), every enclosing size fixed up. */
function withCertData(quote: Uint8Array, type: number, data: Uint8Array): Uint8Array {
  const q = parseQuote(quote);
  const off = (sub: Uint8Array) => sub.byteOffset - quote.byteOffset;
  const typeAt = off(q.qe.certData) - 6;
  const oldEnd = off(q.qe.certData) + q.qe.certData.length;
  const out = Buffer.concat([quote.subarray(0, typeAt), Buffer.alloc(6), data, quote.subarray(oldEnd)]);
  out.writeUInt16LE(type, typeAt);
  out.writeUInt32LE(data.length, typeAt + 2);
  const delta = data.length - q.qe.certData.length;
  const sigLenAt = q.signed.length;
  out.writeUInt32LE(out.readUInt32LE(sigLenAt) + delta, sigLenAt);
  // v4/v5: the type-6 wrapper's size sits after the quote signature (64) and attestation key (64) and its own type (2).
  if (q.qe.outerType) out.writeUInt32LE(out.readUInt32LE(sigLenAt + 4 + 128 + 2) + delta, sigLenAt + 4 + 128 + 2);
  return new Uint8Array(out);
}

/** Type 3: RSA-3072-OAEP encrypted PPID (384 bytes), CPUSVN (16), PCESVN (2), PCE-ID (2). */
const PPID_RSA3072 = new Uint8Array(384 + 16 + 2 + 2).fill(0xa5);
/** Type 1: PPID in clear (16), CPUSVN (16), PCESVN (2), PCE-ID (2). */
const PPID_CLEAR = new Uint8Array(16 + 16 + 2 + 2).fill(0x11);

function chainOf(quote: Uint8Array): string {
  return pckChainPem(parseQuote(quote).qe);
}

for (const id of ['sgx/dcapqvl-v3', 'tdx/dcapqvl-v4']) {
  const v = vector(id);
  const original = vectorBytes(v.path);
  const bundle = () => file('bundle.json', vectorBytes(v.collateral!));

  test(`${id} as certification data type 3 with no PCK chain supplied: COLLATERAL_MISSING saying to supply the PCK certificate`, async () => {
    const r = await session().run(withCertData(original, 3, PPID_RSA3072), [bundle()], v.expect.at);
    const c = check(r.result, 'dcap.pck.chain');
    assert.equal(c.status, 'fail');
    assert.equal(c.code, 'COLLATERAL_MISSING');
    assert.match(c.explain, /type 3 \(PPID encrypted with RSA-3072\)/);
    assert.match(c.fix!, /Supply the PCK certificate/);
  });

  for (const [type, data] of [
    [3, PPID_RSA3072],
    [1, PPID_CLEAR],
  ] as const) {
    test(`${id} as certification data type ${type}, PCK chain supplied as a PEM file: verified, and the supplied chain is used`, async () => {
      const pem = chainOf(original);
      const r = await session().run(withCertData(original, type, data), [bundle(), file('pckcert.pem', pem)], v.expect.at);
      assert.deepEqual(failing(r.result), []);
      assert.equal(r.verdict, 'verified');
      assert.equal(r.result.tcb?.status, v.expect.tcbStatus);
      const supplied = r.set.certs.filter((c) => c.subject.cn === 'Intel SGX PCK Certificate');
      assert.equal(supplied.length, 1);
      assert.ok(r.used.has(supplied[0]!), 'the supplied PCK leaf is marked used');
      assert.match(check(r.result, 'dcap.pck.chain').explain, /supplied as collateral, as the quote carries certification data type/);
    });
  }

  test(`${id} as certification data type 2, PCK chain in the bundle's pck_certificate_chain: verified`, async () => {
    const b = bundleOf(v);
    b.pck_certificate_chain = chainOf(original);
    const r = await session().run(withCertData(original, 2, new Uint8Array(256 + 20)), [file('bundle.json', JSON.stringify(b))], v.expect.at);
    assert.equal(r.verdict, 'verified', JSON.stringify(failing(r.result)));
    assert.ok(r.set.sources[0]!.kinds.includes('pck-certificate-chain'));
  });

  for (const encoding of ['PEM', 'DER'] as const) {
    test(`${id} as certification data type 4 (the PCK leaf alone, ${encoding}): its PCK CA is taken from the bundle's pck_crl_issuer_chain`, async () => {
      const leaf = pemBlocks(chainOf(original))[0]!;
      const data =
        encoding === 'DER' ? leaf.der : new TextEncoder().encode(chainOf(original).split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n');
      const r = await session().run(withCertData(original, 4, data), [bundle()], v.expect.at);
      assert.deepEqual(failing(r.result), []);
      assert.equal(r.verdict, 'verified');
      assert.match(check(r.result, 'dcap.pck.chain').explain, /the leaf from the quote, its CA supplied as collateral/);
    });
  }

  test(`${id}: the quote's own chain (type 5) is used even when a chain is also supplied, and the supplied one is not marked used`, async () => {
    const r = await session().run(original, [bundle(), file('pckcert.pem', chainOf(original))], v.expect.at);
    assert.equal(r.verdict, 'verified');
    const fromFile = r.set.sources.find((s) => s.name === 'pckcert.pem');
    assert.ok(fromFile);
    const suppliedLeaf = r.set.certs.find((c) => c.subject.cn === 'Intel SGX PCK Certificate')!;
    assert.equal(r.used.has(suppliedLeaf), false);
    assert.doesNotMatch(check(r.result, 'dcap.pck.chain').explain, /supplied as collateral/);
  });
}

test('type 3 with a supplied PCK chain of another platform: the QE report signature fails (the PCK key did not sign it)', async () => {
  const v = vector('tdx/dcapqvl-v4');
  const other = vector('sgx/dcapqvl-v3');
  const r = await session().run(
    withCertData(vectorBytes(v.path), 3, PPID_RSA3072),
    [file('bundle.json', vectorBytes(v.collateral!)), file('other.pem', chainOf(vectorBytes(other.path)))],
    '2025-07-19T10:00:00Z',
  );
  assert.equal(check(r.result, 'dcap.qe-report.signature').status, 'fail');
  assert.equal(check(r.result, 'dcap.qe-report.signature').code, 'QE_REPORT_SIGNATURE_INVALID');
  assert.equal(r.verdict, 'rejected');
});

test('collateral needs: a type 4 quote (DER leaf) names its TCB info; a type 3 quote names what it can, without throwing', async () => {
  const { dcapCollateralNeeds } = await import('../../app/tee/dcap/needs.js');
  const original = vectorBytes(vector('tdx/dcapqvl-v4').path);
  const leaf = pemBlocks(chainOf(original))[0]!.der;
  const type4 = dcapCollateralNeeds(withCertData(original, 4, leaf));
  assert.ok(
    type4.some((n) => n.kind === 'tcb-info' && /fmspc=b0c06f000000/.test(n.url)),
    JSON.stringify(type4),
  );
  const type3 = dcapCollateralNeeds(withCertData(original, 3, PPID_RSA3072));
  assert.deepEqual(type3.map((n) => n.kind).sort(), ['qe-identity', 'root-ca-crl']);
});
