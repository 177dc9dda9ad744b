import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { parseReferenceBytes, parseReferenceValues, REFERENCE_SCHEMA } from '../../app/appraisal/reference.js';
import { appraiseReference } from '../../app/appraisal/appraise.js';
import { vectorBytes } from '../support/vectors.js';

/** Golden-value appraisal on real vectors: claims come from a first verification, references are built from them. */
const verifier = createVerifier();
const VECTORS = {
  tdx: { quote: 'tdx/dcapqvl-v4.quote', collateral: 'tdx/dcapqvl-v4.collateral.json', at: '2025-07-19T10:00:34Z' },
  sgx: { quote: 'sgx/dcapqvl-v3.quote', collateral: 'sgx/dcapqvl-v3.collateral.json', at: '2025-07-19T10:01:17Z' },
  debug: { quote: 'tdx/trustee-v4-debug-td.quote', collateral: 'tdx/gotdx-pcs-2023.collateral.json', at: '2023-07-01T01:00:00Z' },
};
type Json = Record<string, any>;

async function verify(which: keyof typeof VECTORS, reference?: Json): Promise<VerificationResult> {
  const v = VECTORS[which];
  const files = [{ name: v.collateral, bytes: vectorBytes(v.collateral) }];
  return verifier.verify(vectorBytes(v.quote), files, { at: new Date(v.at), ...(reference ? { reference: parseReferenceValues(reference) } : {}) });
}

const claimsOf = async (which: keyof typeof VECTORS) => (await verify(which)).claims as Record<string, any>;
const TDX = await claimsOf('tdx');
const SGX = await claimsOf('sgx');
const DEBUG_TD = await claimsOf('debug');
const TDX_NAMES = ['mrTd', 'mrConfigId', 'mrOwner', 'mrOwnerConfig', 'rtmr0', 'rtmr1', 'rtmr2', 'rtmr3', 'tdAttributes', 'xfam'];
const pick = (claims: Record<string, any>, names: string[]) => Object.fromEntries(names.map((n) => [n, [claims[n]]]));
const ref = (...sets: Json[]): Json => ({ schema: REFERENCE_SCHEMA, name: 'golden', sets: sets.map((s, i) => ({ name: `set${i}`, technology: 'tdx', ...s })) });
const flip = (hex: string) => (hex[0] === 'f' ? '0' : 'f') + hex.slice(1);
const check = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)!;

test('TDX: every measurement matches -> verified, affirming, one matching diff per claim', async () => {
  const r = await verify('tdx', ref({ claims: pick(TDX, TDX_NAMES), minimum: { teeTcbSvn: TDX.teeTcbSvn }, allowedTcbStatuses: ['UpToDate'] }));
  assert.equal(r.verdict, 'verified');
  assert.equal(r.appraisal.tier, 'affirming');
  assert.deepEqual(r.appraisal.reference, { name: 'golden', set: 'set0', matched: true });
  assert.deepEqual(
    r.appraisal.diffs.map((d) => d.claim),
    [...TDX_NAMES, 'teeTcbSvn'],
  );
  assert.ok(r.appraisal.diffs.every((d) => d.match));
  assert.deepEqual(r.appraisal.diffs[0], { claim: 'mrTd', expected: [TDX.mrTd], actual: TDX.mrTd, match: true });
  for (const id of ['reference.claims', 'reference.minimum-svn', 'reference.tcb-status', 'reference.debug']) assert.equal(check(r, id).status, 'pass', id);
});

test('the documented example reference matches its vector', async () => {
  const example = parseReferenceBytes(new Uint8Array(readFileSync(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url))));
  const v = VECTORS.tdx;
  const r = await verifier.verify(vectorBytes(v.quote), [{ name: 'c', bytes: vectorBytes(v.collateral) }], { at: new Date(v.at), reference: example });
  assert.equal(r.appraisal.tier, 'affirming');
  assert.equal(r.appraisal.reference?.matched, true);
});

test('TDX: one differing RTMR -> rejected, REFERENCE_MISMATCH naming the claim and both values', async () => {
  const claims = { ...pick(TDX, TDX_NAMES), rtmr1: [flip(TDX.rtmr1)] };
  const r = await verify('tdx', ref({ claims }));
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.appraisal.tier, 'contraindicated');
  assert.equal(r.cryptoValid, true, 'the signatures are still good');
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.check]),
    [['REFERENCE_MISMATCH', 'reference.claims']],
  );
  const c = check(r, 'reference.claims');
  assert.match(
    c.explain,
    new RegExp(`1 of 10 claims differ from reference set "set0" of "golden": rtmr1 is ${TDX.rtmr1}, but the set allows only ${flip(TDX.rtmr1)}`),
  );
  assert.match(c.fix!, /add its rtmr1 value to set "set0"/);
  assert.deepEqual(
    r.appraisal.diffs.filter((d) => !d.match),
    [{ claim: 'rtmr1', expected: [flip(TDX.rtmr1)], actual: TDX.rtmr1, match: false }],
  );
});

