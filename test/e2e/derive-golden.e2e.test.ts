import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { measureTdx } from '../../app/tee/tdx/measure/index.js';
import { measureSnp, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';

/**
 * Golden values derived in the app from build artefacts: Debian's OVMF.fd gives an MRTD that the quote of another
 * firmware does not carry, so the panel says "differs", and using the derived set rejects the evidence naming mrTd.
 */
const OUT = 'test-results/e2e/derive-golden';
const OVMF = '/usr/share/ovmf/OVMF.fd';
const skip = e2eSkipReason() ?? (existsSync(OVMF) ? undefined : `${OVMF} is missing (Debian package ovmf)`);
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
  await s.page.getByTestId('verify-at').fill('2025-07-19T10:00:34Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}tdx/dcapqvl-v4.quote`, `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`]);
  await s.page.getByTestId('verdict').getByText('Verified', { exact: true }).waitFor();
  await s.page.getByTestId('tab-reference').click();
});
after(async () => {
  if (s) await s.close();
});

const panel = () => s.page.getByTestId('derive-golden');

test('deriving needs a firmware image; a kernel without a boot path is explained, not guessed', { skip }, async () => {
  assert.equal(await panel().getByTestId('derive-button').isDisabled(), true);
  await panel().getByTestId('derive-firmware').setInputFiles(OVMF);
  await panel().getByTestId('derive-kernel').setInputFiles(OVMF);
  await panel().getByTestId('derive-button').click();
  const error = panel().getByTestId('derive-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /USAGE_ERROR: say how the kernel is booted/);
  await panel().getByLabel('clear Kernel (optional)').click();
  assert.equal(await panel().getByTestId('derive-kernel-chosen').count(), 0);
});

test("Debian's OVMF.fd: the derived MRTD, its provenance, and how this evidence compares", { skip }, async () => {
  await panel().getByLabel('Set name (environment)').fill('debian-ovmf');
  await panel().getByTestId('derive-button').click();
  const row = panel().getByTestId('derived-values').locator('tr[data-claim="mrTd"]');
  await row.waitFor();
  const expected = measureTdx(new Uint8Array(readFileSync(OVMF)), 'single').mrTd;
  assert.match((await row.textContent()) ?? '', new RegExp(expected));
  assert.match((await row.textContent()) ?? '', /OVMF\.fd \(sha256 [0-9a-f]{12}…\)/, 'the input file and its digest are named');
  assert.equal(await row.getByTestId('derived-against').getAttribute('data-state'), 'differs', 'this quote comes from another firmware');
  await s.page.screenshot({ path: `${OUT}/01-derived.png`, fullPage: true });
  const [download] = await Promise.all([s.page.waitForEvent('download'), panel().getByTestId('derived-download').click()]);
  const file = `${OUT}/${download.suggestedFilename()}`;
  await download.saveAs(file);
  const ref = parseReferenceValues(JSON.parse(readFileSync(file, 'utf8')));
  assert.deepEqual(ref.sets[0]!.claims.mrTd, [expected]);
  assert.equal(ref.sets[0]!.name, 'debian-ovmf');
  assert.equal(ref.sets[0]!.provenance?.[0]?.source, 'artefacts');
  assert.equal(ref.sets[0]!.provenance?.[0]?.inputs?.[0]?.role, 'ovmf');
});

test('using the derived values as golden values rejects this evidence and names mrTd and the firmware file that explains it', { skip }, async () => {
  await panel().getByTestId('derived-use').click();
  await s.page.getByTestId('verdict').getByText('Rejected', { exact: true }).waitFor();
  const row = s.page.getByTestId('reference-diff').locator('tr.diff-row[data-claim="mrTd"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-match'), 'false');
  const why = (await s.page.getByTestId('reference-diff').locator('tr.diff-explained-row[data-claim="mrTd"]').textContent()) ?? '';
  assert.match(why, /^TD firmware \(TDVF\/OVMF\) image: expected [0-9a-f]{96} \(from ovmf OVMF\.fd, sha256 7b456907/, 'the mismatch names the input');
  assert.match(why, /pageAddOrder single/);
  assert.match(
    (await panel().getByTestId('derive-firmware-chosen').textContent()) ?? '',
    /using OVMF\.fd \(2,097,152 bytes\)/,
    'the chosen artefacts survive the new verification',
  );
  await panel().getByTestId('derived-values').waitFor();
  await s.page.screenshot({ path: `${OUT}/02-used.png`, fullPage: true });
});

test('SEV-SNP: the launch digest of a 4 MiB AmdSev OVMF for 4 EPYC-v4 vCPUs, as the core computes it', { skip }, async () => {
  const suffix = readFileSync('test/fixtures/sev-snp-measure/ovmf_AmdSev_suffix.bin');
  const ovmf = new Uint8Array(4 << 20);
  ovmf.set(suffix, ovmf.length - suffix.length);
  writeFileSync(`${OUT}/amdsev-4MiB.fd`, ovmf);
  await panel().getByLabel('Technology').selectOption('sev-snp');
  await panel().getByTestId('derive-firmware').setInputFiles(`${OUT}/amdsev-4MiB.fd`);
  await panel().getByLabel('vCPUs').fill('4');
  await panel()
    .getByLabel(/vCPU type/)
    .selectOption('EPYC-v4');
  await panel().getByLabel('Set name (environment)').fill('snp-build');
  await panel().getByTestId('derive-button').click();
  const row = panel().getByTestId('derived-values').locator('tr[data-claim="measurement"]');
  await row.waitFor();
  const expected = measureSnp({ ovmf, vcpus: 4, vcpuSig: VCPU_SIGS['EPYC-v4']!, vmm: 'qemu', guestFeatures: 1n }).measurement;
  assert.match((await row.textContent()) ?? '', new RegExp(expected));
  assert.equal(await row.getByTestId('derived-against').getAttribute('data-state'), 'other-technology', 'the shown evidence is a TD quote');
  assert.equal(await panel().getByTestId('derived-use').isDisabled(), true, 'a set of another technology would approve nothing here');
  await s.page.screenshot({ path: `${OUT}/03-snp.png`, fullPage: true });
});

test('dropping the firmware and an unknown file together: the firmware is placed, the other named', { skip }, async () => {
  await panel().getByLabel('Technology').selectOption('tdx');
  const ovmf = readFileSync(OVMF).toString('base64');
  const dt = await s.page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'firmware.bin'));
    dt.items.add(new File(['not an artefact'], 'notes.txt'));
    return dt;
  }, ovmf);
  await panel().dispatchEvent('drop', { dataTransfer: dt });
  const status = (await panel().getByTestId('derive-dropped').textContent()) ?? '';
  assert.match(status, /Using firmware\.bin as the firmware\./);
  assert.match(status, /Not recognised \(choose them below\): notes\.txt\./);
  assert.match((await panel().getByTestId('derive-firmware-chosen').textContent()) ?? '', /using firmware\.bin/);
  assert.equal(await s.page.getByTestId('file-list').getByText('notes.txt').count(), 0, 'the drop did not reach the evidence drop zone');
});

test('axe: the derived values, the diff with its explanation and the derive form have no serious or critical WCAG 2.1 AA violation', { skip }, async () => {
  const r = await new AxeBuilder({ page: s.page }).include('[data-testid="reference-diff"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, []);
});
