import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SEED_FILES } from '../../app/threat/seeds.js';
import type { ReportV2 } from '../../app/report/report.js';
import { SNP, TDX, TDX_REFERENCE, snpReference, vectorReport } from '../support/report-fixture.js';
import { VECTORS_DIR } from '../support/vectors.js';

const items = (r: ReportV2) => Object.fromEntries(r.trustBoundary.layers.flatMap((l) => l.items.map((i) => [i.claim, i.state])));
const layers = (r: ReportV2) => Object.fromEntries(r.trustBoundary.layers.map((l) => [l.id, l.state]));

test('a TDX report carries the result, every input with its bytes and digest, and the collateral timeline', async () => {
  const r = await vectorReport(TDX);
  assert.equal(r.schema, 'tee-inspect/report/v2');
  assert.deepEqual(r.tool, { name: 'tee-inspect', version: '0.1.0' });
  assert.equal(r.result.schema, 'tee-inspect/result/v1');
  assert.equal(r.result.verdict, 'verified');
  assert.deepEqual(
    r.inputs.map((i) => [i.name, i.role]),
    [
      ['dcapqvl-v4.quote', 'evidence'],
      ['dcapqvl-v4.collateral.json', 'collateral'],
    ],
  );
  const quote = readFileSync(`${VECTORS_DIR}${TDX.evidence}`);
  assert.equal(r.inputs[0]!.data, quote.toString('base64'));
  assert.equal(r.inputs[0]!.sha256, createHash('sha256').update(quote).digest('hex'));
  assert.equal(r.inputs[0]!.bytes, 5006);
  assert.ok(r.collateral.some((c) => c.kind === 'tcb-info') && r.collateral.some((c) => c.kind === 'crl'));
  assert.equal(r.nonce, undefined);
});

test('an ignored extra file travels with its role and note; a nonce is stored as hex', async () => {
  const r = await vectorReport(TDX, { nonce: TDX.reportData, extra: [{ name: 'notes.txt', bytes: new TextEncoder().encode('not collateral') }] });
  const extra = r.inputs.find((i) => i.name === 'notes.txt')!;
  assert.equal(extra.role, 'ignored');
  assert.ok(extra.note && extra.note.length > 0);
  assert.equal(r.nonce, TDX.reportData);
});

test('trust boundary: without reference values measurements are only measured, never proven', async () => {
  const r = await vectorReport(TDX);
  const s = items(r);
  for (const claim of ['mrTd', 'rtmr0', 'rtmr1', 'rtmr2']) assert.equal(s[claim], 'measured', claim);
  assert.equal(s['rtmr3'], 'not-measured', 'an all-zero register measured nothing');
  assert.equal(s['PCK certificate chain'], 'proven');
  assert.equal(s['mrSeam'], 'proven', "MRSEAM is judged by Intel's TDX module identities");
  const l = layers(r);
  assert.equal(l['guest-firmware'], 'measured');
  assert.equal(l['tee-hardware'], 'proven');
  assert.equal(l['host-os-hypervisor'], 'excluded');
  assert.equal(l['cloud-stack'], 'excluded');
});

test('trust boundary: with matching reference values the measurements are matched (a zero register too)', async () => {
  const r = await vectorReport(TDX, { reference: TDX_REFERENCE });
  const s = items(r);
  for (const claim of ['mrTd', 'rtmr0', 'rtmr1', 'rtmr2', 'rtmr3', 'mrConfigId', 'mrOwner']) assert.equal(s[claim], 'matched', claim);
  assert.equal(s['mrOwnerConfig'], 'not-measured', 'no reference value for it, and it is zero');
  assert.equal(layers(r)['guest-firmware'], 'matched');
  assert.equal(r.threats.find((t) => t.id === 'tdx.boot-tampering')!.status, 'mitigated');
});

test('SEV-SNP: MEASUREMENT is measured without a reference and matched with one; a wrong one fails', async () => {
  assert.equal(items(await vectorReport(SNP))['measurement'], 'measured');
  assert.equal(items(await vectorReport(SNP, { reference: snpReference() }))['measurement'], 'matched');
  const bad = await vectorReport(SNP, { reference: snpReference('00'.repeat(48)) });
  assert.equal(items(bad)['measurement'], 'failed');
  assert.equal(layers(bad)['guest-firmware'], 'failed');
  assert.equal(bad.threats.find((t) => t.id === 'cc.what-runs')!.status, 'not-mitigated');
});

