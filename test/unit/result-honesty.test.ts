import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { TEE_MODULES } from '../../app/tee/registry.js';
import { TeeError, toTeeError } from '../../app/errors.js';
import { judge, failUnprovenCrypto, worstFirst } from '../../app/report/judge.js';
import type { Check, CheckSpec } from '../../app/check.js';
import { vectorBytes } from '../support/vectors.js';

/** Issue 9 §1: errors that say what happened, every input with its role, what the verdict does not show. */
const verifier = createVerifier();
const QUOTE = 'tdx/dcapqvl-v4.quote';
const BUNDLE = 'tdx/dcapqvl-v4.collateral.json';
const AT = new Date('2025-07-19T10:00:34Z');
const file = (path: string) => ({ name: path.split('/').pop()!, bytes: vectorBytes(path) });
const utf8 = (s: string) => new TextEncoder().encode(s);

test('a bug of ours is INTERNAL_ERROR with a plea to report it, never MALFORMED_EVIDENCE', async () => {
  const dcap = TEE_MODULES.find((m) => m.id === 'dcap')!;
  const original = dcap.verify;
  dcap.verify = async () => {
    const nothing = null as unknown as { x: number };
    return nothing.x as never; // TypeError: Cannot read properties of null
  };
  try {
    const r = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE)], { at: AT });
    assert.equal(r.errors[0]!.code, 'INTERNAL_ERROR');
    assert.match(r.errors[0]!.message, /bug in the verifier, not a problem with your file/);
    assert.match(r.checks[0]!.fix!, /bug in TEE Inspector/);
  } finally {
    dcap.verify = original;
  }
  assert.equal(toTeeError(new RangeError('x')).code, 'INTERNAL_ERROR');
  assert.equal(toTeeError(new Error('ECONNRESET'), 'FETCH_FAILED').code, 'FETCH_FAILED');
  assert.equal(toTeeError(new TeeError('NONCE_MISMATCH', 'n')).code, 'NONCE_MISMATCH');
});

const UNSUPPORTED: [string, string][] = [
  ['azure/snp-milan-tpm-quote.json', 'tpm-quote-json'],
  ['eventlog/gotdx-ccel-data.bin', 'tcg-eventlog'],
  ['eventlog/trustee-ccel-td-shim.bin', 'tcg-eventlog'],
  ['eventlog/gotdx-ccel-table.bin', 'acpi-ccel'],
  ['nvidia/hopper-report.hex', 'spdm-measurements'],
  ['cca/cca-example-token.cbor', 'cca-token'],
];

for (const [path, format] of UNSUPPORTED) {
  test(`${path} is UNSUPPORTED_EVIDENCE named as ${format}, not malformed`, async () => {
    const r = await verifier.verify(vectorBytes(path), [], { at: AT });
    assert.equal(r.errors[0]!.code, 'UNSUPPORTED_EVIDENCE');
    assert.equal(r.format, format);
    assert.match(r.errors[0]!.message, /this looks like .*not supported yet/);
  });
}

test('Hygon CSV evidence and AWS Nitro documents are named, not "malformed SnpEvidence JSON"', async () => {
  const csv = utf8(JSON.stringify({ attestation_report: { mnonce: [1, 2], anonce: 1 }, cert_chain: { hsk: {}, cek: {}, pek: {} }, serial_number: [1] }));
  const r = await verifier.verify(csv, [], { at: AT });
  assert.equal(r.errors[0]!.code, 'UNSUPPORTED_EVIDENCE');
  assert.match(r.errors[0]!.message, /Hygon CSV/);
  // A COSE_Sign1 (tag 18) whose payload names module_id and cabundle, as Nitro's NSM returns it.
  const payload = utf8('\u00a2imodule_idxi-0123hcabundle');
  const nitro = new Uint8Array([0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0, 0x58, payload.length, ...payload, 0x40]);
  const n = await verifier.verify(nitro, [], { at: AT });
  assert.equal(n.format, 'nitro-document');
  assert.match(n.errors[0]!.message, /AWS Nitro/);
});

