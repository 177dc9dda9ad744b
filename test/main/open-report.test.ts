import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { TeeError } from '../../app/errors.js';
import { earClaims } from '../../app/report/ear.js';
import type { ReportV2 } from '../../app/report/report.js';
import { createApi } from '../../main/api/handlers.js';
import type { OpenReportResponse } from '../../main/api/types.js';
import { signEar } from '../../main/report/jws.js';
import { EXAMPLE_KEYS } from '../../main/report/example-keys.js';
import { tempApiOptions } from '../support/api-options.js';
import { SNP, TDX, TDX_REFERENCE, flipInputByte, vectorReport } from '../support/report-fixture.js';
import { vectorBytes } from '../support/vectors.js';

/** The openReport API method, through the same dispatch (runtime validation, routes) both front doors use. */
const handle = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions({ now: () => new Date('2026-02-03T04:05:06Z') }));
after(() => handle.close());
const open = (payload: unknown) => handle.dispatch('openReport', payload) as Promise<OpenReportResponse>;
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');
const keyPair = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const signer = keyPair();
const code = (c: string) => (e: unknown) => e instanceof TeeError && e.code === c;
const json = (r: ReportV2) => b64(JSON.stringify(r));

test('a report opens: recheck agrees, the recomputed result renders like a verification', async () => {
  const report = await vectorReport(TDX, { reference: TDX_REFERENCE, nonce: TDX.reportData });
  const out = await open({ name: 'r.json', base64: json(report) });
  assert.equal(out.kind, 'report');
  assert.equal(out.recheck?.agrees, true, JSON.stringify(out.recheck?.errors));
  assert.equal(out.trusted, true);
  assert.equal(out.recorded?.createdAt, report.createdAt);
  assert.equal(out.response?.result.verdict, 'verified');
  assert.equal(out.response?.collateral.offline, true);
  // The rebuilt report states the same boundary and threats as the recorded one, so views and exports agree.
  assert.deepEqual(out.response?.report.trustBoundary, report.trustBoundary);
  assert.deepEqual(out.response?.report.threats, report.threats);
  assert.deepEqual(
    out.response?.report.inputs.map((i) => [i.name, i.sha256]),
    report.inputs.map((i) => [i.name, i.sha256]),
  );
  assert.equal(out.token, undefined);
});

test('a tampered report opens but does not agree, naming what differs', async () => {
  const report = structuredClone(await vectorReport(TDX));
  report.result.verdict = 'rejected';
  const out = await open({ name: 'r.json', base64: json(report) });
  assert.equal(out.recheck?.agrees, false);
  assert.equal(out.trusted, false);
  assert.match(out.recheck!.errors.map((e) => e.message).join('\n'), /verdict: recorded rejected, recomputed verified/);
  assert.equal(out.response?.result.verdict, 'verified', 'the views show the recheck, not the claim');
  const flipped = await open({ name: 'f.json', base64: json(flipInputByte(await vectorReport(SNP), 1, 50)) });
  assert.equal(flipped.recheck?.agrees, false);
  assert.ok(flipped.recheck!.errors.some((e) => e.input === 'trustee-milan-vcek.vcek.der'));
});

test('a tee-inspect EAR token: claims and recheck; the signature is verified only with the key given', async () => {
  const report = await vectorReport(TDX);
  const token = await signEar(earClaims(report, 1767323045), signer.privateKey);
  const none = await open({ name: 't.jwt', base64: b64(token) });
  assert.equal(none.kind, 'token');
  assert.equal(none.token?.signature.state, 'no-key');
  assert.equal(none.token?.carriesReport, true);
  assert.equal(none.token?.claims.submods['tdx']?.status, 'affirming');
  assert.equal(none.token?.claims.iat, 1767323045);
  assert.equal(none.recheck?.agrees, true, 'the evidence rechecks; the signature is reported apart');
  assert.equal(none.trusted, false, 'never trusted with an unverified signature');
  const good = await open({ name: 't.jwt', base64: b64(token + '\n'), keyPem: signer.publicKey });
  assert.equal(good.token?.signature.state, 'verified');
  assert.equal(good.token?.signature.exampleKey, undefined);
  assert.equal(good.trusted, true);
  const other = await open({ name: 't.jwt', base64: b64(token), keyPem: keyPair().publicKey });
  assert.equal(other.token?.signature.state, 'does-not-verify');
  assert.match(other.token!.signature.message, /does not verify/);
});

test("a token's stated ear.status must match the recheck", async () => {
  const claims = earClaims(await vectorReport(TDX), 1);
  claims.submods['tdx']!['ear.status'] = 'contraindicated';
  const out = await open({ name: 't.jwt', base64: b64(await signEar(claims, signer.privateKey)), keyPem: signer.publicKey });
  assert.equal(out.token?.signature.state, 'verified');
  assert.equal(out.recheck?.agrees, false);
  assert.match(out.recheck!.errors.map((e) => e.message).join('\n'), /ear.status for tdx is contraindicated/);
});