test('several allowed values: the evidence matches any one of them', async () => {
  const r = await verify('tdx', ref({ claims: { mrTd: [flip(TDX.mrTd), TDX.mrTd.toUpperCase()], rtmr0: [TDX.rtmr0] } }));
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.appraisal.diffs[0]!.expected, [flip(TDX.mrTd), TDX.mrTd]);
  const bad = await verify('tdx', ref({ claims: { mrTd: [flip(TDX.mrTd), '00'.repeat(48)] } }));
  assert.match(check(bad, 'reference.claims').explain, /but the set allows one of f/);
});

test('a claim the set names but the evidence lacks is a mismatch (mrServiceTd on a v4 quote)', async () => {
  const r = await verify('tdx', ref({ claims: { mrTd: [TDX.mrTd], mrServiceTd: ['00'.repeat(48)] } }));
  assert.equal(r.verdict, 'rejected');
  assert.deepEqual(r.appraisal.diffs[1], { claim: 'mrServiceTd', expected: ['00'.repeat(48)], actual: '', match: false });
  assert.match(check(r, 'reference.claims').explain, /mrServiceTd is not present in this evidence \(tdx-quote-v4\)/);
});

test('several sets: ANY complete match verifies; the matching set is reported', async () => {
  const r = await verify(
    'tdx',
    ref(
      { name: 'old', claims: { mrTd: [flip(TDX.mrTd)] } },
      { name: 'enclave', technology: 'sgx', claims: { mrEnclave: [SGX.mrEnclave] } },
      { name: 'current', claims: { mrTd: [TDX.mrTd] } },
    ),
  );
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.appraisal.reference, { name: 'golden', set: 'current', matched: true });
  assert.match(check(r, 'reference.claims').explain, /reference set "current"/);
});

test('several sets, none matching: the closest set (fewest mismatches) is reported', async () => {
  const far = { name: 'far', claims: { mrTd: [flip(TDX.mrTd)], rtmr0: [flip(TDX.rtmr0)] } };
  const near = { name: 'near', claims: { mrTd: [TDX.mrTd], rtmr0: [flip(TDX.rtmr0)] } };
  const r = await verify('tdx', ref(far, near));
  assert.equal(r.verdict, 'rejected');
  assert.deepEqual(r.appraisal.reference, { name: 'golden', set: 'near', matched: false });
  assert.deepEqual(
    r.appraisal.diffs.map((d) => d.match),
    [true, false],
  );
});

test('no set for the technology: reference.claims fails, the rest are skipped', async () => {
  const r = await verify('tdx', ref({ name: 'enclave', technology: 'sgx', claims: { mrEnclave: [SGX.mrEnclave] } }));
  assert.equal(r.verdict, 'rejected');
  assert.deepEqual(r.appraisal.reference, { name: 'golden', set: null, matched: false });
  assert.deepEqual(r.appraisal.diffs, []);
  assert.match(check(r, 'reference.claims').explain, /has no set for Intel TDX evidence \(its sets are for sgx\)/);
  for (const id of ['reference.minimum-svn', 'reference.tcb-status', 'reference.debug']) assert.equal(check(r, id).status, 'skip');
});

test('minimum SVN: TDX per component and as a whole, SGX isvSvn', async () => {
  assert.equal(TDX.teeTcbSvn, '06010300000000000000000000000000');
  const claims = { mrTd: [TDX.mrTd] };
  for (const ok of [[6], [6, 1, 3], '06010300000000000000000000000000', '05000000000000000000000000000000']) {
    const r = await verify('tdx', ref({ claims, minimum: { teeTcbSvn: ok } }));
    assert.equal(check(r, 'reference.minimum-svn').status, 'pass', JSON.stringify(ok));
  }
  const low = await verify('tdx', ref({ claims, minimum: { teeTcbSvn: [7] } }));
  assert.equal(low.verdict, 'rejected');
  assert.match(check(low, 'reference.minimum-svn').explain, /teeTcbSvn component 0 \(TDX module SVN\) is 6, below the minimum 7/);
  assert.deepEqual(low.appraisal.diffs[1], {
    claim: 'teeTcbSvn',
    expected: ['>= 07000000000000000000000000000000 (each byte)'],
    actual: TDX.teeTcbSvn,
    match: false,
  });
  // Component-wise, not as one number: a higher byte 0 does not excuse a lower byte 2.
  const whole = await verify('tdx', ref({ claims, minimum: { teeTcbSvn: '00000400000000000000000000000000' } }));
  assert.match(check(whole, 'reference.minimum-svn').explain, /component 2 is 3, below the minimum 4/);
  const sgx = (minimum: Json) => verify('sgx', ref({ technology: 'sgx', claims: { mrEnclave: [SGX.mrEnclave] }, minimum }));
  assert.equal(check(await sgx({ isvSvn: 0 }), 'reference.minimum-svn').status, 'pass');
  const sgxLow = await sgx({ isvSvn: 1 });
  assert.equal(sgxLow.errors[0]!.code, 'REFERENCE_MISMATCH');
  assert.match(check(sgxLow, 'reference.minimum-svn').explain, /isvSvn is 0, below the minimum 1/);
  const none = await verify('tdx', ref({ claims }));
  assert.equal(check(none, 'reference.minimum-svn').status, 'skip');
});