test('an unrelated extra file is ignored and the evidence beside it still verifies', async () => {
  const junk = { name: 'notes.txt', bytes: utf8('remember to rotate the keys\n') };
  const log = file('eventlog/gotdx-ccel-data.bin');
  const r = await verifier.verify(vectorBytes(QUOTE), [junk, file(BUNDLE), log], { at: AT, evidenceName: 'dcapqvl-v4.quote' });
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(
    r.inputs.map((i) => [i.name, i.role]),
    [
      ['dcapqvl-v4.quote', 'evidence'],
      ['notes.txt', 'ignored'],
      ['dcapqvl-v4.collateral.json', 'collateral'],
      ['gotdx-ccel-data.bin', 'ignored'],
    ],
  );
  assert.match(r.inputs[3]!.note!, /event log/);
  assert.equal(r.inputs[0]!.sha256, r.evidence.sha256);
  assert.equal(r.inputs[2]!.bytes, vectorBytes(BUNDLE).length);
  assert.match(r.inputs[2]!.sha256, /^[0-9a-f]{64}$/);
});

test('a supplied copy of a pinned root is unused, with a note saying the pinned copy is trusted', async () => {
  const r = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE), file('roots/intel-sgx-root-ca.pem')], { at: AT });
  assert.equal(r.verdict, 'verified');
  const root = r.inputs.find((i) => i.name === 'intel-sgx-root-ca.pem')!;
  assert.equal(root.role, 'unused');
  assert.match(root.note!, /pinned/);
});

test('a broken certificate is reported even when it was not needed, without blocking the verdict', async () => {
  const pem = new TextDecoder().decode(vectorBytes('roots/intel-sgx-root-ca.pem'));
  const broken = { name: 'broken.pem', bytes: utf8(pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!')) };
  const r = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE), broken], { at: AT });
  assert.equal(r.verdict, 'verified');
  assert.equal(r.appraisal.tier, 'warning');
  const check = r.checks.find((c) => c.id === 'input.collateral')!;
  assert.equal(check.status, 'warn');
  assert.equal(check.code, 'MALFORMED_COLLATERAL');
  assert.equal(r.inputs.find((i) => i.name === 'broken.pem')!.role, 'unused');
});

test('errors list every failing check, worst first: forgery, then replay, then availability', async () => {
  const quote = vectorBytes(QUOTE).slice();
  quote[0x30 + 20] = quote[0x30 + 20]! ^ 1; // inside the signed TD report body: the quote signature no longer verifies
  const late = new Date('2031-01-01T00:00:00Z');
  const r = await verifier.verify(quote, [file(BUNDLE)], { at: late, nonce: new Uint8Array([9, 9, 9]) });
  const codes = r.errors.map((e) => e.code);
  assert.equal(codes[0], 'QUOTE_SIGNATURE_INVALID');
  assert.ok(codes.includes('NONCE_MISMATCH'));
  assert.ok(codes.indexOf('NONCE_MISMATCH') < codes.findIndex((c) => c === 'COLLATERAL_EXPIRED' || c === 'CERT_EXPIRED'), codes.join(' '));
  assert.equal(r.errors.length, r.checks.filter((c) => c.status === 'fail').length);
});

test('worstFirst keeps the run order within one severity', () => {
  const c = (id: string, code: Check['code']): Check => ({ id, status: 'fail', title: id, explain: '', ...(code ? { code } : {}) });
  const order = worstFirst([
    c('a', 'COLLATERAL_MISSING'),
    c('b', 'DEBUG_ENABLED'),
    c('c', 'NONCE_MISMATCH'),
    c('d', 'REPORT_SIGNATURE_INVALID'),
    c('e', 'REFERENCE_MISMATCH'),
  ]).map((x) => x.id);
  assert.deepEqual(order, ['d', 'c', 'b', 'e', 'a']);
});

