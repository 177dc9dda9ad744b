import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openApp, e2eSkipReason } from './harness.js';
import type { Session } from './harness.js';
import { VECTORS_DIR } from '../support/vectors.js';

const OUT = 'test-results/e2e';
const skip = e2eSkipReason();
let s: Session;

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  s = await openApp();
});
after(async () => s?.close());

test('SEV-SNP: drop a report with its VCEK, see the verdict, the VM-isolation boundary and the SEV table', { skip }, async () => {
  await s.page.getByTestId('verify-at').fill('2024-07-03T13:10:40Z');
  await s.page.getByTestId('evidence-input').setInputFiles([`${VECTORS_DIR}snp/trustee-milan-vcek.report`, `${VECTORS_DIR}snp/trustee-milan-vcek.vcek.der`]);
  await s.page.getByTestId('verdict').getByText('Verified').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /AMD SEV-SNP/);
  assert.equal(await s.page.locator('[data-check-id="snp.report.signature"]').getAttribute('data-status'), 'pass');
  await s.page.screenshot({ path: `${OUT}/20-snp-verified.png`, fullPage: true });
  await s.page.getByTestId('tab-boundary').click();
  assert.equal(await s.page.locator('[data-layer="host-os-hypervisor"]').getAttribute('data-inside'), 'false');
  await s.page.getByTestId('tab-threats').click();
  assert.ok((await s.page.locator('[data-testid="threat-matrix"] tbody tr').count()) >= 15, 'the seed SEV / SEV-ES / SEV-SNP table');
  await s.page.screenshot({ path: `${OUT}/21-snp-threats.png`, fullPage: true });
});

test('SEV-SNP: a debug guest is rejected and its memory threats are shown open', { skip }, async () => {
  await s.page.getByTestId('tab-inspector').click();
  await s.page.getByRole('button', { name: 'Clear all' }).click();
  await s.page.getByTestId('verify-at').fill('2022-09-24T01:00:00Z');
  await s.page
    .getByTestId('evidence-input')
    .setInputFiles([`${VECTORS_DIR}snp/gosevguest-milan-vcek-debug.report`, `${VECTORS_DIR}snp/gosevguest-milan-vcek-debug.vcek.der`]);
  await s.page.getByTestId('verdict').getByText('Rejected').waitFor();
  assert.match((await s.page.getByTestId('verdict').textContent()) ?? '', /DEBUG_ENABLED/);
  await s.page.getByTestId('tab-threats').click();
  assert.ok((await s.page.locator('[data-testid="threat-matrix"] tr[data-status="not-mitigated"]').count()) >= 1);
});
