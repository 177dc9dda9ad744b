/**
 * The check catalogues (module contract v2): every check id the verifier reports over all manifest
 * vectors, and over the generic input and reference paths, is listed in exactly one catalogue, and no
 * two entries share an id or a title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { TEE_MODULES } from '../../app/tee/registry.js';
import { INPUT_CHECK_SPECS } from '../../app/report/checks.js';
import { REFERENCE_CHECK_SPECS } from '../../app/appraisal/checks.js';
import { parseReferenceValues, REFERENCE_SCHEMA } from '../../app/appraisal/reference.js';
import type { CheckSpec } from '../../app/check.js';
import type { VerificationResult } from '../../app/report/result.js';
import { collateralFiles, manifest, vectorBytes } from '../support/vectors.js';

const CATALOGUES: { owner: string; specs: readonly CheckSpec[] }[] = [
  ...TEE_MODULES.map((m) => ({ owner: m.id, specs: m.checks })),
  { owner: 'input', specs: INPUT_CHECK_SPECS },
  { owner: 'reference', specs: REFERENCE_CHECK_SPECS },
];
const ALL = CATALOGUES.flatMap((c) => c.specs);

test('no two catalogue entries share an id or a title, and each has a fix', () => {
  const ids = ALL.map((s) => s.id);
  const titles = ALL.map((s) => s.title);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'repeated ids',
  );
  assert.deepEqual(
    titles.filter((t, i) => titles.indexOf(t) !== i),
    [],
    'repeated titles',
  );
  for (const s of ALL) assert.ok(s.fix.length > 0 && s.title.length > 0, s.id);
});

test("the modules' crypto checks are what cryptoValid rests on: the quote and report signatures and chains", () => {
  const crypto = ALL.filter((s) => s.crypto).map((s) => s.id);
  assert.deepEqual(crypto, [
    'dcap.pck.chain',
    'dcap.qe-report.signature',
    'dcap.qe-report.binding',
    'dcap.quote.signature',
    'snp.vek.chain',
    'snp.report.signature',
    'tpm.quote.signature',
  ]);
});

test('every check id reported over all manifest vectors is in exactly one catalogue, with its title', async () => {
  const seen = new Map<string, string>();
  const record = (r: VerificationResult, where: string) => r.checks.forEach((c) => seen.set(`${c.id}\u0000${c.title}`, where));
  const vectors = manifest().vectors as (ReturnType<typeof manifest>['vectors'][number] & { endorsementKey?: string })[];
  for (const v of vectors) {
    const files = [...collateralFiles(v), ...(v.endorsementKey ? [{ name: v.endorsementKey, bytes: vectorBytes(v.endorsementKey) }] : [])];
    record(await createVerifier().verify(vectorBytes(v.path), files, { at: new Date(v.expect.at) }), v.id);
  }
  // The generic paths the vectors do not take: a broken collateral file, and reference values.
  const dcap = vectors.find((v) => v.technology === 'tdx' && v.expect.verdict === 'verified')!;
  const broken = [...collateralFiles(dcap), { name: 'broken.json', bytes: new TextEncoder().encode('{"tcbInfo": {}, "signature": "00"}') }];
  record(await createVerifier().verify(vectorBytes(dcap.path), broken, { at: new Date(dcap.expect.at) }), 'broken collateral');
  const reference = parseReferenceValues({
    schema: REFERENCE_SCHEMA,
    name: 'ref',
    sets: [{ name: 'any', technology: 'tdx', claims: { mrTd: ['00'.repeat(48)] } }],
  });
  record(await createVerifier().verify(vectorBytes(dcap.path), collateralFiles(dcap), { at: new Date(dcap.expect.at), reference }), 'reference values');

  const ids = [...seen.keys()].map((k) => k.split('\u0000')[0]!);
  for (const want of ['input.parse', 'input.collateral', 'reference.claims', 'dcap.quote.signature', 'snp.report.signature'])
    assert.ok(ids.includes(want), `${want} was exercised`);
  for (const [key, where] of seen) {
    const [id, title] = key.split('\u0000') as [string, string];
    const owners = CATALOGUES.filter((c) => c.specs.some((s) => s.id === id));
    assert.equal(owners.length, 1, `${id} (from ${where}) is in exactly one catalogue, not ${owners.map((o) => o.owner).join(', ') || 'none'}`);
    assert.equal(title, owners[0]!.specs.find((s) => s.id === id)!.title, `${id} carries its catalogue title`);
  }
});
