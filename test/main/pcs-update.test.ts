import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePcs } from '../support/fake-pcs.js';
import type { FakePcs } from '../support/fake-pcs.js';
import { fetchDcapCollateral } from '../../main/collateral/fetch-dcap.js';
import { CollateralCache } from '../../main/collateral/cache.js';
import { makePcsUrls } from '../../app/tee/dcap/pcs-urls.js';
import { vectorBytes } from '../support/vectors.js';
import { runCli } from '../support/cli.js';

/** PCS v4 `update=early`: asked for on the TCB info and QE identity; standard collateral is not mixed in. */
const quote = vectorBytes('tdx/trustee-v4-debug-td.quote');
let pcs: FakePcs;
before(async () => (pcs = await startFakePcs()));
after(() => pcs.close());

test('PCS URLs: update=early on TCB info and QE identity only', () => {
  const u = makePcsUrls('https://pccs.example:8081/');
  assert.equal(u.tcbInfo('tdx', '50806f000000', 'early'), 'https://pccs.example:8081/tdx/certification/v4/tcb?fmspc=50806f000000&update=early');
  assert.equal(u.qeIdentity('sgx', 'early'), 'https://pccs.example:8081/sgx/certification/v4/qe/identity?update=early');
  assert.equal(u.qeIdentity('sgx'), 'https://pccs.example:8081/sgx/certification/v4/qe/identity');
  assert.equal(u.pckCrl('tdx', 'processor'), 'https://pccs.example:8081/sgx/certification/v4/pckcrl?ca=processor&encoding=der');
});

test('--tcb-update early asks PCS for the early collateral (this recorded PCS has none: the notes say so)', async () => {
  const cache = new CollateralCache(mkdtempSync(join(tmpdir(), 'tee-cache-')));
  const { notes } = await fetchDcapCollateral(quote, {
    pcsBase: pcs.base,
    ca: pcs.ca,
    cache,
    at: new Date('2023-07-01T01:00:00Z'),
    offline: false,
    tcbUpdate: 'early',
    timeoutMs: 1500,
  });
  assert.ok(pcs.requests.includes('/tdx/certification/v4/tcb?fmspc=50806f000000&update=early'), pcs.requests.join(' '));
  assert.ok(pcs.requests.includes('/tdx/certification/v4/qe/identity?update=early'));
  assert.ok(!pcs.requests.includes('/tdx/certification/v4/tcb?fmspc=50806f000000'), 'standard collateral is not fetched in its place');
  assert.equal(notes.filter((n) => /404/.test(n)).length, 2);
  const bad = await runCli(['verify', 'x.quote', '--tcb-update', 'later']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--tcb-update must be standard or early/);
});
