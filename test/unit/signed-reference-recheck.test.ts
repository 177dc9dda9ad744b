import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { recheckReport } from '../../app/report/recheck.js';
import { parseReport } from '../../app/report/parse.js';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import { buildReport } from '../../app/report/report.js';
import type { ReportV2 } from '../../app/report/report.js';
import { collateralTimeline } from '../../app/collateral/timeline.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { signReference } from '../../main/reference/sign.js';
import { vectorBytes } from '../support/vectors.js';
import { EXAMPLE_JSON, b64url, bytes, compactJws, sha256, HEADER, testKey } from './signed-reference-support.js';

/** A report of a verify with a signed reference file: recheck re-verifies the signature with the recorded key. */
const crypto = nodeCryptoProvider();
const verifier = createVerifier({ crypto });
const key = testKey('P-256');
const attacker = testKey('P-256');
const AT = new Date('2025-07-19T10:00:34Z');
const evidence = { name: 'dcapqvl-v4.quote', bytes: vectorBytes('tdx/dcapqvl-v4.quote') };
const collateral = [{ name: 'dcapqvl-v4.collateral.json', bytes: vectorBytes('tdx/dcapqvl-v4.collateral.json') }];

async function reportWith(file: Uint8Array, publicKeyPem?: string): Promise<ReportV2> {
  const reference = await readReferenceFile(file, { crypto, ...(publicKeyPem ? { publicKeyPem } : {}) });
  const result = await verifier.verify(evidence.bytes, collateral, {
    at: AT,
    evidenceName: evidence.name,
    reference,
    referenceFile: { name: 'golden.jws', bytes: file },
  });
  const timeline = collateralTimeline([{ source: collateral[0]!.name, set: verifier.loadCollateral(collateral) }], AT.getTime());
  const inputs = [
    { ...evidence, role: 'evidence' },
    { ...collateral[0]!, role: 'collateral' },
    { name: 'golden.jws', role: 'reference', bytes: file },
  ];
  return parseReport(JSON.parse(JSON.stringify(buildReport({ result, inputs, timeline, toolVersion: '0.1.0', createdAt: '2026-01-02T03:04:05Z' }))));
}

/** Replaces the reference input's bytes and every digest of it, as someone editing the report consistently would. */
function withReferenceBytes(report: ReportV2, file: Uint8Array): ReportV2 {
  const copy = structuredClone(report);
  const input = copy.inputs.find((i) => i.role === 'reference')!;
  const old = input.sha256;
  Object.assign(input, { data: Buffer.from(file).toString('base64'), sha256: sha256(file), bytes: file.length });
  for (const i of copy.result.inputs) if (i.sha256 === old) Object.assign(i, { sha256: sha256(file), bytes: file.length });
  const ref = copy.result.appraisal.reference!;
  ref.sha256 = sha256(file);
  return copy;
}

const signed = bytes(await signReference(EXAMPLE_JSON, key.privatePem));

test('a signed, verified reference: recheck agrees, with both crypto providers', async () => {
  const report = await reportWith(signed, key.publicPem);
  assert.equal(report.result.appraisal.reference?.signature?.verified, true);
  for (const c of [undefined, crypto, webCryptoProvider()]) {
    const o = await recheckReport(report, verifier, c ? { crypto: c } : {});
    assert.deepEqual(o.errors, []);
    assert.equal(o.agrees, true);
  }
});

test('a signed reference read without a key: recheck agrees, and it stays "not checked"', async () => {
  const report = await reportWith(signed);
  assert.deepEqual(report.result.appraisal.reference?.signature, { alg: 'ES256', verified: false });
  assert.equal((await recheckReport(report, verifier)).agrees, true);
});

test('altered reference bytes, digests made consistent: the signature no longer verifies, recheck does not agree', async () => {
  const report = await reportWith(signed, key.publicPem);
  const [h, p, s] = new TextDecoder().decode(signed).split('.') as [string, string, string];
  const payload = Buffer.from(p, 'base64url').toString().replace('"allowDebug": false', '"allowDebug": true ');
  const o = await recheckReport(withReferenceBytes(report, bytes(`${h}.${b64url(payload)}.${s}`)), verifier);
  assert.equal(o.agrees, false);
  assert.equal(o.recomputed, null);
  assert.match(o.errors.map((e) => `${e.code} ${e.message}`).join('\n'), /REPORT_MISMATCH .*does not verify with it \(REFERENCE_SIGNATURE_INVALID/);
});

test('an unsigned file swapped in for a verified signed one: recheck does not agree (REFERENCE_UNSIGNED)', async () => {
  const report = await reportWith(signed, key.publicPem);
  const o = await recheckReport(withReferenceBytes(report, bytes(EXAMPLE_JSON)), verifier);
  assert.equal(o.agrees, false);
  assert.match(o.errors.map((e) => e.message).join('\n'), /does not verify with it \(REFERENCE_UNSIGNED/);
});

test('a re-signed file with the recorded key left as it was: refused; with the key swapped too: the recorded key digest differs', async () => {
  const report = await reportWith(signed, key.publicPem);
  const forged = bytes(compactJws(HEADER, EXAMPLE_JSON.replace('dcap-qvl sample TD', 'forged'), attacker.privateKey));
  assert.equal((await recheckReport(withReferenceBytes(report, forged), verifier)).agrees, false);
  const swapped = withReferenceBytes(report, forged);
  swapped.result.appraisal.reference!.signature!.publicKeyPem = attacker.publicPem;
  const o = await recheckReport(swapped, verifier);
  assert.equal(o.agrees, false);
  assert.match(o.errors.map((e) => e.message).join('\n'), /reference summary .* differs/);
});

test('a recorded key that is not a key, or a verified flag without one: recheck does not agree', async () => {
  const report = await reportWith(signed, key.publicPem);
  const broken = structuredClone(report);
  broken.result.appraisal.reference!.signature!.publicKeyPem = '-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n';
  const o = await recheckReport(broken, verifier);
  assert.equal(o.agrees, false);
  assert.match(o.errors[0]!.message, /does not verify with it \(USAGE_ERROR/);
  const keyless = structuredClone(report);
  delete keyless.result.appraisal.reference!.signature!.publicKeyPem;
  const k = await recheckReport(keyless, verifier);
  assert.equal(k.agrees, false, 'read without a key, the signature is recorded as not checked, which differs');
  assert.match(k.errors.map((e) => e.message).join('\n'), /reference summary/);
});
