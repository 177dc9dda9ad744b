import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSTANCE_STATUSES, threatMatrix, threatMatrixFor } from '../../app/threat/index.js';
import type { InstanceStatus, MatrixRow, ThreatMatrix } from '../../app/threat/index.js';
import { edited, fakeSnp, verifyVector } from './threat-fixtures.js';

const row = (m: ThreatMatrix, id: string): MatrixRow => {
  const r = m.rows.find((x) => x.row.id === id);
  assert.ok(r, `no row ${id}`);
  return r;
};
const statusOf = (m: ThreatMatrix, id: string): InstanceStatus => row(m, id).instanceStatus;
const withStatus = (m: ThreatMatrix, s: InstanceStatus) => m.rows.filter((r) => r.instanceStatus === s).map((r) => r.row.id);

/** Rows whose protection is memory or CPU-state isolation: what debug mode gives away. */
const memoryRows = (m: ThreatMatrix) => m.rows.filter((r) => r.row.ties.includes('memory')).map((r) => r.row.id);

const NO_TEE = ['cc.crashes', 'cc.no-guarantee-of-service', 'cc.disk-network-data', 'cc.microarchitectural-side-channels'];

test('TDX UpToDate, no nonce, no reference values: isolation mitigated, replay and measurements open by policy', async () => {
  const m = threatMatrix(await verifyVector('tdx/dcapqvl-v4'));
  assert.equal(m.technology, 'tdx');
  assert.equal(statusOf(m, 'tdx.host-reads-memory'), 'mitigated');
  assert.equal(statusOf(m, 'tdx.debug-td'), 'mitigated');
  assert.equal(statusOf(m, 'tdx.module'), 'mitigated');
  assert.equal(statusOf(m, 'cc.known-vulnerabilities'), 'mitigated');
  assert.equal(statusOf(m, 'cc.replay'), 'open-by-policy');
  assert.match(row(m, 'cc.replay').because, /dcap\.nonce skipped/);
  assert.equal(statusOf(m, 'tdx.boot-tampering'), 'open-by-policy');
  assert.match(row(m, 'tdx.boot-tampering').because, /mrTd, rtmr0/);
  assert.deepEqual(m.openAdvisories, []);
  assert.equal(withStatus(m, 'open-tcb').length, 0);
});

test('debug rule: a debug TD leaves every memory row not mitigated, naming the claim and the check', async () => {
  const m = threatMatrix(await verifyVector('tdx/trustee-v4-debug-td'));
  const mem = memoryRows(m);
  assert.ok(mem.length >= 2);
  for (const id of [...mem, 'tdx.debug-td']) {
    const r = row(m, id);
    assert.equal(r.instanceStatus, 'not-mitigated', id);
    assert.match(r.because, /^Debug mode: the host can read and change memory/);
    assert.deepEqual(r.basis, ['claims.debug', 'dcap.policy.debug']);
  }
});

test('debug rule holds for SGX too (ATTRIBUTES.DEBUG set) and for SEV-SNP (policy.debug)', async () => {
  const sgx = edited(await verifyVector('sgx/dcapqvl-v3'), (r) => {
    r.claims.debug = true;
  });
  const m = threatMatrix(sgx);
  for (const id of [...memoryRows(m), 'sgx.debug-enclave']) assert.equal(statusOf(m, id), 'not-mitigated', id);
  const snp = threatMatrix(fakeSnp({ debug: true }));
  for (const id of [...memoryRows(snp), 'snp.debug-guest']) assert.equal(statusOf(snp, id), 'not-mitigated', id);
  assert.ok(memoryRows(snp).includes('sev.vm-memory'));
});

