/**
 * Issue 9.7: the collateral signature cache is keyed by the signed bytes, the signature and the signer
 * chain used, so a verdict reached without the chain (a bare body) does not stick once the chain is given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { SignatureCache } from '../../app/tee/dcap/signature-cache.js';
import { build } from '../synthetic/scenario.js';
import { AT } from '../synthetic/test-pki.js';
import { file, pcsBodies } from './dcap-helpers.js';

test('one verifier: bare bodies first fail without their chain, then verify once the chain is supplied', async () => {
  const built = await build();
  const b = JSON.parse(new TextDecoder().decode(built.collateral[0]!.bytes)) as Record<string, string>;
  const verifier = createVerifier({ roots: { intel: [built.pki.root.der] } });
  const bodies = pcsBodies(b);
  const first = await verifier.verify(built.evidence, bodies, { at: AT });
  assert.equal(first.checks.find((c) => c.id === 'dcap.tcb-info.signature')?.status, 'fail', 'control: no chain, no trust');
  const second = await verifier.verify(built.evidence, [...bodies, file('tcb-signing-chain.pem', b.tcb_info_issuer_chain!)], { at: AT });
  assert.equal(second.checks.find((c) => c.id === 'dcap.tcb-info.signature')?.status, 'pass', JSON.stringify(second.errors));
  assert.equal(second.verdict, 'verified');
  // And back: the chainless verdict was not overwritten either.
  const third = await verifier.verify(built.evidence, bodies, { at: AT });
  assert.equal(third.checks.find((c) => c.id === 'dcap.tcb-info.signature')?.status, 'fail');
});

test('the cache computes once per (document, signature, chain) and is bounded', async () => {
  const cache = new SignatureCache();
  const built = await build();
  let computed = 0;
  const compute = async () => (computed++, undefined);
  const doc = new TextEncoder().encode('{"id":"TDX"}');
  const sig = new Uint8Array(64);
  // Parts are keyed by identity: the caches hand out one object per distinct file and DER.
  const chainA = [{ der: built.pki.tcbSigning.der }] as never[];
  const chainB = [{ der: built.pki.root.der }] as never[];
  await cache.get(doc, sig, chainA, compute);
  await cache.get(doc, sig, chainA, compute);
  assert.equal(computed, 1, 'same triple: cached');
  await cache.get(doc, sig, chainB, compute);
  assert.equal(computed, 2, 'another chain: computed again');
  await cache.get(doc, new Uint8Array(64).fill(1), chainA, compute);
  assert.equal(computed, 3, 'another signature: computed again');
  for (let i = 0; i < 600; i++) await cache.get(new TextEncoder().encode(`doc ${i}`), sig, chainA, compute);
  computed = 0;
  await cache.get(doc, sig, chainA, compute);
  assert.equal(computed, 1, 'the oldest entries were evicted: at most 512 are kept');
});
