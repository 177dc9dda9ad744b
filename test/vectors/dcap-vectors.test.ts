import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import { assertFields } from '../support/assert-fields.js';
import { INTEL_SGX_ROOT_CA_DER } from '../../app/roots/intel.js';
import { equalBytes } from '../../app/bytes/hex.js';
import { dcapVectors, vectorBytes, collateralFiles } from '../support/vectors.js';
import type { VerificationResult } from '../../app/report/result.js';

/** Manifest check names -> our stable check ids (every id listed must have the expected status). */
const CHECK_IDS: Record<string, string[]> = {
  quoteSignature: ['dcap.quote.signature'],
  qeReportSignature: ['dcap.qe-report.signature'],
  qeReportDataBinding: ['dcap.qe-report.binding'],
  pckChainToRoot: ['dcap.pck.chain'],
  pckNotRevoked: ['dcap.pck.revocation'],
  tcbInfoSignatureAndValidity: ['dcap.tcb-info.signature', 'dcap.tcb-info.validity'],
  qeIdentitySignatureAndValidity: ['dcap.qe-identity.signature', 'dcap.qe-identity.validity'],
  qeIdentityMatch: ['dcap.qe-identity.match'],
  tcbLevelFound: ['dcap.tcb.level'],
  debugOff: ['dcap.policy.debug'],
};

const verifier = createVerifier();

for (const v of dcapVectors()) {
  test(`manifest vector ${v.id}`, async () => {
    for (const root of v.roots ?? []) assert.ok(equalBytes(vectorBytes(root), INTEL_SGX_ROOT_CA_DER), `${root} is the pinned Intel root`);
    const r = await verifier.verify(vectorBytes(v.path), collateralFiles(v), { at: new Date(v.expect.at) });
    const e = v.expect;
    const why = JSON.stringify(r.errors);
    assert.equal(r.verdict, e.verdict, why);
    if (e.errorClass) assert.equal(r.errors[0]?.code, e.errorClass, why);
    if (e.verdict === 'verified') assert.deepEqual(r.errors, []);
    if (e.cryptoValid !== undefined) assert.equal(r.cryptoValid, e.cryptoValid, 'cryptoValid');
    if (e.tcbStatus) assert.equal(r.tcb?.status, e.tcbStatus);
    if (e.advisories) assert.deepEqual(r.tcb?.advisories, e.advisories);
    if (e.platformTcb) assert.deepEqual(pick(r, 'platform'), { status: e.platformTcb.status, tcbDate: e.platformTcb.tcbDate });
    if (e.qeTcb) assert.deepEqual(pick(r, 'qe'), e.qeTcb);
    if (e.tdxModuleTcb) assert.deepEqual(r.tcb?.tdxModule, e.tdxModuleTcb);
    for (const [name, status] of Object.entries(e.checks ?? {})) assertChecks(r, name, status);
    if (e.failingCheck) assertChecks(r, e.failingCheck, 'fail');
    if (e.fields) assertFields(r.fields, e.fields, 'fields');
    assert.equal(r.at, e.at);
  });
}

function pick(r: VerificationResult, key: 'platform' | 'qe'): unknown {
  const part = (r.tcb?.[key] ?? (key === 'qe' ? r.fields.qeTcb : undefined)) as Record<string, unknown> | undefined;
  if (!part) return undefined;
  return key === 'platform' ? { status: part.status, tcbDate: part.tcbDate } : { status: part.status, isvSvn: part.isvSvn };
}

function assertChecks(r: VerificationResult, name: string, status: string): void {
  const ids = CHECK_IDS[name];
  assert.ok(ids, `no mapping for manifest check ${name}`);
  for (const id of ids) {
    const found = r.checks.filter((c) => c.id === id);
    assert.ok(found.length > 0, `check ${id} is reported`);
    if (status === 'fail')
      assert.ok(
        found.some((c) => c.status === 'fail') || ids.some((i) => r.checks.some((c) => c.id === i && c.status === 'fail')),
        `${name}: some of ${ids} fails`,
      );
    else for (const c of found) assert.equal(c.status, status, `${id}: ${c.explain}`);
  }
}