test('advisory rule: a TCB below UpToDate opens its advisories as open-tcb rows with their ids', async () => {
  const m = threatMatrix(await verifyVector('sgx/dcapqvl-v3'));
  assert.deepEqual(m.openAdvisories, ['INTEL-SA-00289', 'INTEL-SA-00615']);
  for (const id of m.openAdvisories) {
    const open = m.rows.filter((r) => r.instanceStatus === 'open-tcb' && r.basis.includes(id));
    assert.ok(open.length >= 1, `${id} is not an open-tcb row`);
  }
  assert.equal(statusOf(m, 'sgx.history.plundervolt'), 'open-tcb', "INTEL-SA-00289 is Plundervolt in 000's history");
  assert.equal(statusOf(m, 'tcb.advisory.INTEL-SA-00615'), 'open-tcb');
  assert.equal(row(m, 'tcb.advisory.INTEL-SA-00615').row.threat, 'INTEL-SA-00615');
  assert.equal(m.rows.filter((r) => r.row.id === 'tcb.advisory.INTEL-SA-00289').length, 0, 'no duplicate of the history row');
  assert.equal(statusOf(m, 'cc.known-vulnerabilities'), 'open-tcb');
  assert.match(row(m, 'cc.known-vulnerabilities').because, /ConfigurationAndSWHardeningNeeded: INTEL-SA-00289, INTEL-SA-00615 remain open/);
  assert.equal(statusOf(m, 'sgx.history.foreshadow'), 'mitigated', 'the TCB level does not list INTEL-SA-00161');
  assert.equal(statusOf(m, 'sgx.epc-access'), 'mitigated');
  assert.equal(m.counts['open-tcb'], 3);
});

test('threats no TEE mitigates are not-by-any-tee whatever the evidence', async () => {
  const results = [await verifyVector('tdx/dcapqvl-v4'), await verifyVector('sgx/dcapqvl-v3'), await verifyVector('sgx/dcapqvl-v3-bad-signature'), fakeSnp()];
  for (const r of results) {
    const m = threatMatrix(r);
    for (const id of NO_TEE) assert.equal(statusOf(m, id), 'not-by-any-tee', `${r.technology} ${id}`);
  }
  const tdx = threatMatrix(results[0]!);
  assert.deepEqual(withStatus(tdx, 'not-by-any-tee').sort(), [...NO_TEE, 'tdx.denial-of-service', 'tdx.side-channels'].sort());
  const snp = threatMatrix(fakeSnp());
  for (const id of ['sev.dos-on-guest', 'sev.architectural-side-channels', 'sev.page-level-side-channels', 'sev.performance-counter-tracking'])
    assert.equal(statusOf(snp, id), 'not-by-any-tee', id);
  for (const id of ['sgx.history.prime-probe', 'sgx.history.microscope']) assert.equal(statusOf(threatMatrix(results[1]!), id), 'not-by-any-tee', id);
});

test('a rejected quote whose signature does not verify mitigates nothing: unknown, with the failing check', async () => {
  const r = await verifyVector('sgx/dcapqvl-v3-bad-signature');
  assert.equal(r.cryptoValid, false);
  const m = threatMatrix(r);
  assert.equal(m.counts.mitigated, 0);
  assert.deepEqual(m.openAdvisories, []);
  for (const x of m.rows) {
    assert.ok(['unknown', 'not-by-any-tee', 'not-mitigated'].includes(x.instanceStatus), x.row.id);
    if (x.instanceStatus === 'unknown') assert.match(x.because, /do not verify \(failing: dcap\.quote\.signature\)/);
  }
  assert.equal(statusOf(m, 'sgx.epc-access'), 'unknown');
});

test('expired collateral: the TCB status cannot be relied on, so hardware and TCB rows are unknown, not mitigated', async () => {
  const m = threatMatrix(await verifyVector('sgx/dcapqvl-v3@expired-collateral'));
  assert.deepEqual(m.openAdvisories, []);
  for (const id of ['sgx.epc-access', 'sgx.history.plundervolt', 'cc.known-vulnerabilities']) {
    assert.equal(statusOf(m, id), 'unknown', id);
    assert.match(row(m, id).because, /dcap\.tcb-info\.validity/);
  }
  assert.equal(statusOf(m, 'cc.quoting-enclave'), 'unknown', 'the PCK CRL expired: revocation could not be decided');
  assert.match(row(m, 'cc.quoting-enclave').because, /dcap\.pck\.revocation could not be decided \(COLLATERAL_EXPIRED\)/);
});

test('freshness: a matching nonce mitigates replay', async () => {
  const hello = new TextEncoder().encode('Hello, world!');
  const m = threatMatrix(await verifyVector('sgx/dcapqvl-v3', hello));
  assert.equal(statusOf(m, 'cc.replay'), 'mitigated');
  assert.deepEqual(row(m, 'cc.replay').basis, ['dcap.nonce']);
});