test('a forged quote proves nothing: every inside layer failed, no threat mitigated', async () => {
  const r = await vectorReport({ ...TDX, evidence: 'tdx/dcapqvl-v4-bad-signature.quote' });
  assert.equal(r.result.cryptoValid, false);
  for (const l of r.trustBoundary.layers) {
    assert.equal(l.state, l.inside ? 'failed' : 'excluded', l.id);
    for (const i of l.items) assert.notEqual(i.state, 'proven', `${l.id} ${i.claim}`);
  }
  assert.deepEqual(
    r.threats.filter((t) => t.status === 'mitigated').map((t) => t.id),
    [],
  );
});

test('the views agree: no threat is mitigated by a claim the boundary shows as only measured', async () => {
  const reports = [
    await vectorReport(TDX),
    await vectorReport(SNP),
    await vectorReport(TDX, { reference: TDX_REFERENCE }),
    await vectorReport(SNP, { reference: snpReference(), nonce: SNP.reportData }),
  ];
  let checked = 0;
  for (const r of reports) {
    const weak = new Set(
      r.trustBoundary.layers.flatMap((l) => l.items.filter((i) => i.state === 'measured' || i.state === 'not-measured').map((i) => i.claim)),
    );
    for (const t of r.threats.filter((x) => x.status === 'mitigated')) {
      checked++;
      assert.deepEqual(
        t.basis.filter((b) => weak.has(b)),
        [],
        `${r.result.technology} ${t.id}`,
      );
    }
  }
  assert.ok(checked > 20);
  const plain = reports[0]!;
  assert.equal(plain.threats.find((t) => t.id === 'tdx.boot-tampering')!.status, 'open-by-policy');
  assert.equal(plain.threats.find((t) => t.id === 'cc.replay')!.status, 'open-by-policy');
});

test('threat rows cite their seed by title and author; product rows cite TEE Inspector and say why', async () => {
  const r = await vectorReport(TDX);
  const boot = r.threats.find((t) => t.id === 'tdx.boot-tampering')!;
  assert.deepEqual(boot.source, {
    title: SEED_FILES['003_9e0cb27a51a6d34f.txt'].title,
    author: 'Christophe de Dinechin',
    locator: 'Confidential Virtual Machines',
  });
  const module = r.threats.find((t) => t.id === 'tdx.module')!;
  assert.deepEqual(module.source, { title: 'TEE Inspector', author: 'TEE Inspector' });
  assert.match(module.because, /Why TEE Inspector lists this row: The TDX module runs in SEAM/);
  assert.ok(r.threats.some((t) => t.status === 'no-tee-mitigates'));
});

test('every seed author is taken from the seed text itself', () => {
  for (const [file, s] of Object.entries(SEED_FILES)) {
    const text = readFileSync(new URL(`../../../shared/seeds/${file}`, import.meta.url), 'utf8');
    if (s.author.startsWith('not named')) continue;
    for (const name of s.author.split(/, | \(/)[0]!.split(/, /)) assert.ok(text.includes(name), `${file}: ${name}`);
  }
});

test('the consistency rule itself: a mitigated row whose claim the boundary shows as measured is downgraded', async () => {
  const { threatsView } = await import('../../app/report/threats.js');
  const r = await vectorReport(TDX, { reference: TDX_REFERENCE });
  const boundary = structuredClone(r.trustBoundary);
  boundary.layers.find((l) => l.id === 'guest-firmware')!.items.find((i) => i.claim === 'mrTd')!.state = 'measured';
  const boot = threatsView(r.result, boundary).find((t) => t.id === 'tdx.boot-tampering')!;
  assert.equal(boot.status, 'open-by-policy');
  assert.match(boot.because, /But mrTd is signed but was compared with no reference value \(trust boundary\)/);
  assert.equal(r.threats.find((t) => t.id === 'tdx.boot-tampering')!.status, 'mitigated', 'unchanged with the real boundary');
});