const X_CATALOGUE: CheckSpec[] = [
  { id: 'x.chain', title: 'Chain', crypto: true, mandatory: true, fix: 'Supply the chain.' },
  { id: 'x.signature', title: 'Signature', crypto: true, mandatory: true, fix: 'Supply signed evidence.' },
];

test('verified requires cryptoValid: a mandatory crypto check that could not run fails with its reason', () => {
  const checks: Check[] = [
    { id: 'x.chain', status: 'pass', title: 'Chain', explain: 'ok' },
    { id: 'x.signature', status: 'skip', title: 'Signature', explain: 'Not run: the key is P-521, which this crypto provider lacks' },
  ];
  const strict = failUnprovenCrypto(checks, X_CATALOGUE);
  const j = judge(strict, X_CATALOGUE, 'UpToDate');
  assert.equal(j.verdict, 'rejected');
  assert.equal(j.cryptoValid, false);
  assert.equal(j.errors[0]!.code, 'UNSUPPORTED_EVIDENCE');
  assert.match(j.errors[0]!.message, /could not be completed: the key is P-521/);
  // Even without the conversion, a missing crypto check can never leave a verified verdict.
  assert.equal(judge([checks[0]!], X_CATALOGUE, 'UpToDate').verdict, 'rejected');
});

test('judge reads mandatory from the catalogue: a failing advisory check only lowers the tier', () => {
  const passed = (spec: CheckSpec): Check => ({ id: spec.id, status: 'pass', title: spec.title, explain: 'ok' });
  const hint: CheckSpec = { id: 'x.hint', title: 'Hint', crypto: false, mandatory: false, fix: 'Consider it.' };
  const failedHint: Check = { id: hint.id, status: 'fail', title: hint.title, explain: 'not as advised', code: 'TCB_MISMATCH', fix: hint.fix };
  const base = X_CATALOGUE.map(passed);
  const advisory = judge([...base, failedHint], [...X_CATALOGUE, hint], 'UpToDate');
  assert.deepEqual([advisory.verdict, advisory.appraisal.tier, advisory.errors], ['verified', 'warning', []]);
  // The same failure from a mandatory check (or one no catalogue lists) rejects.
  assert.equal(judge([...base, failedHint], [...X_CATALOGUE, { ...hint, mandatory: true }], 'UpToDate').verdict, 'rejected');
  assert.equal(judge([...base, failedHint], X_CATALOGUE, 'UpToDate').verdict, 'rejected');
});

test('notEstablished: freshness and measurements until a nonce and reference values are checked', async () => {
  const r = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE)], { at: AT });
  assert.deepEqual(r.notEstablished, ['freshness', 'measurements']);
  const reportData = vectorBytes(QUOTE).subarray(48 + 520, 48 + 584);
  const fresh = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE)], { at: AT, nonce: reportData.slice(0, 32) });
  assert.equal(fresh.verdict, 'verified');
  assert.deepEqual(fresh.notEstablished, ['measurements']);
});

test('a missing CRL leaves revocation unestablished; --strict (requireRevocation) makes it a failure', async () => {
  const bundle = JSON.parse(new TextDecoder().decode(vectorBytes(BUNDLE))) as Record<string, unknown>;
  delete bundle['pck_crl'];
  const files = [{ name: 'no-pck-crl.json', bytes: utf8(JSON.stringify(bundle)) }];
  const lenient = await verifier.verify(vectorBytes(QUOTE), files, { at: AT });
  assert.equal(lenient.verdict, 'verified');
  assert.equal(lenient.appraisal.tier, 'warning');
  assert.ok(lenient.notEstablished.includes('revocation'));
  const strict = await verifier.verify(vectorBytes(QUOTE), files, { at: AT, requireRevocation: true });
  assert.equal(strict.verdict, 'rejected');
  assert.ok(strict.errors.some((e) => e.code === 'COLLATERAL_MISSING' && /Revocation must be checked/.test(e.message)));
});

