import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../main/api/handlers.js';
import { errorBody } from '../../main/api/errors.js';
import { tempApiOptions } from '../support/api-options.js';
import { runCliJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { readFileSync } from 'node:fs';

/** The app's "Export EAR": the API signs the report it returned; the CLI rechecks the token with the public key. */
const dir = mkdtempSync(join(tmpdir(), 'tee-sign-ear-'));
const keys = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
writeFileSync(join(dir, 'pub.pem'), keys.publicKey);
const b64 = (path: string) => readFileSync(path).toString('base64');

test("signEar signs the verify response's report; recheck with the public key agrees; bad keys and non-reports are typed errors", async () => {
  const { dispatch } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions({ now: () => new Date('2025-07-19T10:00:00Z') }));
  const files = [
    { name: 'q.quote', base64: b64(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`) },
    { name: 'c.json', base64: b64(`${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`) },
  ];
  const verified = (await dispatch('verify', { files, at: '2025-07-19T10:00:34Z', offline: true })) as { report: unknown };
  const report = Buffer.from(JSON.stringify(verified.report)).toString('base64');
  const { token } = (await dispatch('signEar', { name: 'report.json', base64: report, keyPem: keys.privateKey })) as { token: string };
  writeFileSync(join(dir, 'ear.jwt'), token);
  const recheck = await runCliJson(['recheck', join(dir, 'ear.jwt'), '--key', join(dir, 'pub.pem')]);
  assert.equal(recheck.code, 0, JSON.stringify(recheck.json.errors));
  assert.equal(recheck.json.agrees, true);
  const p384 = generateKeyPairSync('ec', {
    namedCurve: 'P-384',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await assert.rejects(dispatch('signEar', { name: 'r.json', base64: report, keyPem: p384.privateKey }), (e) => errorBody(e).code === 'USAGE_ERROR');
  await assert.rejects(dispatch('signEar', { name: 'r.json', base64: report, keyPem: 'not a key' }), (e) => errorBody(e).code === 'USAGE_ERROR');
  await assert.rejects(
    dispatch('signEar', { name: 'r.json', base64: files[0]!.base64, keyPem: keys.privateKey }),
    (e) => errorBody(e).code === 'MALFORMED_REPORT',
  );
  await assert.rejects(dispatch('signEar', { name: 'r.json', base64: report }), (e) => errorBody(e).code === 'USAGE_ERROR');
});
