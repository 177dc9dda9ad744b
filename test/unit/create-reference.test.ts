import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { createReference } from '../../app/appraisal/create-reference.js';
import { parseReferenceValues, REFERENCE_SCHEMA } from '../../app/appraisal/reference.js';
import type { VerificationResult } from '../../app/report/result.js';
import { collateralFiles, manifest, vectorBytes } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';

/** Golden values saved from a verification: they parse, and the same evidence verified against them matches. */
const verifier = createVerifier({ crypto: nodeCryptoProvider() });
/** The first (positive) entry of a path; SEV-SNP entries name their VCEK as `endorsementKey`. */
const vector = (path: string): VectorEntry & { endorsementKey?: string } => manifest().vectors.find((v) => v.path === path)!;
const inputs = (v: VectorEntry & { endorsementKey?: string }) => [
  ...collateralFiles(v),
  ...(v.endorsementKey ? [{ name: v.endorsementKey, bytes: vectorBytes(v.endorsementKey) }] : []),
];

async function verify(v: VectorEntry & { endorsementKey?: string }, reference?: unknown): Promise<VerificationResult> {
  return verifier.verify(vectorBytes(v.path), inputs(v), {
    at: new Date(v.expect.at),
    ...(reference ? { reference: parseReferenceValues(reference) } : {}),
  });
}

for (const path of ['tdx/dcapqvl-v4.quote', 'sgx/dcapqvl-v3.quote', 'snp/trustee-milan-vcek.report']) {
  test(`${path}: saved golden values parse and the same evidence matches them`, async () => {
    const v = vector(path);
    const first = await verify(v);
    assert.equal(first.verdict, 'verified', JSON.stringify(first.errors));
    const ref = createReference(first, { toolVersion: '1.2.3', note: 'Saved by alice on 2026-01-02.' });
    const parsed = parseReferenceValues(JSON.parse(JSON.stringify(ref)));
    assert.equal(parsed.schema, REFERENCE_SCHEMA);
    assert.equal(parsed.sets.length, 1);
    assert.equal(parsed.sets[0]!.technology, first.technology);
    assert.ok(Object.keys(ref.sets[0]!.minimum ?? {}).length > 0, 'the measured security versions become the minimum');
    const again = await verify(v, ref);
    assert.equal(again.appraisal.reference?.matched, true, JSON.stringify(again.errors));
    assert.equal(again.verdict, 'verified');
    assert.ok(again.appraisal.diffs.length > 0 && again.appraisal.diffs.every((d) => d.match));
  });
}

test('provenance: evidence digest, verification time, tool version and the note travel in the file', async () => {
  const v = vector('tdx/dcapqvl-v4.quote');
  const r = await verify(v);
  const ref = createReference(r, { toolVersion: '1.2.3', note: 'Saved by alice on 2026-01-02.' });
  assert.match(ref.note, new RegExp(r.evidence.sha256));
  assert.match(ref.note, new RegExp(v.expect.at));
  assert.match(ref.note, /TEE Inspector 1\.2\.3/);
  assert.match(ref.note, /Saved by alice on 2026-01-02\.$/);
  const set = ref.sets[0]!;
  assert.deepEqual(set.claims.mrTd, [r.claims.mrTd]);
  assert.equal(set.minimum?.teeTcbSvn, r.claims.teeTcbSvn);
  assert.equal(set.claims.reportData, undefined, 'report data differs per quote');
  assert.match(set.note, /Left out: reportData/);
});

test('a changed measurement no longer matches the saved values', async () => {
  const good = vector('tdx/dcapqvl-v4.quote');
  const ref = createReference(await verify(good), { toolVersion: '1' });
  const other = vector('tdx/gotdx-v5.quote');
  const r = await verify(other, ref);
  assert.equal(r.appraisal.reference?.matched, false);
  assert.equal(r.verdict, 'rejected');
});

test('evidence whose signatures did not verify gives no golden values', async () => {
  const bad = await verify(vector('tdx/dcapqvl-v4-bad-signature.quote'));
  assert.equal(bad.cryptoValid, false);
  assert.throws(() => createReference(bad, { toolVersion: '1' }), /did not verify/);
});

test('with createdAt the set records where its values came from, as a provenance entry that parses', async () => {
  const v = vector('snp/trustee-milan-vcek.report');
  const r = await verify(v);
  const ref = createReference(r, { toolVersion: '1.2.3', createdAt: '2026-01-02T03:04:05Z' });
  const p = ref.sets[0].provenance;
  assert.equal(p?.length, 1);
  assert.equal(p![0]!.source, 'evidence');
  assert.equal(p![0]!.tool, 'tee-inspect 1.2.3');
  assert.equal(p![0]!.createdAt, '2026-01-02T03:04:05Z');
  assert.deepEqual(p![0]!.evidence, {
    sha256: r.evidence.sha256,
    bytes: r.evidence.bytes,
    format: r.format,
    at: r.at,
    verdict: 'verified',
    tier: r.appraisal.tier,
  });
  assert.deepEqual(Object.keys(p![0]!.claims), Object.keys(ref.sets[0].claims), 'every value taken is accounted for');
  const parsed = parseReferenceValues(JSON.parse(JSON.stringify(ref)));
  assert.equal(parsed.sets[0]!.provenance![0]!.claims.measurement, r.claims.measurement);
  const again = await verify(v, ref);
  assert.equal(again.appraisal.reference?.matched, true, 'provenance does not change what matches');
});

test('without createdAt there is no provenance entry (the notes still say where the values came from)', async () => {
  const ref = createReference(await verify(vector('tdx/dcapqvl-v4.quote')), { toolVersion: '1' });
  assert.equal(ref.sets[0].provenance, undefined);
});

test('a createdAt that is not an ISO-8601 UTC time is refused', async () => {
  const r = await verify(vector('tdx/dcapqvl-v4.quote'));
  assert.throws(() => createReference(r, { toolVersion: '1', createdAt: 'yesterday' }), /createdAt must be an ISO-8601 UTC time/);
});