test('evidence wrapped as GCP and Phala Cloud serve it is unwrapped; several instances are refused', async () => {
  const b64 = Buffer.from(vectorBytes(QUOTE)).toString('base64');
  const hex = Buffer.from(vectorBytes(QUOTE)).toString('hex');
  for (const doc of [{ tdx: { quote: b64 } }, { instances: [{ quote: hex, eventlog: [] }], app_id: 'x' }, { attestation: { quote: hex } }]) {
    const r = await verifier.verify(utf8(JSON.stringify(doc)), [file(BUNDLE)], { at: AT });
    assert.equal(r.verdict, 'verified', JSON.stringify(doc).slice(0, 40));
    assert.equal(r.evidence.encoding, 'json');
  }
  const two = await verifier.verify(utf8(JSON.stringify({ instances: [{ quote: hex }, { quote: hex }] })), [file(BUNDLE)], { at: AT });
  assert.equal(two.errors[0]!.code, 'USAGE_ERROR');
});

test('an SEV-SNP report with its certificate table appended in the same file verifies from that table alone', async () => {
  const { certTable, CERT_TABLE_GUID } = await import('../support/cert-table.js');
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  const table = certTable([[CERT_TABLE_GUID.VCEK, vectorBytes('snp/trustee-milan-vcek.vcek.der')]]);
  const joined = new Uint8Array([...report.subarray(0, 0x4a0), ...table]);
  const at = new Date('2024-07-03T13:10:40Z');
  const r = await verifier.verify(joined, [], { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.evidence.bytes, joined.length);
  assert.deepEqual(
    r.inputs.map((i) => i.role),
    ['evidence'],
  );
  const bare = await verifier.verify(report.subarray(0, 0x4a0), [], { at });
  assert.equal(bare.errors[0]!.code, 'COLLATERAL_MISSING');
});

test('Intel collateral dropped beside an SEV-SNP report is unused and never blocks its verdict', async () => {
  const at = new Date('2024-07-03T13:10:40Z');
  const files = [file('snp/trustee-milan-vcek.vcek.der'), file('tdx/gotdx-pcs-2023/rootcrl.der'), file('tdx/gotdx-pcs-2023/tcbinfo-fmspc-50806f000000.json')];
  const r = await verifier.verify(vectorBytes('snp/trustee-milan-vcek.report'), files, { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.deepEqual(
    r.inputs.map((i) => i.role),
    ['evidence', 'collateral', 'unused', 'unused'],
  );
});

test('a reference set with "requireRevocation": true fails a missing CRL; without it, a warning', async () => {
  const { parseReferenceValues } = await import('../../app/appraisal/reference.js');
  const r0 = await verifier.verify(vectorBytes(QUOTE), [file(BUNDLE)], { at: AT });
  const mrTd = r0.claims['mrTd'] as string;
  const bundle = JSON.parse(new TextDecoder().decode(vectorBytes(BUNDLE))) as Record<string, unknown>;
  delete bundle['pck_crl'];
  const files = [{ name: 'no-pck-crl.json', bytes: utf8(JSON.stringify(bundle)) }];
  const ref = (requireRevocation: boolean) =>
    parseReferenceValues({
      schema: 'tee-inspect/reference/v1',
      name: 'prod',
      sets: [{ name: 'td', technology: 'tdx', claims: { mrTd: [mrTd] }, requireRevocation }],
    });
  const lenient = await verifier.verify(vectorBytes(QUOTE), files, { at: AT, reference: ref(false) });
  assert.equal(lenient.verdict, 'verified');
  assert.deepEqual(lenient.notEstablished, ['freshness', 'revocation']);
  const strict = await verifier.verify(vectorBytes(QUOTE), files, { at: AT, reference: ref(true) });
  assert.equal(strict.verdict, 'rejected');
  assert.match(strict.errors.find((e) => e.code === 'COLLATERAL_MISSING')!.message, /reference set "td" of "prod" requires it/);
});