test('revoked TCB: everything hardware-rooted is not mitigated', async () => {
  const r = edited(await verifyVector('tdx/dcapqvl-v4'), (x) => {
    if (x.tcb) x.tcb.status = 'Revoked';
  });
  const m = threatMatrix(r);
  for (const x of m.rows.filter((y) => y.row.ties.some((t) => t === 'hardware' || t === 'memory'))) {
    assert.equal(x.instanceStatus, 'not-mitigated', x.row.id);
    assert.match(x.because, /Revoked \(tcb\.status\)/);
  }
  const pck = edited(await verifyVector('tdx/dcapqvl-v4'), (x) => {
    x.checks = x.checks.map((c) => (c.id === 'dcap.pck.revocation' ? { ...c, status: 'fail', code: 'CERT_REVOKED' } : c));
  });
  assert.equal(statusOf(threatMatrix(pck), 'tdx.host-reads-memory'), 'not-mitigated');
  assert.deepEqual(row(threatMatrix(pck), 'tdx.host-reads-memory').basis, ['dcap.pck.revocation']);
});

test('reference values decide measurement rows: a mismatch is not mitigated, a full match is', async () => {
  const base = await verifyVector('tdx/dcapqvl-v4');
  const diff = (claim: string, match: boolean) => ({ claim, expected: [String(base.claims[claim])], actual: String(base.claims[claim]), match });
  const bad = threatMatrix(edited(base, (x) => (x.appraisal.diffs = [diff('mrTd', false), diff('rtmr0', true)])));
  assert.equal(statusOf(bad, 'tdx.boot-tampering'), 'not-mitigated');
  assert.match(row(bad, 'tdx.boot-tampering').because, /mrTd differs from the reference values/);
  const good = threatMatrix(edited(base, (x) => (x.appraisal.diffs = [diff('mrTd', true), diff('rtmr0', true)])));
  assert.equal(statusOf(good, 'tdx.boot-tampering'), 'mitigated');
  assert.equal(statusOf(good, 'tdx.kernel-tampering'), 'open-by-policy');
});

test('SEV-SNP uses the SEV-SNP column: optional rows are unknown, an OutOfDate TCB opens TCB rollback', () => {
  const m = threatMatrix(fakeSnp());
  assert.equal(m.column, 'SEV-SNP');
  assert.equal(statusOf(m, 'sev.replay-protection'), 'mitigated');
  assert.equal(statusOf(m, 'sev.active-dram'), 'not-mitigated');
  assert.equal(statusOf(m, 'sev.interrupt-injection'), 'unknown');
  assert.equal(statusOf(m, 'sev.tcb-rollback'), 'mitigated');
  assert.equal(statusOf(threatMatrix(fakeSnp({ tcbStatus: 'OutOfDate' })), 'sev.tcb-rollback'), 'open-tcb');
});

test('counts add up, and unreadable evidence gives an empty matrix with a reason', async () => {
  const m = threatMatrix(await verifyVector('tdx/dcapqvl-v4'));
  assert.equal(
    INSTANCE_STATUSES.reduce((n, s) => n + m.counts[s], 0),
    m.rows.length,
  );
  const none = threatMatrix(edited(await verifyVector('tdx/dcapqvl-v4'), (x) => (x.technology = 'unknown')));
  assert.equal(none.technology, null);
  assert.equal(none.rows.length, 0);
  assert.match(none.note ?? '', /No threat table/);
  const pre = threatMatrixFor('tdx');
  assert.ok(pre.rows.every((x) => x.instanceStatus === 'unknown' || x.instanceStatus === 'not-by-any-tee'));
});

test('every row has a because sentence', async () => {
  for (const r of [await verifyVector('tdx/dcapqvl-v4'), await verifyVector('sgx/dcapqvl-v3'), await verifyVector('tdx/trustee-v4-debug-td'), fakeSnp()]) {
    for (const x of threatMatrix(r).rows) assert.match(x.because, /^\S.{10,}[.)]$/, `${r.technology} ${x.row.id}: ${x.because}`);
  }
});