test('SGX integer claim isvProdId', async () => {
  const set = (isvProdId: number[]) => ref({ technology: 'sgx', claims: { mrSigner: [SGX.mrSigner], isvProdId } });
  assert.equal((await verify('sgx', set([0]))).verdict, 'verified');
  const bad = await verify('sgx', set([1, 2]));
  assert.deepEqual(bad.appraisal.diffs[1], { claim: 'isvProdId', expected: ['1', '2'], actual: '0', match: false });
});

test('allowed TCB statuses: the SGX vector (ConfigurationAndSWHardeningNeeded) against UpToDate-only, listed, default', async () => {
  const set = (extra: Json) => ref({ technology: 'sgx', claims: { mrEnclave: [SGX.mrEnclave] }, ...extra });
  const strict = await verify('sgx', set({ allowedTcbStatuses: ['UpToDate'] }));
  assert.equal(strict.verdict, 'rejected');
  assert.equal(strict.appraisal.tier, 'contraindicated');
  assert.equal(strict.appraisal.reference?.matched, false);
  assert.deepEqual(
    strict.errors.map((e) => e.check),
    ['reference.tcb-status'],
  );
  assert.match(
    check(strict, 'reference.tcb-status').explain,
    /ConfigurationAndSWHardeningNeeded \(advisories INTEL-SA-00289, INTEL-SA-00615\), but reference set "set0" of "golden" accepts only UpToDate/,
  );
  const listed = await verify('sgx', set({ allowedTcbStatuses: ['UpToDate', 'ConfigurationAndSWHardeningNeeded'] }));
  assert.equal(listed.verdict, 'verified');
  assert.equal(listed.appraisal.tier, 'warning', 'not UpToDate: never affirming');
  assert.equal(check(listed, 'reference.tcb-status').status, 'pass');
  const dflt = await verify('sgx', set({}));
  assert.equal(dflt.verdict, 'verified');
  assert.equal(check(dflt, 'reference.tcb-status').status, 'skip');
});

test('debug: refused unless the matching set says allowDebug, and then only a warning', async () => {
  const claims = { mrTd: [DEBUG_TD.mrTd] };
  assert.equal(DEBUG_TD.debug, true);
  const plain = await verify('debug');
  assert.equal(plain.errors[0]!.code, 'DEBUG_ENABLED');
  const refused = await verify('debug', ref({ claims }));
  assert.equal(refused.verdict, 'rejected');
  assert.deepEqual(
    refused.errors.map((e) => e.code),
    ['DEBUG_ENABLED', 'REFERENCE_MISMATCH'],
  );
  assert.match(check(refused, 'reference.debug').explain, /does not allow debug/);
  const allowed = await verify('debug', ref({ name: 'dev', claims, allowDebug: true }));
  assert.equal(allowed.verdict, 'verified');
  assert.equal(allowed.appraisal.tier, 'warning');
  const policy = check(allowed, 'dcap.policy.debug');
  assert.equal(policy.status, 'warn');
  assert.equal(policy.code, 'DEBUG_ENABLED');
  assert.match(policy.explain, /Allowed by reference set "dev" of "golden" \("allowDebug": true\)/);
  assert.equal(check(allowed, 'reference.debug').status, 'warn');
  // A set that does not otherwise match never allows debug.
  const other = await verify('debug', ref({ claims: { mrTd: [flip(DEBUG_TD.mrTd)] }, allowDebug: true }));
  assert.equal(check(other, 'dcap.policy.debug').status, 'fail');
  assert.equal(check(other, 'reference.debug').status, 'skip');
  // allowDebug on a production TD changes nothing.
  const prod = await verify('tdx', ref({ claims: { mrTd: [TDX.mrTd] }, allowDebug: true }));
  assert.equal(prod.appraisal.tier, 'affirming');
});

test('appraiseReference fails closed: no TCB status under a narrowed set, no debug flag', () => {
  const reference = parseReferenceValues(ref({ claims: { mrTd: [TDX.mrTd] }, allowedTcbStatuses: ['UpToDate'] }));
  const a = appraiseReference({ technology: 'tdx', claims: { mrTd: TDX.mrTd }, tcb: null, checks: [] }, reference);
  const status = (id: string) => a.checks.find((c) => c.id === id)?.status;
  assert.equal(status('reference.claims'), 'pass');
  assert.equal(status('reference.tcb-status'), 'fail');
  assert.equal(status('reference.debug'), 'fail');
  assert.equal(a.reference.matched, false);
});

test('a failed module verification keeps its verdict; references still show the diff', async () => {
  const bytes = vectorBytes('tdx/dcapqvl-v4-tampered-mrtd.quote');
  const v = VECTORS.tdx;
  const r = await verifier.verify(bytes, [{ name: 'c', bytes: vectorBytes(v.collateral) }], {
    at: new Date(v.at),
    reference: parseReferenceValues(ref({ claims: { mrTd: [TDX.mrTd] } })),
  });
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.errors[0]!.code, 'QUOTE_SIGNATURE_INVALID');
  assert.equal(r.appraisal.diffs[0]!.match, false);
});
