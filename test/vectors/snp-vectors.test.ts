import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createVerifier } from '../../app/verifier.js';
import { assertFields } from '../support/assert-fields.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { equalBytes } from '../../app/bytes/hex.js';
import { manifest, pinnedAmdRootsOf, vectorBytes, VECTORS_DIR } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';
import type { VerificationResult } from '../../app/report/result.js';

/** Manifest check names -> our stable check ids. */
const CHECK_IDS: Record<string, string[]> = {
  reportSignature: ['snp.report.signature'],
  vekChainToArk: ['snp.vek.chain', 'snp.vek.validity'],
  reportedTcbMatchesVek: ['snp.tcb.match'],
  chipIdMatchesVek: ['snp.chip-id'],
  debugOff: ['snp.policy.debug'],
};

const snpVectors = (manifest().vectors as (VectorEntry & { endorsementKey?: string })[]).filter((v) => v.technology === 'snp');

const rootsOf = pinnedAmdRootsOf;

test('the manifest has the SEV-SNP vectors', () => assert.ok(snpVectors.length >= 6));

for (const v of snpVectors) {
  test(`manifest vector ${v.id}`, async () => {
    const verifier = createVerifier({ roots: { intel: [], amd: rootsOf(v) } });
    const files = v.endorsementKey ? [{ name: v.endorsementKey, bytes: vectorBytes(v.endorsementKey) }] : [];
    const r = await verifier.verify(vectorBytes(v.path), files, { at: new Date(v.expect.at) });
    const e = v.expect;
    assert.equal(r.technology, 'sev-snp');
    assert.equal(r.verdict, e.verdict, JSON.stringify(r.errors));
    if (e.errorClass) assert.equal(r.errors[0]?.code, e.errorClass, JSON.stringify(r.errors));
    if (e.verdict === 'verified') assert.deepEqual(r.errors, []);
    if (e.cryptoValid !== undefined) assert.equal(r.cryptoValid, e.cryptoValid);
    for (const [name, status] of Object.entries(e.checks ?? {})) assertChecks(r, name, status);
    if (e.failingCheck) assertChecks(r, e.failingCheck, 'fail');
    if (e.fields) assertFields(r.fields, e.fields, 'fields');
  });
}

test('SEV-SNP claims and the JSON contract', async () => {
  const r = await createVerifier().verify(
    vectorBytes('snp/trustee-milan-vcek.report'),
    [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }],
    { at: new Date('2024-07-03T13:10:40Z') },
  );
  assert.equal(r.format, 'snp-report-v2');
  // DESIGN.md: the reported TCB is bound to the VCEK (snp.tcb.match), but currency needs a minimum TCB.
  assert.equal(r.tcb?.status, 'NotEvaluated');
  assert.ok(r.notEstablished.includes('tcb-currency'));
  assert.equal(r.appraisal.tier, 'warning');
  assert.deepEqual(r.tcb?.advisories, []);
  assert.equal(r.claims.signingKey, 'vcek');
  assert.equal(r.claims.debug, false);
  assert.deepEqual(r.claims.reportedTcb, { bootloader: 3, tee: 0, snp: 8, microcode: 115, raw: '0x7308000000000003' });
  for (const k of ['measurement', 'hostData', 'idKeyDigest', 'authorKeyDigest', 'reportId', 'chipId', 'policy', 'vmpl', 'reportData'])
    assert.ok(k in r.claims, k);
});

test('every AMD certificate in ../shared/vectors/roots is pinned, and every pinned one is among them', () => {
  const shared = readdirSync(VECTORS_DIR + 'roots')
    .filter((f) => f.startsWith('amd-'))
    .flatMap((f) => pemBlocks(readFileSync(VECTORS_DIR + 'roots/' + f, 'utf8')).map((b) => b.der));
  for (const der of shared) assert.ok(AMD_ROOTS.some((r) => equalBytes(r.der, der)));
  for (const r of AMD_ROOTS)
    assert.ok(
      shared.some((der) => equalBytes(r.der, der)),
      r.cn,
    );
});

