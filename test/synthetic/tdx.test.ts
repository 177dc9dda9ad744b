/** TDX: module identity (MRSIGNERSEAM, SEAMATTRIBUTES, TDX_xx levels) and TEE_TCB_SVN matching. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRejected, assertVerified, status, tcb, TDX_LEVELS, verifyScenario } from './scenario.js';
import type { Scenario } from './scenario.js';
import type { QuoteKind } from './test-quote.js';

const svn = (...first: number[]) => Uint8Array.from([...first, ...new Array<number>(16 - first.length).fill(0)]);
const tdx = (td: Scenario['td'], kind: QuoteKind = 'tdx-v4', more: Partial<Scenario> = {}) => verifyScenario({ kind, td, ...more });

test('TDX_01 module at SVN 3: the module level (OutOfDate) is merged, its advisories reported', async () => {
  const r = await tdx({ teeTcbSvn: svn(3, 1, 2) });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.deepEqual(tcb(r)?.tdxModule, { identity: 'TDX_01', status: 'OutOfDate' });
  assert.equal(tcb(r)?.platform.status, 'UpToDate');
  assert.equal(tcb(r)?.status, 'OutOfDate');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00960']);
});

test('TDX_03 module (TEE_TCB_SVN[1] = 3) takes its levels from the TDX_03 identity', async () => {
  const r = await tdx({ teeTcbSvn: svn(3, 3, 2) }, 'tdx-v5');
  assertVerified(r, 'affirming');
  assert.deepEqual(tcb(r)?.tdxModule, { identity: 'TDX_03', status: 'UpToDate' });
});

test('TEE_TCB_SVN[1] > 0: indices 0-1 are not compared with the platform level', async () => {
  // Index 0 (4) is below the newest level's 5, but the module identity judges it instead.
  const r = await tdx({ teeTcbSvn: svn(4, 1, 2) });
  assertVerified(r, 'affirming');
  assert.deepEqual(tcb(r)?.platform, { status: 'UpToDate', tcbDate: '2024-03-13T00:00:00Z', advisories: [] });
});

test('TEE_TCB_SVN[1] = 0: index 0 is compared, and a lower level matches', async () => {
  const r = await tdx({ teeTcbSvn: svn(4, 0, 2) });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.platform.status, 'OutOfDate');
  assert.equal(tcb(r)?.platform.tcbDate, '2023-02-15T00:00:00Z');
  assert.equal(tcb(r)?.tdxModule, undefined, 'no module identity for major version 0');
});

test('TEE_TCB_SVN index 2 below two levels: the third level matches', async () => {
  const r = await tdx({ teeTcbSvn: svn(5, 1, 1) });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.platform.tcbDate, '2022-11-09T00:00:00Z');
});

test('TEE_TCB_SVN below every level: TCB_LEVEL_NOT_FOUND', async () => {
  const r = await tdx({ teeTcbSvn: svn(5, 1, 0) });
  assertRejected(r, 'dcap.tcb.level', 'TCB_LEVEL_NOT_FOUND');
});

test('TDX TCB info level without tdxtcbcomponents never matches a TD', async () => {
  const levels = TDX_LEVELS.map(({ tdx: _tdx, ...rest }) => rest);
  const r = await tdx({}, 'tdx-v4', { tcbInfo: { tcbLevels: levels } });
  assertRejected(r, 'dcap.tcb.level', 'TCB_LEVEL_NOT_FOUND');
});

test("MRSIGNERSEAM is not Intel's (TDX_01 identity): the module check fails", async () => {
  const r = await tdx({ mrSignerSeam: new Uint8Array(48).fill(0x11) });
  assertRejected(r, 'dcap.tdx-module', 'TCB_LEVEL_NOT_FOUND');
  assert.match(r.errors[0]!.message, /MRSIGNERSEAM/);
});

test("MRSIGNERSEAM is not Intel's (major version 0, judged by tdxModule)", async () => {
  const r = await tdx({ teeTcbSvn: svn(5, 0, 2), mrSignerSeam: new Uint8Array(48).fill(0x11) }, 'tdx-v5');
  assertRejected(r, 'dcap.tdx-module', 'TCB_LEVEL_NOT_FOUND');
});

test('SEAMATTRIBUTES differ under the mask: the module check fails', async () => {
  const r = await tdx({ seamAttributes: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]) });
  assertRejected(r, 'dcap.tdx-module', 'TCB_LEVEL_NOT_FOUND');
  assert.match(r.errors[0]!.message, /SEAMATTRIBUTES/);
});

// Intel's QVL returns STATUS_TDX_MODULE_MISMATCH / STATUS_TCB_NOT_SUPPORTED when TEE_TCB_SVN[1] > 0 names no TDX_xx identity.
test('module major version with no TDX_xx identity listed: the module check fails', async () => {
  const r = await tdx({ teeTcbSvn: svn(5, 2, 2) });
  assertRejected(r, 'dcap.tdx-module', 'TCB_LEVEL_NOT_FOUND');
  assert.match(r.errors[0]!.message, /TDX_02/);
});

test('module SVN below every TDX_01 level: the module check fails', async () => {
  const r = await tdx({ teeTcbSvn: svn(1, 1, 2) });
  assertRejected(r, 'dcap.tdx-module', 'TCB_LEVEL_NOT_FOUND');
});

test('module level Revoked: TCB_REVOKED', async () => {
  const modules = [
    {
      id: 'TDX_01',
      mrsigner: '00'.repeat(48),
      attributes: '00'.repeat(8),
      attributesMask: 'FF'.repeat(8),
      tcbLevels: [{ isvSvn: 1, tcbDate: '2024-03-13T00:00:00Z', status: 'Revoked' as const }],
    },
  ];
  const r = await tdx({}, 'tdx-v4', { tcbInfo: { tdxModuleIdentities: modules } });
  assertRejected(r, 'dcap.tcb.status', 'TCB_REVOKED');
  assert.deepEqual(tcb(r)?.tdxModule, { identity: 'TDX_01', status: 'Revoked' });
});

test('ConfigurationNeeded platform + OutOfDate module + OutOfDate TD_QE: merged with advisories in order', async () => {
  const levels = [{ ...TDX_LEVELS[0]!, status: 'ConfigurationNeeded' as const, advisories: ['INTEL-SA-00289'] }, ...TDX_LEVELS.slice(1)];
  const qeLevels = [
    { isvSvn: 8, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' as const },
    { isvSvn: 4, tcbDate: '2023-02-15T00:00:00Z', status: 'OutOfDate' as const, advisories: ['INTEL-SA-00960', 'INTEL-SA-00837'] },
  ];
  const r = await tdx({ teeTcbSvn: svn(3, 1, 2) }, 'tdx-v5', { tcbInfo: { tcbLevels: levels }, qe: { isvSvn: 4 }, qeIdentity: { tcbLevels: qeLevels } });
  assertVerified(r, 'warning', ['dcap.tcb.status']);
  assert.equal(tcb(r)?.status, 'OutOfDateConfigurationNeeded');
  assert.deepEqual(tcb(r)?.advisories, ['INTEL-SA-00289', 'INTEL-SA-00960', 'INTEL-SA-00837']);
});

test('debug TD (TDATTRIBUTES.DEBUG): DEBUG_ENABLED, cryptographically valid', async () => {
  const r = await tdx({ tdAttributes: Uint8Array.from([1, 0, 0, 0x10, 0, 0, 0, 0]) });
  assertRejected(r, 'dcap.policy.debug', 'DEBUG_ENABLED');
  assert.equal(r.cryptoValid, true);
  assert.equal(status(r, 'dcap.tdx-module'), 'pass');
});
