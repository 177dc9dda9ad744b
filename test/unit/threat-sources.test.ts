import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISOLATION_MODELS, LAYERS, SEED_FILES, allThreatRows, isSeedRef, threatTable, trustBoundary } from '../../app/threat/index.js';
import type { Cited, SeedRef, Technology } from '../../app/threat/index.js';
import { normalise, seedTexts } from './threat-fixtures.js';

const seeds = seedTexts();
const TECHS: readonly Technology[] = ['sgx', 'tdx', 'sev-snp'];

/** Every seed citation names an existing file, and its locator and quote occur in it verbatim. */
function assertRef(what: string, ref: SeedRef): void {
  const text = seeds.get(ref.file);
  assert.ok(text, `${what}: seed file ${ref.file} does not exist`);
  assert.ok(text.includes(normalise(ref.locator)), `${what}: locator "${ref.locator}" not found in ${ref.file}`);
  if (ref.quote) assert.ok(text.includes(normalise(ref.quote)), `${what}: quote "${ref.quote}" not found in ${ref.file}`);
}

function assertCited(what: string, c: Cited): void {
  if (isSeedRef(c.source)) assertRef(what, c.source);
  else assert.ok(c.justification && c.justification.length > 20, `${what}: product-sourced without a justification`);
  for (const ref of c.seeAlso ?? []) assertRef(`${what} (see also)`, ref);
}

test('the catalogue lists exactly the seed files on disk', () => {
  assert.deepEqual(Object.keys(SEED_FILES).sort(), [...seeds.keys()].sort());
});

test('every layer and isolation model cites an existing seed file verbatim, or is product with a reason', () => {
  for (const l of Object.values(LAYERS)) assertCited(`layer ${l.id}`, l);
  for (const m of Object.values(ISOLATION_MODELS)) assertCited(`model ${m.id}`, m);
  for (const t of TECHS) for (const l of trustBoundary(t)) assertCited(`${t} layer ${l.id}`, l);
});

test('seed-sourced layer labels use the seed wording', () => {
  for (const l of Object.values(LAYERS)) {
    if (!isSeedRef(l.source) || l.kind === 'root' || l.id === 'guest-firmware' || l.id === 'paravisor') continue; // our labels for layers the seeds name otherwise
    assert.ok(seeds.get(l.source.file)?.includes(l.label), `layer ${l.id}: "${l.label}" is not in ${l.source.file}`);
  }
});

test('every threat row cites an existing seed file verbatim, or is product with a reason', () => {
  const rows = allThreatRows();
  assert.ok(rows.length >= 40);
  for (const r of rows) assertCited(`row ${r.id}`, r);
});

test('row ids are unique and stable-looking, within and across tables', () => {
  for (const t of TECHS) {
    const ids = threatTable(t).rows.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `${t}: duplicate row ids`);
    for (const id of ids) assert.match(id, /^[a-z]+(\.[a-z0-9-]+)+$/);
  }
});

test("the SEV table is the seed's: 19 threats, names and example attacks verbatim, three columns", () => {
  const sev = threatTable('sev-snp');
  assert.deepEqual(sev.columns, ['SEV', 'SEV-ES', 'SEV-SNP']);
  const rows = sev.rows.filter((r) => r.id.startsWith('sev.'));
  assert.equal(rows.length, 19);
  const text = seeds.get('003_9e0cb27a51a6d34f.txt') ?? '';
  for (const r of rows) {
    assert.ok(text.includes(`${r.threat} Example attack: ${r.example}`), `${r.id}: "${r.threat}" / "${r.example}" not verbatim`);
    assert.deepEqual(Object.keys(r.mitigatedBy), ['SEV', 'SEV-ES', 'SEV-SNP']);
  }
  const byId = new Map(rows.map((r) => [r.id, r.mitigatedBy]));
  assert.deepEqual(byId.get('sev.vm-register-state'), { SEV: 'not-mitigated', 'SEV-ES': 'mitigated', 'SEV-SNP': 'mitigated' });
  assert.deepEqual(byId.get('sev.replay-protection'), { SEV: 'not-mitigated', 'SEV-ES': 'not-mitigated', 'SEV-SNP': 'mitigated' });
  assert.deepEqual(byId.get('sev.interrupt-injection'), { SEV: 'not-mitigated', 'SEV-ES': 'not-mitigated', 'SEV-SNP': 'optional' });
  assert.deepEqual(byId.get('sev.dos-on-guest'), { SEV: 'not-mitigated', 'SEV-ES': 'not-mitigated', 'SEV-SNP': 'not-mitigated' });
});

test("the SGX history is 000's table, in order, with its names and years; ids the seed lacks are marked product", () => {
  const hist = threatTable('sgx').rows.filter((r) => r.history);
  assert.deepEqual(
    hist.map((r) => [r.history?.attack, r.history?.year]),
    [
      ['Prime+Probe attack', '2017'],
      ['Foreshadow (L1TF) - Spectre-like', '2018'],
      ['Enclave attack', '2019'],
      ['Plundervolt', '2018 (updated: 2020)'],
      ['LVI (Load Value Injection)', '2020 (updated 2021)'],
      ['SGAxe', '2020'],
      ['ÆPIC leak', '2022'],
      ['MicroScope replay attack', '2022'],
    ],
  );
  const text = seeds.get('000_37fe1b8787ae3b5a.txt') ?? '';
  for (const r of hist) {
    assert.ok(text.includes(normalise(`${r.history?.attack} ${r.history?.year} ${r.history?.description}`)), `${r.id}: row not verbatim`);
    if (r.history?.advisories) assert.match(r.justification ?? '', /not in the seed/);
  }
});

test('TDX rows the seeds do not state are product-sourced with a reason', () => {
  const product = threatTable('tdx')
    .rows.filter((r) => r.source === 'product')
    .map((r) => r.id);
  assert.deepEqual(product.sort(), ['tdx.debug-td', 'tdx.denial-of-service', 'tdx.module', 'tdx.offline-dram', 'tdx.side-channels']);
});
