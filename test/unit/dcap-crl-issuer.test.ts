/**
 * Issue 9.5: a supplied Intel CRL whose issuer matches no certificate of the chain is COLLATERAL_MISMATCH
 * naming that issuer, judged by name before and whatever its signature: one flipped bit in the PCK CRL's
 * issuer used to turn revocation off silently. A CRL that is simply absent stays a warning (gap 'revocation').
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCrl } from '../../app/pki/crl.js';
import { TeeError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';
import { build } from '../synthetic/scenario.js';
import { AT, buildPki } from '../synthetic/test-pki.js';
import { bundleOf, check, failing, file, session, vector } from './dcap-helpers.js';

const v = vector('tdx/dcapqvl-v4');

test('every one-bit change in the issuer name of the real PCK CRL is rejected; each parseable one as COLLATERAL_MISMATCH naming the issuer', async () => {
  const b = bundleOf(v);
  const der = Buffer.from(b.pck_crl!, 'hex');
  const issuer = parseCrl(der).issuer;
  const start = issuer.der.byteOffset - parseCrl(der).der.byteOffset;
  const s = session();
  let mismatches = 0;
  for (let at = start + 2; at < start + issuer.der.length; at++) {
    const bad = Buffer.from(der);
    bad[at] = bad[at]! ^ 0x01;
    const files = [file('bundle.json', JSON.stringify({ ...b, pck_crl: bad.toString('hex') }))];
    let mutated;
    try {
      mutated = parseCrl(bad);
    } catch {
      assert.throws(
        () => s.load(files),
        (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_COLLATERAL',
        `byte ${at}`,
      );
      continue;
    }
    const r = await s.run(vectorBytes(v.path), files, v.expect.at);
    assert.equal(r.verdict, 'rejected', `byte ${at}`);
    const c = check(r.result, 'dcap.pck.revocation');
    assert.equal(c.status, 'fail', `byte ${at}`);
    assert.equal(c.code, 'COLLATERAL_MISMATCH', `byte ${at}: ${c.explain}`);
    assert.ok(c.explain.includes(`"${mutated.issuer.text}"`), `byte ${at} names the issuer: ${c.explain}`);
    assert.equal(check(r.result, 'dcap.crl.root').status, 'pass', 'the root CA CRL is unaffected');
    mismatches++;
  }
  assert.ok(mismatches > 60, `ran ${mismatches} parseable mutations`);
});

test('the same mutated CRL as a loose DER file (no bundle role) is a mismatch too, because its issuer says Intel', async () => {
  const b = bundleOf(v);
  const der = Buffer.from(b.pck_crl!, 'hex');
  const at = der.indexOf(Buffer.from('Intel SGX PCK Platform CA')) + 10; // inside "PCK"
  der[at] = der[at]! ^ 0x01;
  const { pck_crl: _pck, ...rest } = b;
  const r = await session().run(vectorBytes(v.path), [file('bundle.json', JSON.stringify(rest)), file('pckcrl.der', der)], v.expect.at);
  assert.deepEqual(failing(r.result), ['dcap.pck.revocation:COLLATERAL_MISMATCH']);
});

test('no PCK CRL at all: a warning with gap "revocation", not a failure', async () => {
  const { pck_crl: _pck, ...rest } = bundleOf(v);
  const r = await session().run(vectorBytes(v.path), [file('bundle.json', JSON.stringify(rest))], v.expect.at);
  const c = check(r.result, 'dcap.pck.revocation');
  assert.equal(c.status, 'warn');
  assert.equal(c.gap, 'revocation');
  assert.equal(r.verdict, 'verified');
});

test("the CRL of the other Intel PCK CA beside this chain's own (a fleet's collateral) is not a mismatch", async () => {
  const built = await build();
  const processor = await buildPki({ pckCaKind: 'Processor' });
  const r = await session([built.pki.root.der]).run(built.evidence, [...built.collateral, file('processor.crl', processor.pckCrl)], AT);
  assert.deepEqual(failing(r.result), []);
  assert.equal(check(r.result, 'dcap.pck.revocation').status, 'pass');
  assert.equal(r.used.has(r.set.crls.find((c) => c.source === 'processor.crl')!.crl), false, 'left unused');
});
