/** TCB info and QE identity: level matching, statuses and their merge, collateral windows and fit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRejected, assertVerified, defaultQeIdentity, SGX_LEVELS, status, tcb, verifyScenario } from './scenario.js';
import { DEFAULT_PCK } from './test-pki.js';
import type { PckValues } from './test-pki.js';
import type { TcbLevelSpec } from './test-collateral.js';

const pck = (p: Partial<PckValues>) => ({ pki: { pck: { ...DEFAULT_PCK, ...p } } });
const comps = (...first: number[]) => [...first, ...new Array<number>(16 - first.length).fill(0)];
const withFirst = (first: Partial<TcbLevelSpec>): TcbLevelSpec[] => [{ ...SGX_LEVELS[0]!, ...first }, ...SGX_LEVELS.slice(1)];

test('platform TCB level with status Revoked: TCB_REVOKED', async () => {
  const r = await verifyScenario({ tcbInfo: { tcbLevels: withFirst({ status: 'Revoked', advisories: ['INTEL-SA-00999'] }) } });
  assertRejected(r, 'dcap.tcb.status', 'TCB_REVOKED');
  assert.equal(status(r, 'dcap.tcb.level'), 'pass');
  assert.equal(tcb(r)?.status, 'Revoked');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00999']);
  assert.equal(r.cryptoValid, true);
});

test('QE TCB level with status Revoked: TCB_REVOKED on the QE and on the merged status', async () => {
  const qeLevels = [{ isvSvn: 8, tcbDate: '2024-03-13T00:00:00Z', status: 'Revoked' as const, advisories: ['INTEL-SA-00998'] }];
  const r = await verifyScenario({ qeIdentity: { tcbLevels: qeLevels } });
  assertRejected(r, 'dcap.qe-identity.tcb', 'TCB_REVOKED', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.status, 'Revoked');
  assert.equal(tcb(r)?.platform.status, 'UpToDate');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00998']);
});

test('OutOfDate QE + ConfigurationNeeded platform = OutOfDateConfigurationNeeded, advisories united in order', async () => {
  const r = await verifyScenario({
    tcbInfo: { tcbLevels: withFirst({ status: 'ConfigurationNeeded', advisories: ['INTEL-SA-00289', 'INTEL-SA-00615'] }) },
    qe: { isvSvn: 6 },
    qeIdentity: {
      tcbLevels: [
        { isvSvn: 8, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' },
        { isvSvn: 6, tcbDate: '2021-11-10T00:00:00Z', status: 'OutOfDate', advisories: ['INTEL-SA-00615', 'INTEL-SA-00477'] },
      ],
    },
  });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.status, 'OutOfDateConfigurationNeeded');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00289', 'INTEL-SA-00615', 'INTEL-SA-00477']);
  assert.deepEqual(tcb(r)?.platform, { status: 'ConfigurationNeeded', tcbDate: '2024-03-13T00:00:00Z', advisories: ['INTEL-SA-00289', 'INTEL-SA-00615'] });
  assert.deepEqual(tcb(r)?.qe, { status: 'OutOfDate', isvSvn: 6, tcbDate: '2021-11-10T00:00:00Z' });
});

test('SWHardeningNeeded platform + OutOfDate QE = OutOfDate', async () => {
  const r = await verifyScenario({ tcbInfo: { tcbLevels: withFirst({ status: 'SWHardeningNeeded', advisories: ['INTEL-SA-00615'] }) }, qe: { isvSvn: 7 } });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.status, 'OutOfDate');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00615']);
});

test('one SGX component below the newest level: the next level down (OutOfDate) matches', async () => {
  const r = await verifyScenario(pck({ tcbComponents: comps(3, 4, 3, 3, 255, 1, 0, 5) }));
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.deepEqual(tcb(r)?.platform, { status: 'OutOfDate', tcbDate: '2023-02-15T00:00:00Z', advisories: ['INTEL-SA-00828', 'INTEL-SA-00615'] });
});

test('a component in the middle (comp08) below two levels: the third level matches', async () => {
  const r = await verifyScenario(pck({ tcbComponents: comps(4, 4, 3, 3, 255, 1, 0, 4) }));
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.platform.tcbDate, '2022-11-09T00:00:00Z');
});

test('one component below every level: TCB_LEVEL_NOT_FOUND', async () => {
  const r = await verifyScenario(pck({ tcbComponents: comps(4, 4, 3, 3, 254, 1, 0, 5) }));
  assertRejected(r, 'dcap.tcb.level', 'TCB_LEVEL_NOT_FOUND');
  assert.equal(status(r, 'dcap.tcb.status'), 'skip');
  assert.equal(r.tcb, null);
});

test('PCESVN below the newest levels: the level with a lower PCESVN matches', async () => {
  const r = await verifyScenario(pck({ pceSvn: 12 }));
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.deepEqual(tcb(r)?.platform.tcbDate, '2022-11-09T00:00:00Z');
  assert.equal(tcb(r)?.status, 'OutOfDate');
});

test('PCESVN below every level: TCB_LEVEL_NOT_FOUND', async () => {
  const r = await verifyScenario(pck({ pceSvn: 10 }));
  assertRejected(r, 'dcap.tcb.level', 'TCB_LEVEL_NOT_FOUND');
});

test("the PCESVN in the quote header is not what is matched: the PCK certificate's is", async () => {
  const r = await verifyScenario({ quote: { pceSvn: 0, qeSvn: 0 } });
  assertVerified(r, 'affirming');
});

test('QE ISVSVN below every QE identity level: TCB_LEVEL_NOT_FOUND on dcap.qe-identity.tcb', async () => {
  const r = await verifyScenario({ qe: { isvSvn: 5 } });
  assertRejected(r, 'dcap.qe-identity.tcb', 'TCB_LEVEL_NOT_FOUND');
  // No combined status is claimed when one of its parts has no level (never a misleading UpToDate).
  assert.equal(r.tcb, null);
  assert.equal(r.checks.find((c) => c.id === 'dcap.tcb.status')?.status, 'skip');
});

test('TCB info past nextUpdate: COLLATERAL_EXPIRED', async () => {
  const r = await verifyScenario({ tcbInfo: { issueDate: '2025-04-01T00:00:00Z', nextUpdate: '2025-05-01T00:00:00Z' } });
  assertRejected(r, 'dcap.tcb-info.validity', 'COLLATERAL_EXPIRED');
});

test('QE identity issued after `at`: COLLATERAL_EXPIRED', async () => {
  const r = await verifyScenario({ qeIdentity: { issueDate: '2025-06-01T00:00:01Z', nextUpdate: '2025-07-01T00:00:00Z' } });
  assertRejected(r, 'dcap.qe-identity.validity', 'COLLATERAL_EXPIRED');
});

test('TCB info for another FMSPC: COLLATERAL_MISMATCH', async () => {
  const r = await verifyScenario({ tcbInfo: { fmspc: '00A067110000' } });
  assertRejected(r, 'dcap.tcb-info.platform', 'COLLATERAL_MISMATCH');
});

test('TD_QE identity for an SGX quote: COLLATERAL_MISMATCH', async () => {
  const r = await verifyScenario({ qeIdentity: defaultQeIdentity('tdx') });
  assertRejected(r, 'dcap.qe-identity.match', 'COLLATERAL_MISMATCH');
});

test('TDX TCB info for an SGX quote (same FMSPC): COLLATERAL_MISMATCH', async () => {
  const r = await verifyScenario({ tcbInfo: { id: 'TDX' } });
  assertRejected(r, 'dcap.tcb-info.platform', 'COLLATERAL_MISMATCH');
});
