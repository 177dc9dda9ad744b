import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { signReference } from '../../main/reference/sign.js';

/** Signed golden values in the app: not checked without a key, verified with the right one, refused otherwise. */
const OUT = 'test-results/e2e/signed-golden';
const EXAMPLE = 'docs/examples/tdx-dcapqvl-v4.reference.json';
const skip = e2eSkipReason();
let s: Session;

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  const signer = keyPair();
  writeFileSync(`${OUT}/golden.jws`, await signReference(readFileSync(EXAMPLE, 'utf8'), signer.priv));
  writeFileSync(`${OUT}/signer.pem`, signer.pub);
  writeFileSync(`${OUT}/other.pem`, keyPair().pub);
  s = await openApp();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await verdict().getByText('Verified', { exact: true }).waitFor();
});
after(async () => {
  if (s) await s.close();
});

const verdict = () => s.page.getByTestId('verdict');
const inputs = () => s.page.locator('.inputs');

test('a signed set without its key: used, and said to be not checked', { skip }, async () => {
  await s.page.getByTestId('reference-input').setInputFiles(`${OUT}/golden.jws`);
  const line = inputs().getByTestId('reference-signature');
  await line.waitFor();
  assert.equal(await line.getAttribute('data-verified'), 'false');
  assert.match((await line.textContent()) ?? '', /Signed \(ES256\), but the signature was not checked/);
  await verdict().getByText('Verified', { exact: true }).waitFor();
});

test("with the signer's key: the signature is verified and its key named", { skip }, async () => {
  await s.page.getByTestId('reference-key-input').setInputFiles(`${OUT}/signer.pem`);
  const line = inputs().getByTestId('reference-signature');
  await s.page.waitForFunction(() => document.querySelector('.inputs [data-testid="reference-signature"]')?.getAttribute('data-verified') === 'true');
  assert.match((await line.textContent()) ?? '', /verifies with the key given \(sha256 [0-9a-f]{16}…\)/);
  await verdict().getByText('Verified', { exact: true }).waitFor();
  await s.page.screenshot({ path: `${OUT}/01-verified-signature.png`, fullPage: true });
});

test('the HTML export records the comparison and the signature, without the save and derive forms', { skip }, async () => {
  await s.page.getByTestId('tab-export').click();
  const [html] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-html').click()]);
  await html.saveAs(`${OUT}/report.html`);
  const text = readFileSync(`${OUT}/report.html`, 'utf8');
  assert.match(text, /data-testid="reference-diff"/);
  assert.match(text, /Signed \(ES256\); the signature verifies with the key given/);
  assert.doesNotMatch(text, /save-golden|derive-golden|reference-remove/, 'a report is not a form');
  await s.page.getByTestId('tab-inspector').click();
});

test('another key: the set is refused and the evidence is verified without it', { skip }, async () => {
  await s.page.getByTestId('reference-key-input').setInputFiles(`${OUT}/other.pem`);
  const error = inputs().getByTestId('reference-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /REFERENCE_SIGNATURE_INVALID/);
});

test('an unsigned set while a key is given: refused as unsigned', { skip }, async () => {
  await s.page.getByTestId('reference-input').setInputFiles(EXAMPLE);
  const error = inputs().getByTestId('reference-error');
  await error.getByText(/REFERENCE_UNSIGNED/).waitFor();
  await s.page.screenshot({ path: `${OUT}/02-unsigned-refused.png`, fullPage: true });
});
