/**
 * Issue 9.6: of several TCB infos (same FMSPC), QE identities or CRLs from one issuer, the newest that is
 * current at `at` and whose signature verifies is used, whatever order the files came in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, defaultQeIdentity, defaultTcbInfo, SGX_LEVELS, tcbSigner } from '../synthetic/scenario.js';
import { AT, issueCrl, toHex } from '../synthetic/test-pki.js';
import type { TestPki } from '../synthetic/test-pki.js';
import { bundleFile, bundleJson, qeIdentityJson, tcbInfoJson } from '../synthetic/test-collateral.js';
import type { QeIdentitySpec, TcbInfoSpec } from '../synthetic/test-collateral.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { TcbSummary } from '../../app/tee/dcap/check-tcb.js';
import { check, failing, file, session } from './dcap-helpers.js';

/** A second bundle with a changed TCB info and QE identity (same platform), signed by the test TCB Signing key. */
async function bundle(pki: TestPki, name: string, tcb: Partial<TcbInfoSpec>, qe: Partial<QeIdentitySpec> = {}): Promise<CollateralFile> {
  const json = await bundleJson({
    tcbInfo: tcbInfoJson({ ...defaultTcbInfo('sgx'), fmspc: toHex(pki.pckValues.fmspc), pceId: toHex(pki.pckValues.pceId), ...tcb }),
    tcbInfoSigner: tcbSigner(pki),
    qeIdentity: qeIdentityJson({ ...defaultQeIdentity('sgx'), ...qe }),
    qeIdentitySigner: tcbSigner(pki),
    pckCrlIssuerChain: [pki.pckCa, pki.root],
  });
  return bundleFile(json, name);
}

async function bothOrders(a: CollateralFile[], b: CollateralFile[]) {
  const built = await build();
  const s = session([built.pki.root.der]);
  return Promise.all([s.run(built.evidence, [...a, ...b], AT), s.run(built.evidence, [...b, ...a], AT)]);
}

test('two TCB infos for one FMSPC: the higher tcbEvaluationDataNumber decides, in either order', async () => {
  const built = await build();
  // Evaluation data number 18 re-rates the platform's level from UpToDate to SWHardeningNeeded.
  const newer = await bundle(built.pki, 'tcb-18.json', {
    tcbEvaluationDataNumber: 18,
    tcbLevels: [{ ...SGX_LEVELS[0]!, status: 'SWHardeningNeeded', advisories: ['INTEL-SA-00999'] }, ...SGX_LEVELS.slice(1)],
  });
  const results = await bothOrders(built.collateral, [newer]);
  for (const r of results) {
    assert.deepEqual(failing(r.result), []);
    const tcb = r.result.tcb as TcbSummary;
    assert.equal(tcb.tcbEvaluationDataNumber, 18);
    assert.equal(tcb.status, 'SWHardeningNeeded');
    assert.deepEqual(tcb.advisories, ['INTEL-SA-00999']);
    assert.match(check(r.result, 'dcap.tcb-info.platform').explain, /the newest current and authentic of 2 supplied/);
  }
  assert.equal(results[0].result.tcb?.status, results[1].result.tcb?.status);
});

test('a newer TCB info that is not yet current at `at` loses to the older current one, in either order', async () => {
  const built = await build();
  const future = await bundle(built.pki, 'tcb-18-future.json', {
    tcbEvaluationDataNumber: 18,
    issueDate: '2025-07-01T00:00:00Z',
    nextUpdate: '2025-07-31T00:00:00Z',
    tcbLevels: [{ ...SGX_LEVELS[0]!, status: 'OutOfDate' }],
  });
  for (const r of await bothOrders(built.collateral, [future])) {
    assert.deepEqual(failing(r.result), []);
    assert.equal((r.result.tcb as TcbSummary).tcbEvaluationDataNumber, 17);
    assert.equal(r.result.tcb?.status, 'UpToDate');
  }
});

test('a newer TCB info whose signature does not verify loses to the older authentic one', async () => {
  const built = await build();
  const forged = JSON.parse(new TextDecoder().decode((await bundle(built.pki, 'x', { tcbEvaluationDataNumber: 19 })).bytes)) as Record<string, string>;
  forged.tcb_info_signature = forged.tcb_info_signature!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  for (const r of await bothOrders(built.collateral, [file('forged.json', JSON.stringify(forged))])) {
    assert.deepEqual(failing(r.result), []);
    assert.equal((r.result.tcb as TcbSummary).tcbEvaluationDataNumber, 17);
  }
});

test('two QE identities: the higher tcbEvaluationDataNumber decides the QE TCB, in either order', async () => {
  const built = await build();
  const newer = await bundle(
    built.pki,
    'qe-18.json',
    {},
    {
      tcbEvaluationDataNumber: 18,
      tcbLevels: [
        { isvSvn: 9, tcbDate: '2025-03-13T00:00:00Z', status: 'UpToDate' },
        { isvSvn: 8, tcbDate: '2024-03-13T00:00:00Z', status: 'OutOfDate', advisories: ['INTEL-SA-01000'] },
      ],
    },
  );
  for (const r of await bothOrders(built.collateral, [newer])) {
    assert.deepEqual(failing(r.result), []);
    const tcb = r.result.tcb as TcbSummary;
    assert.equal(tcb.qe?.status, 'OutOfDate');
    assert.equal(tcb.status, 'OutOfDate');
  }
});

test('two PCK CRLs from one issuer: the newer one (which revokes this PCK certificate) decides, in either order', async () => {
  const built = await build();
  const newer = await issueCrl(built.pki.pckCa, {
    thisUpdate: new Date('2025-05-30T00:00:00Z'),
    nextUpdate: new Date('2025-06-29T00:00:00Z'),
    revoked: [built.pki.pck.serialHex],
  });
  for (const r of await bothOrders(built.collateral, [file('pckcrl-new.der', newer)])) {
    const c = check(r.result, 'dcap.pck.revocation');
    assert.equal(c.code, 'CERT_REVOKED', c.explain);
    assert.ok(r.used.has(r.set.crls.find((x) => x.source === 'pckcrl-new.der')!.crl));
  }
});