/** A token as trustee or Veraison issue it: claims only, no tee-inspect report. */
async function foreignToken(header: { alg: string; [k: string]: unknown } = { alg: 'ES256', typ: 'JWT' }): Promise<string> {
  const payload = {
    eat_profile: 'tag:github.com,2023:veraison/ear',
    iat: 1700000000,
    'ear.verifier-id': { build: 'attestation-service 0.1.0', developer: 'https://confidential-containers.org' },
    eat_nonce: 'bm9uY2Utbm9uY2Utbm9uY2U',
    submods: { cpu0: { 'ear.status': 'warning', 'ear.trustworthiness-vector': { hardware: 32, executables: 2 }, 'ear.appraisal-policy-id': 'default' } },
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(createPrivateKey(signer.privateKey));
}

test('a token without a tee-inspect report shows its claims only', async () => {
  const token = await foreignToken();
  const out = await open({ name: 'trustee.jwt', base64: b64(token) });
  assert.equal(out.kind, 'token');
  assert.equal(out.token?.carriesReport, false);
  assert.equal(out.recheck, undefined);
  assert.equal(out.response, undefined);
  assert.equal(out.recorded, undefined);
  assert.deepEqual(out.token?.claims.submods['cpu0'], { status: 'warning', trustVector: { hardware: 32, executables: 2 }, policyId: 'default' });
  assert.deepEqual(out.token?.claims.verifierId, { build: 'attestation-service 0.1.0', developer: 'https://confidential-containers.org' });
  assert.equal(out.token?.claims.nonce, 'bm9uY2Utbm9uY2Utbm9uY2U');
  assert.equal(out.token?.signature.state, 'no-key');
  const verified = await open({ name: 'trustee.jwt', base64: b64(token), keyPem: signer.publicKey });
  assert.equal(verified.token?.signature.state, 'verified');
  assert.equal(verified.trusted, false, 'claims alone, with no evidence rechecked, are never the green state');
});

test("a key in the token's header is never used; a published example key is named", async () => {
  const example = EXAMPLE_KEYS[0]!;
  const jwk = { kty: 'EC', crv: example.crv, x: example.x, y: example.y };
  const token = await foreignToken({ alg: 'ES256', jwk });
  const out = await open({ name: 'v.jwt', base64: b64(token) });
  assert.equal(out.token?.signature.state, 'header-key-only');
  assert.match(out.token!.signature.exampleKey!, /veraison\/ear.*published example key/);
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  const given = await open({ name: 'v.jwt', base64: b64(await foreignToken()), keyPem: pem });
  assert.equal(given.token?.signature.state, 'does-not-verify');
  assert.match(given.token!.signature.exampleKey!, /The public key given is the example EAR signing key of veraison\/ear/);
  const plain = await open({ name: 'v.jwt', base64: b64(await foreignToken({ alg: 'ES256', jwk: { ...jwk, x: EXAMPLE_KEYS[2]!.x } })) });
  assert.equal(plain.token?.signature.state, 'header-key-only');
  assert.equal(plain.token?.signature.exampleKey, undefined, 'a different point is not the example key');
});

test('bad input is a typed error, never a crash', async () => {
  const report = await vectorReport(TDX);
  const token = await signEar(earClaims(report, 1), signer.privateKey);
  await assert.rejects(open(undefined), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'r.json' }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'r.json', base64: 'not base64!' }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'r.json', base64: json(report), extra: 1 }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'r.json', base64: json(report), keyPem: 7 }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'r.json', base64: json(report), keyPem: signer.publicKey }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 't.jwt', base64: b64(token), keyPem: 'not a key' }), code('USAGE_ERROR'));
  await assert.rejects(open({ name: 'q.bin', base64: b64(vectorBytes(TDX.evidence)) }), code('MALFORMED_REPORT'));
  await assert.rejects(open({ name: 'r.json', base64: b64('{"schema":"tee-inspect/report/v1"}') }), code('MALFORMED_REPORT'));
  await assert.rejects(open({ name: 'r.json', base64: b64(JSON.stringify({ ...report, extra: 1 })) }), code('MALFORMED_REPORT'));
  await assert.rejects(open({ name: 'r.json', base64: b64('{"schema":') }), code('MALFORMED_REPORT'));
  await assert.rejects(open({ name: 't.jwt', base64: b64('eyJhbGciOiJub25lIn0.e30.') }), code('MALFORMED_REPORT'));
  await assert.rejects(open({ name: 't.jwt', base64: b64(`${token.split('.')[0]}.${b64('{"submods":1}').replace(/=/g, '')}.AA`) }), code('MALFORMED_REPORT'));
});
