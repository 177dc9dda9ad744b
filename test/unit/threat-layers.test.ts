import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISOLATION_MODELS, isolationModel, trustBoundary } from '../../app/threat/index.js';
import type { LayerId, Technology, TrustLayer } from '../../app/threat/index.js';
import { edited, fakeSnp, verifyVector } from './threat-fixtures.js';

const ids = (ls: readonly TrustLayer[], inside: boolean) => ls.filter((l) => l.inside === inside).map((l) => l.id);
const layer = (ls: readonly TrustLayer[], id: LayerId) => {
  const l = ls.find((x) => x.id === id);
  assert.ok(l, `no layer ${id}`);
  return l;
};
const item = (l: TrustLayer, label: string) => {
  const e = l.evidence.find((x) => x.label === label);
  assert.ok(e, `no evidence ${label} on ${l.id}`);
  return e;
};

const OUTSIDE_VM: LayerId[] = ['cloud-stack', 'bios-firmware', 'host-os-hypervisor'];

test('SGX follows process isolation: only the enclave, its data and the hardware root are inside', () => {
  const ls = trustBoundary('sgx');
  assert.equal(isolationModel('sgx').id, 'process');
  assert.deepEqual(ids(ls, true), ['application', 'confidential-data', 'tee-hardware']);
  assert.deepEqual(ids(ls, false), ['cloud-stack', 'bios-firmware', 'host-os-hypervisor', 'vm-admin', 'guest-os']);
});

test('TDX and SEV-SNP follow VM isolation: host, firmware and cloud stack are outside', () => {
  for (const t of ['tdx', 'sev-snp'] as const) {
    assert.equal(isolationModel(t).id, 'vm');
    assert.deepEqual(ids(trustBoundary(t), false), OUTSIDE_VM);
  }
  assert.deepEqual(ids(trustBoundary('tdx'), true), [
    'vm-admin',
    'guest-firmware',
    'guest-os',
    'application',
    'confidential-data',
    'tdx-module',
    'tee-hardware',
  ]);
  assert.deepEqual(ids(trustBoundary('sev-snp'), true), ['vm-admin', 'guest-firmware', 'guest-os', 'application', 'confidential-data', 'tee-hardware']);
});

test('layers keep the seed order, outermost first, with the seed labels', () => {
  const labels = trustBoundary('tdx').map((l) => l.label);
  assert.deepEqual(labels.slice(0, 4), [
    'Cloud Stack & Cloud System Administrators',
    'BIOS & Firmware',
    'Host OS & Hypervisor',
    'Virtual Machine Administrator',
  ]);
  assert.ok(labels.indexOf('Guest OS') < labels.indexOf('Application or Process'));
  assert.ok(labels.indexOf('Application or Process') < labels.indexOf('Confidential Data'));
  assert.deepEqual(ISOLATION_MODELS.none.inside, ISOLATION_MODELS.none.layers, 'without CC everything can reach the data');
  assert.deepEqual(ISOLATION_MODELS.function.inside, ['function-library', 'confidential-data']);
});

test('without a result every state is unknown, and every layer has a role', () => {
  for (const t of ['sgx', 'tdx', 'sev-snp'] as Technology[]) {
    for (const l of trustBoundary(t)) {
      assert.equal(l.state, 'unknown');
      assert.ok(l.role.length > 20, `${t} ${l.id} has no role`);
      for (const e of l.evidence) assert.equal(e.state, 'unknown');
    }
  }
});

test('TDX UpToDate: firmware from MRTD/RTMR0, kernel from RTMR1/2, module and hardware from the TCB; zero registers are not covered', async () => {
  const ls = trustBoundary('tdx', await verifyVector('tdx/dcapqvl-v4'));
  for (const id of OUTSIDE_VM) assert.equal(layer(ls, id).state, 'untrusted');
  const fw = layer(ls, 'guest-firmware');
  assert.equal(fw.state, 'proven');
  assert.deepEqual(
    fw.evidence.map((e) => e.claim),
    ['mrTd', 'rtmr0'],
  );
  assert.deepEqual(item(fw, 'MRTD').checks, [{ id: 'dcap.quote.signature', status: 'pass' }]);
  assert.equal(layer(ls, 'guest-os').state, 'proven');
  assert.equal(layer(ls, 'application').state, 'not-covered', 'RTMR3 and MRCONFIGID are all zeros');
  assert.equal(layer(ls, 'tdx-module').state, 'proven');
  assert.equal(layer(ls, 'tee-hardware').state, 'proven');
  assert.equal(item(layer(ls, 'tee-hardware'), 'TCB status').note, 'TCB status UpToDate.');
  assert.equal(item(layer(ls, 'confidential-data'), 'Nonce').state, 'not-covered');
});

