/**
 * Issue 9.2: issuer chains as PCS response headers carry them, URL-encoded PEM (%2D%2D%2D%2D%2DBEGIN...),
 * accepted as a collateral file and inside bundle fields; percent-decoding is strict.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentDecode } from '../../app/collateral/percent.js';
import { TeeError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';
import { build } from '../synthetic/scenario.js';
import { AT } from '../synthetic/test-pki.js';
import { bundleOf, check, failing, file, pcsBodies, session, vector } from './dcap-helpers.js';

/** As Intel PCS encodes the header (every "-" too), or as encodeURIComponent does (leaving "-"). */
const header = (pem: string) => encodeURIComponent(pem).replace(/-/g, '%2D');
const component = (pem: string) => encodeURIComponent(pem);

test('a bare body plus its issuer chain saved URL-encoded from the TCB-Info-Issuer-Chain header verifies with that chain', async () => {
  // Synthetic PKI: the known Intel certificates do not chain to the test root, so only the header file can make this pass.
  const built = await build();
  const b = JSON.parse(new TextDecoder().decode(built.collateral[0]!.bytes)) as Record<string, string>;
  const s = session([built.pki.root.der]);
  const without = await s.run(built.evidence, pcsBodies(b), AT);
  assert.equal(check(without.result, 'dcap.tcb-info.signature').status, 'fail', 'control: the bodies alone do not verify here');
  const withHeader = [...pcsBodies(b), file('TCB-Info-Issuer-Chain.txt', header(b.tcb_info_issuer_chain!))];
  const r = await session([built.pki.root.der]).run(built.evidence, withHeader, AT);
  assert.deepEqual(failing(r.result), []);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.set.sources.find((x) => x.name === 'TCB-Info-Issuer-Chain.txt')?.kinds, ['certificate', 'certificate']);
  assert.ok(
    [...r.used].some((o) => r.set.certs.includes(o as never)),
    'the decoded TCB Signing certificate is marked used',
  );
});

test('bundle chain fields given URL-encoded, as copied from PCS headers, verify the real vector', async () => {
  const v = vector('tdx/dcapqvl-v4');
  const b = bundleOf(v);
  b.tcb_info_issuer_chain = header(b.tcb_info_issuer_chain!);
  b.qe_identity_issuer_chain = component(b.qe_identity_issuer_chain!);
  b.pck_crl_issuer_chain = header(b.pck_crl_issuer_chain!).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()); // lower-case hex digits are as valid
  assert.match(b.tcb_info_issuer_chain!, /^%2D%2D%2D%2D%2DBEGIN%20CERTIFICATE/);
  assert.match(b.qe_identity_issuer_chain!, /^-----BEGIN%20CERTIFICATE/);
  const r = await session().run(vectorBytes(v.path), [file('bundle.json', JSON.stringify(b))], v.expect.at);
  assert.equal(r.verdict, 'verified');
  assert.doesNotMatch(check(r.result, 'dcap.tcb-info.signature').explain, /known Intel certificate/, "the bundle's own (decoded) chain was used");
  assert.doesNotMatch(check(r.result, 'dcap.qe-identity.signature').explain, /known Intel certificate/);
  assert.equal(r.set.certs.filter((c) => c.subject.cn === 'Intel SGX PCK Platform CA').length, 1, 'the PCK CRL issuer chain decoded too');
});

test('lower-case escapes decode; "+" stays "+" (base64, not a form-encoded space)', () => {
  assert.equal(percentDecode('%2d%2D-a+b%2Fc%0A'), '---a+b/c\n');
});

const HEAD = '%2D%2D%2D%2D%2DBEGIN%20CERTIFICATE%2D%2D%2D%2D%2D%0AMIIC';
// A truncated escape, a non-hex digit, a bare "%", bytes that are not UTF-8, and a raw non-ASCII character.
for (const bad of [`${HEAD}%2`, `${HEAD}%G0`, `${HEAD}%%20`, `${HEAD}%FF%FE`, `${HEAD}\u00e9`]) {
  test(`malformed percent-encoding is MALFORMED_COLLATERAL: ${JSON.stringify(bad)}`, () => {
    const s = session();
    assert.throws(
      () => s.load([file('chain.txt', bad)]),
      (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_COLLATERAL' && /chain\.txt/.test(e.message),
    );
    const v = vector('tdx/dcapqvl-v4');
    const b = bundleOf(v);
    b.tcb_info_issuer_chain = bad;
    assert.throws(
      () => s.load([file('bundle.json', JSON.stringify(b))]),
      (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_COLLATERAL' && /tcb_info_issuer_chain/.test(e.message),
    );
  });
}