test('the JSON result contract through the real CLI binary (npx tee-inspect verify ... --format json)', () => {
  const bin = fileURLToPath(new URL('../../bin/tee-inspect.mjs', import.meta.url));
  const cache = mkdtempSync(join(tmpdir(), 'tee-snp-cli-'));
  const args = [
    'verify',
    'snp/trustee-milan-vcek.report',
    '--collateral',
    'snp/trustee-milan-vcek.vcek.der',
    '--at',
    '2024-07-03T13:10:40Z',
    '--format',
    'json',
    '--cache-dir',
    cache,
  ];
  // Without --offline the CLI tries AMD KDS for the CRL; the test suite allows loopback only, so that fetch fails and snp.crl warns.
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: VECTORS_DIR, encoding: 'utf8', env: { ...process.env, TEE_INSPECT_LOOPBACK_ONLY: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as VerificationResult;
  assert.equal(json.schema, 'tee-inspect/result/v1');
  assert.equal(json.technology, 'sev-snp');
  assert.equal(json.format, 'snp-report-v2');
  assert.equal(json.verdict, 'verified');
  assert.equal(json.cryptoValid, true);
  assert.deepEqual(json.tcb, { status: 'NotEvaluated', advisories: [] });
  assert.equal(json.appraisal.tier, 'warning', 'no CRL could be checked, and the TCB was not compared with a minimum');
  assert.deepEqual(json.errors, []);
  assert.equal(json.evidence.sha256, '7c614616feb65823351fa42620ea260fb84fd22b2337a480ca0d5f04f363ca38');
  assert.deepEqual(
    json.checks.map((c) => `${c.id}:${c.status}`),
    [
      'snp.report.format:pass',
      'snp.vek.chain:pass',
      'snp.vek.validity:pass',
      'snp.crl:warn',
      'snp.report.signature:pass',
      'snp.vek.kind:pass',
      'snp.tcb.match:pass',
      'snp.chip-id:pass',
      'snp.tcb.status:pass',
      'snp.policy.debug:pass',
      'snp.nonce:skip',
    ],
  );
  for (const k of [
    'measurement',
    'hostData',
    'idKeyDigest',
    'authorKeyDigest',
    'reportId',
    'chipId',
    'reportedTcb',
    'policy',
    'vmpl',
    'reportData',
    'signingKey',
    'debug',
  ])
    assert.ok(k in json.claims, k);
  assert.deepEqual(json.claims.policy, {
    abiMinor: 31,
    abiMajor: 0,
    smt: true,
    reserved17: true,
    migrateMa: false,
    debug: false,
    singleSocket: false,
    cxlAllow: false,
    memAes256Xts: false,
    raplDis: false,
    ciphertextHiding: false,
    pageSwapDisable: false,
  });
});

test('without a VCEK the report is COLLATERAL_MISSING with the AMD KDS URL', async () => {
  const r = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [], { at: new Date('2024-07-03T13:10:40Z') });
  assert.equal(r.errors[0]?.code, 'COLLATERAL_MISSING');
  assert.match(r.errors[0]!.message, /kdsintf\.amd\.com\/vcek\/v1\/Milan\/[0-9a-f]{128}\?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115/);
});

test('--nonce against REPORT_DATA', async () => {
  const files = [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }];
  const verify = (nonce: string) =>
    createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), files, { at: new Date('2024-07-03T13:10:40Z'), nonce: Buffer.from(nonce, 'hex') });
  assert.equal((await verify('ec6c52d7533cc2c4')).verdict, 'verified');
  assert.equal((await verify('00')).errors[0]?.code, 'NONCE_MISMATCH');
});

