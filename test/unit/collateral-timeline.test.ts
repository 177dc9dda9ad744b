import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { collateralTimeline, missingCollateral } from '../../app/collateral/timeline.js';
import { emptyCollateral } from '../../app/collateral/types.js';
import { manifest, vectorBytes } from '../support/vectors.js';

const verifier = createVerifier();
const part = (path: string) => ({ source: path, set: verifier.loadCollateral([{ name: path, bytes: vectorBytes(path) }]) });
/** The manifest's pinned times for an evidence/collateral pair, verified and rejected. */
const atOf = (path: string, collateral: string | undefined, verdict: 'verified' | 'rejected') =>
  Date.parse(
    manifest().vectors.find(
      (v) =>
        v.path === path &&
        v.collateral === collateral &&
        v.expect.verdict === verdict &&
        (verdict === 'verified' || v.expect.errorClass === 'COLLATERAL_EXPIRED'),
    )!.expect.at,
  );

test('TDX collateral at its verified time: every item dated, valid, with the TCB evaluation data number', () => {
  const at = atOf('tdx/dcapqvl-v4.quote', 'tdx/dcapqvl-v4.collateral.json', 'verified');
  const items = collateralTimeline([part('tdx/dcapqvl-v4.collateral.json')], at);
  assert.deepEqual(
    items.map((i) => i.kind),
    ['tcb-info', 'qe-identity', 'crl', 'crl', 'certificate', 'certificate', 'certificate'],
  );
  assert.ok(items.every((i) => i.status === 'valid'));
  const tcb = items[0]!;
  assert.equal(tcb.label, 'TDX TCB info, FMSPC b0c06f000000');
  assert.equal(tcb.issued, '2025-06-19T10:16:03Z');
  assert.equal(tcb.validUntil, '2025-07-19T10:16:03Z');
  assert.equal(tcb.expiresInMs, Date.parse('2025-07-19T10:16:03Z') - at);
  assert.equal(tcb.tcbEvaluationDataNumber, 17);
  assert.equal(tcb.issuer, 'Intel SGX TCB Signing');
  assert.equal(items[1]!.tcbEvaluationDataNumber, 17);
  const pckCrl = items.find((i) => i.label === 'CRL of Intel SGX PCK Platform CA')!;
  assert.equal(pckCrl.expiresInMs, 1000, 'the soonest to expire, one second after the pinned time');
  assert.equal(pckCrl.source, 'tdx/dcapqvl-v4.collateral.json#pck_crl');
  assert.equal(items[2], pckCrl, 'CRLs ordered by expiry');
  assert.deepEqual(
    items.filter((i) => i.kind === 'certificate').map((i) => i.label),
    ['Intel SGX TCB Signing', 'Intel SGX PCK Platform CA', 'Intel SGX Root CA'],
  );
  assert.ok(items.filter((i) => i.kind === 'certificate').every((i) => i.untilField === 'notAfter'));
});

test("the same collateral at the manifest's COLLATERAL_EXPIRED time: the monthly items are expired, the root CRL is not", () => {
  const at = atOf('tdx/dcapqvl-v4.quote', 'tdx/dcapqvl-v4.collateral.json', 'rejected');
  const items = collateralTimeline([part('tdx/dcapqvl-v4.collateral.json')], at);
  const status = Object.fromEntries(items.filter((i) => i.kind !== 'certificate').map((i) => [i.label, i.status]));
  assert.deepEqual(status, {
    'TDX TCB info, FMSPC b0c06f000000': 'expired',
    'TD_QE identity': 'expired',
    'CRL of Intel SGX PCK Platform CA': 'expired',
    'CRL of Intel SGX Root CA': 'valid',
  });
  assert.ok(items[0]!.expiresInMs! < 0);
});

test('an SGX bundle names its own platform and QE; before its issue date it is not yet valid', () => {
  const items = collateralTimeline([part('sgx/dcapqvl-v3.collateral.json')], Date.parse('2020-01-01T00:00:00Z'));
  assert.match(items[0]!.label, /^SGX TCB info, FMSPC [0-9a-f]{12}$/);
  assert.equal(items[1]!.label, 'QE identity');
  assert.equal(items[0]!.status, 'not-yet-valid');
});

test('a certificate given twice is listed once, under the first source', () => {
  const at = atOf('tdx/gotdx-v5.quote', 'tdx/pcs-fmspc-90c06f000000-2026-02-18.collateral.json', 'verified');
  const a = part('tdx/pcs-fmspc-90c06f000000-2026-02-18.collateral.json');
  const items = collateralTimeline([a, { source: 'again.json', set: a.set }], at);
  assert.equal(items.filter((i) => i.label === 'Intel SGX Root CA' && i.kind === 'certificate').length, 1);
  assert.equal(items.filter((i) => i.kind === 'tcb-info')[0]!.tcbEvaluationDataNumber, 18);
  assert.ok(items.filter((i) => i.kind === 'certificate').every((i) => i.source === 'tdx/pcs-fmspc-90c06f000000-2026-02-18.collateral.json'));
});

test('SEV-SNP: the VCEK with its validity; the AMD CRL is named as missing', () => {
  const at = atOf('snp/trustee-milan-vcek.report', undefined, 'verified');
  const p = part('snp/trustee-milan-vcek.vcek.der');
  const [vcek, ...rest] = collateralTimeline([p], at);
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { kind: vcek!.kind, label: vcek!.label, issuer: vcek!.issuer, status: vcek!.status, until: vcek!.validUntil },
    { kind: 'certificate', label: 'SEV-VCEK', issuer: 'SEV-Milan', status: 'valid', until: '2030-01-24T17:58:26Z' },
  );
  assert.deepEqual(missingCollateral('sev-snp', p.set), ['AMD CRL']);
  assert.deepEqual(missingCollateral('sev-snp', emptyCollateral()), ['VCEK or VLEK', 'AMD CRL']);
});

test('missing DCAP collateral is named kind by kind', () => {
  assert.deepEqual(missingCollateral('tdx', emptyCollateral()), ['TCB info', 'QE identity', 'Intel SGX Root CA CRL', 'PCK CA CRL']);
  assert.deepEqual(missingCollateral('tdx', part('tdx/dcapqvl-v4.collateral.json').set), []);
  assert.deepEqual(missingCollateral('cca', emptyCollateral()), []);
});