test('SGX ConfigurationAndSWHardeningNeeded: the enclave is proven, the hardware root warns with its advisories', async () => {
  const ls = trustBoundary('sgx', await verifyVector('sgx/dcapqvl-v3'));
  const app = layer(ls, 'application');
  assert.equal(app.state, 'proven');
  assert.equal(item(app, 'MRENCLAVE').value, '33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb');
  assert.equal(item(app, 'ISVPRODID / ISVSVN').state, 'proven', 'ISVSVN 0 is a value, not an unset register');
  const hw = layer(ls, 'tee-hardware');
  assert.equal(hw.state, 'warning');
  assert.match(item(hw, 'TCB status').note ?? '', /ConfigurationAndSWHardeningNeeded; advisories INTEL-SA-00289, INTEL-SA-00615/);
});

test('debug TD: the data layer fails on dcap.policy.debug and the outside layers say the host reaches in', async () => {
  const ls = trustBoundary('tdx', await verifyVector('tdx/trustee-v4-debug-td'));
  const data = layer(ls, 'confidential-data');
  assert.equal(data.state, 'failed');
  assert.deepEqual(item(data, 'Debug mode').checks, [{ id: 'dcap.policy.debug', status: 'fail' }]);
  assert.equal(layer(ls, 'host-os-hypervisor').state, 'untrusted');
  assert.match(layer(ls, 'host-os-hypervisor').note ?? '', /debug mode lets the host read and change/);
});

test('a bad signature fails every inside layer; a revoked TCB fails them too', async () => {
  const bad = trustBoundary('sgx', await verifyVector('sgx/dcapqvl-v3-bad-signature'));
  for (const l of bad) assert.equal(l.state, l.inside ? 'failed' : 'untrusted', l.id);
  const revoked = edited(await verifyVector('tdx/dcapqvl-v4'), (r) => {
    if (r.tcb) r.tcb.status = 'Revoked';
  });
  for (const l of trustBoundary('tdx', revoked)) assert.equal(l.state, l.inside ? 'failed' : 'untrusted', l.id);
});

test('a reference mismatch fails the layer of that claim', async () => {
  const r = edited(await verifyVector('tdx/dcapqvl-v4'), (x) => {
    x.appraisal.diffs = [{ claim: 'rtmr1', expected: ['00'.repeat(48)], actual: String(x.claims.rtmr1), match: false }];
  });
  const ls = trustBoundary('tdx', r);
  assert.equal(layer(ls, 'guest-os').state, 'failed');
  assert.equal(layer(ls, 'guest-firmware').state, 'proven');
});

test('a result for another technology is not applied', async () => {
  const ls = trustBoundary('sgx', await verifyVector('tdx/dcapqvl-v4'));
  for (const l of ls) assert.equal(l.state, 'unknown');
  assert.match(ls[0]?.note ?? '', /for tdx/);
});

test('SEV-SNP: MEASUREMENT proves the guest firmware; debug policy fails the data layer', () => {
  const ok = trustBoundary('sev-snp', fakeSnp());
  assert.equal(layer(ok, 'guest-firmware').state, 'proven');
  assert.equal(layer(ok, 'application').state, 'not-covered');
  assert.equal(layer(ok, 'tee-hardware').state, 'proven');
  const dbg = trustBoundary('sev-snp', fakeSnp({ debug: true }));
  assert.equal(layer(dbg, 'confidential-data').state, 'failed');
  assert.deepEqual(item(layer(dbg, 'confidential-data'), 'Debug policy').checks, [{ id: 'snp.policy.debug', status: 'fail' }]);
  assert.equal(layer(trustBoundary('sev-snp', fakeSnp({ tcbStatus: 'OutOfDate' })), 'tee-hardware').state, 'warning');
});