function assertChecks(r: VerificationResult, name: string, status: string): void {
  const ids = CHECK_IDS[name];
  assert.ok(ids, `no mapping for manifest check ${name}`);
  const found = r.checks.filter((c) => ids.includes(c.id));
  assert.ok(found.length > 0, `${ids} reported`);
  if (status === 'fail')
    assert.ok(
      found.some((c) => c.status === 'fail'),
      `${name}: one of ${ids} fails`,
    );
  else for (const c of found) assert.equal(c.status, status, `${c.id}: ${c.explain}`);
}

/** The SNP reports inside Azure's HCL reports (at offset 32): v3 reports from Milan and Genoa with their VCEKs. */
for (const [file, at, product] of [
  ['azure/snp-genoa-evidence.json', '2025-05-28T21:48:51Z', 'Genoa'],
  ['azure/snp-milan-evidence-v2.json', '2025-05-28T21:48:51Z', 'Milan'],
] as const) {
  test(`v3 report from ${file} (${product}, product from CPUID)`, async () => {
    // Two shapes: {report: byte array, vcek: PEM} and {hcl_report: base64, vcek: base64 DER}.
    const doc = JSON.parse(readFileSync(VECTORS_DIR + file, 'utf8')) as { report?: number[]; hcl_report?: string; vcek: string };
    const hcl = doc.report ? Uint8Array.from(doc.report) : new Uint8Array(Buffer.from(doc.hcl_report!, 'base64'));
    const vcek = doc.vcek.includes('BEGIN') ? new TextEncoder().encode(doc.vcek) : new Uint8Array(Buffer.from(doc.vcek, 'base64'));
    const r = await createVerifier().verify(hcl.subarray(32, 32 + 0x4a0), [{ name: 'vcek', bytes: vcek }], { at: new Date(at) });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
    assert.equal(r.format, 'snp-report-v3');
    assert.equal(r.fields.product, product);
    assert.equal(r.tcb?.status, 'NotEvaluated');
    // The manifest decodes the inner report of these Azure entries too: every field, CPUID bytes included.
    const entry = manifest().vectors.find((v) => v.path === file)!;
    assertFields(r.fields, (entry.expect.fields as { snp: unknown }).snp, `${file} fields.snp`);
  });
}

