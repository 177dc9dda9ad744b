import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { TeeError } from '../../app/errors.js';
import { trusteeSnpEvidence } from '../../app/tee/snp/trustee-json.js';
import { vectorBytes, VECTORS_DIR } from '../support/vectors.js';
import { sevSerdeJson, sevSerdeReport } from '../support/snp-evidence-json.js';

/**
 * SnpEvidence in the serde form of the `sev` crate 6.x and later (key_info, cpuid_*, current {...}):
 * real reports written in that form by a serializer that follows the crate, rebuilt byte for byte.
 */
const at = new Date('2024-07-03T13:10:40Z');
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const enc = (s: string) => new TextEncoder().encode(s);
const rebuild = (r: Record<string, unknown>) => trusteeSnpEvidence({ attestation_report: r, cert_chain: null }).report;

/** Reports from real Azure guests (the SNP report at 0x20 of the HCL report): Milan v2, Milan v3, Genoa v3. */
function azureReports(): [string, Uint8Array][] {
  const hcl = (b: Uint8Array) => b.slice(0x20, 0x20 + 0x4a0);
  const json = (path: string) => JSON.parse(readFileSync(VECTORS_DIR + path, 'utf8')) as Record<string, unknown>;
  const milanV3 = Buffer.from(json('azure/snp-milan-evidence-v2.json').hcl_report as string, 'base64url');
  return [
    ['azure milan v2', hcl(vectorBytes('azure/snp-milan-hcl-report.bin'))],
    ['azure milan v3', hcl(new Uint8Array(milanV3))],
    ['azure genoa v3', hcl(Uint8Array.from(json('azure/snp-genoa-evidence.json').report as number[]))],
  ];
}

/** The Genoa report as version 5 with mitigation vectors, and a Turin-layout v3 (CPUID family 1Ah, FMC byte 0). */
function variants(): [string, Uint8Array][] {
  const v5 = azureReports()[2]![1].slice();
  v5[0] = 5;
  new DataView(v5.buffer).setBigUint64(0x1f8, 3n, true);
  new DataView(v5.buffer).setBigUint64(0x200, 0x1234n, true);
  const turin = report.slice();
  turin[0] = 3;
  turin.set([0x1a, 0x02, 0x00], 0x188);
  for (const o of [0x38, 0x180, 0x1e0, 0x1f0]) turin.set([1, 2, 3, 4, 0, 0, 0, 9], o);
  return [
    ['v5 with mitigation vectors', v5],
    ['Turin layout v3', turin],
  ];
}

test('every real report in shared/vectors/snp, and v3, v5 and Turin-layout reports: rebuilt byte for byte', () => {
  const files = readdirSync(VECTORS_DIR + 'snp').filter((f) => f.endsWith('.report'));
  assert.ok(files.length >= 4);
  const all: [string, Uint8Array][] = [...files.map((f): [string, Uint8Array] => [f, vectorBytes(`snp/${f}`)]), ...azureReports(), ...variants()];
  for (const [name, bytes] of all) {
    const doc = JSON.parse(sevSerdeJson(bytes, null));
    assert.ok('key_info' in doc.attestation_report && 'current' in doc.attestation_report, name);
    assert.deepEqual(rebuild(doc.attestation_report), bytes, name);
  }
});

test('the sev 6+ form with the VCEK in cert_chain verifies like the raw report', async () => {
  const r = await createVerifier().verify(enc(sevSerdeJson(report, [{ cert_type: 'VCEK', data: Array.from(vcek) }])), [], { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.evidence.encoding, 'json');
  assert.equal(r.format, 'snp-report-v2');
});

test('a changed field still rebuilds, and the signature catches it', async () => {
  for (const edit of [
    (d: Record<string, any>) => (d.measurement[0] ^= 1),
    (d: Record<string, any>) => (d.current.build += 1),
    (d: Record<string, any>) => (d.reported_tcb.snp += 1),
  ]) {
    const doc = sevSerdeReport(report) as Record<string, any>;
    edit(doc);
    const r = await createVerifier().verify(enc(JSON.stringify({ attestation_report: doc, cert_chain: null })), [{ name: 'vcek.der', bytes: vcek }], { at });
    assert.equal(r.verdict, 'rejected');
    assert.ok(
      r.errors.some((e) => e.code === 'REPORT_SIGNATURE_INVALID'),
      JSON.stringify(r.errors),
    );
  }
});

const malformed = (path: RegExp) => (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_EVIDENCE' && path.test(String(e.detail.field));

test('a missing, mistyped, out-of-range or unknown field is MALFORMED_EVIDENCE naming its JSON path', () => {
  const cases: [(d: Record<string, any>) => void, RegExp][] = [
    [(d) => delete d.current.build, /^attestation_report\.current\.build$/],
    [(d) => (d.policy = '0x30000'), /^attestation_report\.policy$/],
    [(d) => (d.vmpl = 2 ** 32), /^attestation_report\.vmpl$/],
    [(d) => (d.plat_info = 2 ** 60), /^attestation_report\.plat_info$/],
    [(d) => (d.chip_id = d.chip_id.slice(1)), /^attestation_report\.chip_id$/],
    [(d) => (d.signature.r[3] = 256), /^attestation_report\.signature\.r$/],
    [(d) => (d.signature._reserved = []), /^attestation_report\.signature\._reserved$/],
    [(d) => delete d.key_info && (d.key_infos = 0), /^attestation_report\.key_infos$/],
    [(d) => (d.reported_tcb.fmc = 1), /^attestation_report\.reported_tcb\.fmc$/],
    [(d) => (d.current_tcb = 3), /^attestation_report\.current_tcb$/],
    [(d) => (d.cpuid_fam_id = 0x19), /^attestation_report\.cpuid_fam_id$/],
    [(d) => (d.launch_mit_vector = 0), /^attestation_report\.launch_mit_vector$/],
    [(d) => (d.version = 1), /^attestation_report\.version$/],
  ];
  for (const [edit, path] of cases) {
    const doc = sevSerdeReport(report) as Record<string, any>;
    edit(doc);
    assert.throws(() => rebuild(doc), malformed(path), path.source);
  }
});

test('variant fields follow VERSION and the TCB layout follows CPUID', () => {
  const [, milan] = azureReports()[1]!;
  assert.equal(milan[0], 3);
  const noCpuid = sevSerdeReport(milan) as Record<string, any>;
  noCpuid.cpuid_mod_id = null;
  assert.throws(() => rebuild(noCpuid), malformed(/^attestation_report\.cpuid_mod_id$/), 'version 3 needs CPUID');
  const turinLayout = sevSerdeReport(milan) as Record<string, any>;
  for (const k of ['current_tcb', 'reported_tcb', 'committed_tcb', 'launch_tcb']) turinLayout[k].fmc = 0;
  assert.throws(() => rebuild(turinLayout), malformed(/^attestation_report\.current_tcb\.fmc$/), 'a Milan CPUID with the Turin layout');
  const [, v5] = variants()[0]!;
  const noMit = sevSerdeReport(v5) as Record<string, any>;
  delete noMit.current_mit_vector;
  assert.throws(() => rebuild(noMit), malformed(/^attestation_report\.current_mit_vector$/), 'version 5 needs the mitigation vectors');
});
