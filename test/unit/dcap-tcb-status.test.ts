import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTcbStatus, mergeAdvisories, TCB_STATUSES } from '../../app/tee/dcap/tcb-status.js';

test('merging follows Intel QVL convergence', () => {
  assert.equal(mergeTcbStatus('UpToDate', 'UpToDate'), 'UpToDate');
  assert.equal(mergeTcbStatus('SWHardeningNeeded', 'UpToDate'), 'SWHardeningNeeded');
  assert.equal(mergeTcbStatus('ConfigurationNeeded', 'SWHardeningNeeded'), 'ConfigurationAndSWHardeningNeeded');
  assert.equal(mergeTcbStatus('SWHardeningNeeded', 'OutOfDate'), 'OutOfDate');
  assert.equal(mergeTcbStatus('ConfigurationNeeded', 'OutOfDate'), 'OutOfDateConfigurationNeeded');
  assert.equal(mergeTcbStatus('ConfigurationAndSWHardeningNeeded', 'OutOfDate'), 'OutOfDateConfigurationNeeded');
  assert.equal(mergeTcbStatus('UpToDate', 'Revoked', 'OutOfDate'), 'Revoked');
});

test('merging is commutative and idempotent over every pair', () => {
  for (const a of TCB_STATUSES) {
    assert.equal(mergeTcbStatus(a, a), a);
    for (const b of TCB_STATUSES) assert.equal(mergeTcbStatus(a, b), mergeTcbStatus(b, a));
  }
});

test('advisories are united in order of first appearance', () => {
  assert.deepEqual(mergeAdvisories(['INTEL-SA-00289', 'INTEL-SA-00615'], ['INTEL-SA-00615', 'INTEL-SA-00837'], []), [
    'INTEL-SA-00289',
    'INTEL-SA-00615',
    'INTEL-SA-00837',
  ]);
});