test("--product: the user's choice decodes v2 reports; one that contradicts the CPUID is a usage error", async () => {
  const { runCli } = await import('../support/cli.js');
  // --offline with an empty cache: the AMD CRL is not fetched (tests touch no network beyond loopback).
  const cache = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/tee-snp-`);
  const base = [
    'verify',
    `${VECTORS_DIR}snp/trustee-milan-vcek.report`,
    '--collateral',
    `${VECTORS_DIR}snp/trustee-milan-vcek.vcek.der`,
    '--at',
    '2024-07-03T13:10:40Z',
    '--offline',
    '--cache-dir',
    cache,
  ];
  assert.equal((await runCli([...base, '--product', 'Milan'])).code, 0);
  assert.equal((await runCli([...base, '--product', 'Rome'])).code, 2);
  const doc = JSON.parse(readFileSync(VECTORS_DIR + 'azure/snp-genoa-evidence.json', 'utf8')) as { report: number[] };
  const r = await createVerifier().verify(Uint8Array.from(doc.report).subarray(32, 32 + 0x4a0), [], { at: new Date('2025-05-28T21:48:51Z'), product: 'Turin' });
  assert.equal(r.errors[0]?.code, 'USAGE_ERROR');
  assert.match(r.errors[0]!.message, /contradicts the report, which comes from an AMD Genoa CPU/);
});

test('golden values for SEV-SNP: MEASUREMENT, HOST_DATA and a minimum reported TCB', async () => {
  const { parseReferenceValues } = await import('../../app/appraisal/reference.js');
  const ref = (snp: number) =>
    parseReferenceValues({
      schema: 'tee-inspect/reference/v1',
      name: 'snp',
      sets: [
        {
          name: 'milan',
          technology: 'sev-snp',
          claims: {
            measurement: ['a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c'],
            hostData: ['00'.repeat(32)],
          },
          minimum: { reportedTcb: { bootloader: 3, tee: 0, snp, microcode: 115 } },
        },
      ],
    });
  const verify = (snp: number) =>
    createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }], {
      at: new Date('2024-07-03T13:10:40Z'),
      reference: ref(snp),
    });
  const ok = await verify(8);
  assert.equal(ok.verdict, 'verified');
  assert.ok(ok.appraisal.diffs.every((d) => d.match));
  const low = await verify(9);
  assert.equal(low.errors[0]?.code, 'REFERENCE_MISMATCH');
});

test('golden values for the SEV-SNP guest policy bits', async () => {
  const { parseReferenceValues } = await import('../../app/appraisal/reference.js');
  const verify = (claims: Record<string, unknown>) =>
    createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }], {
      at: new Date('2024-07-03T13:10:40Z'),
      reference: parseReferenceValues({ schema: 'tee-inspect/reference/v1', name: 'p', sets: [{ name: 's', technology: 'sev-snp', claims }] }),
    });
  assert.equal((await verify({ 'policy.migrateMa': [false], 'policy.abiMinor': [31] })).verdict, 'verified');
  const smt = await verify({ 'policy.smt': [false] });
  assert.equal(smt.errors[0]?.code, 'REFERENCE_MISMATCH');
  assert.deepEqual(smt.appraisal.diffs, [{ claim: 'policy.smt', expected: ['false'], actual: 'true', match: false }]);
  assert.throws(
    () =>
      parseReferenceValues({ schema: 'tee-inspect/reference/v1', name: 'p', sets: [{ name: 's', technology: 'sev-snp', claims: { 'policy.smt': ['no'] } }] }),
    /must be true or false/,
  );
});

test('a minimum TCB in the reference values decides SEV-SNP TCB currency: UpToDate when met, OutOfDate when not', async () => {
  const { parseReferenceValues } = await import('../../app/appraisal/reference.js');
  const measurement = String((await verifyWith()).claims.measurement);
  const reference = (microcode: number, allowed?: string[]) =>
    parseReferenceValues({
      schema: 'tee-inspect/reference/v1',
      name: 'milan minimum',
      sets: [
        {
          name: 'fleet minimum',
          technology: 'sev-snp',
          claims: { measurement: [measurement] },
          minimum: { reportedTcb: { bootloader: 3, snp: 8, microcode } },
          ...(allowed ? { allowedTcbStatuses: allowed } : {}),
        },
      ],
    });
  const verify = (ref?: ReturnType<typeof reference>) => verifyWith(ref);
  async function verifyWith(ref?: import('../../app/appraisal/reference.js').ReferenceValues) {
    return createVerifier().verify(
      vectorBytes('snp/trustee-milan-vcek.report'),
      [{ name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') }],
      { at: new Date('2024-07-03T13:10:40Z'), ...(ref ? { reference: ref } : {}) },
    );
  }
  const met = await verify(reference(115, ['UpToDate']));
  assert.equal(met.verdict, 'verified', JSON.stringify(met.errors));
  assert.equal(met.tcb?.status, 'UpToDate');
  assert.ok(!met.notEstablished.includes('tcb-currency'));
  assert.equal(met.checks.find((c) => c.id === 'reference.tcb-status')?.status, 'pass');
  const below = await verify(reference(116));
  assert.equal(below.tcb?.status, 'OutOfDate');
  assert.equal(below.verdict, 'rejected');
  assert.equal(below.errors[0]?.code, 'REFERENCE_MISMATCH');
  assert.match(below.errors[0]?.message ?? '', /reportedTcb\.microcode is 115, below the minimum 116/);
  const none = await verify();
  assert.equal(none.tcb?.status, 'NotEvaluated', 'without a minimum nothing says the TCB is current');
});
