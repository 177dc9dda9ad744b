/**
 * The generator checked by an independent implementation: Phala's dcap-qvl (JavaScript) accepts
 * the synthetic quotes and bundles under the synthetic root, so their layout is not merely what
 * our own parser expects. dcap-qvl verifies SGX v3 and TDX v4/v5 only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuoteVerifier } from '@phala/dcap-qvl';
import type { Collateral } from '@phala/dcap-qvl';
import { build } from './scenario.js';
import type { Scenario } from './scenario.js';
import { AT, DEFAULT_PKI, DEFAULT_SERIALS } from './test-pki.js';

async function dcapQvl(s: Partial<Scenario>): Promise<{ status: string; advisories: string[] }> {
  const b = await build(s);
  const collateral = JSON.parse(new TextDecoder().decode(b.collateral[0]!.bytes)) as Collateral;
  const r = QuoteVerifier.newWithRootCa(Buffer.from(b.pki.root.der)).verify(Buffer.from(b.evidence), collateral, AT.getTime() / 1000);
  return { status: r.status, advisories: r.advisory_ids };
}

for (const kind of ['sgx-v3', 'tdx-v4', 'tdx-v5'] as const) {
  test(`dcap-qvl verifies the synthetic ${kind} baseline as UpToDate`, async () => {
    assert.deepEqual(await dcapQvl({ kind }), { status: 'UpToDate', advisories: [] });
  });
}

test('dcap-qvl merges an OutOfDate QE like we do', async () => {
  assert.deepEqual(await dcapQvl({ qe: { isvSvn: 6 } }), { status: 'OutOfDate', advisories: ['INTEL-SA-00615'] });
});

test('dcap-qvl rejects the synthetic revoked PCK certificate', async () => {
  const pckCrl = { ...DEFAULT_PKI.pckCrl, revoked: [DEFAULT_SERIALS.pck] };
  await assert.rejects(dcapQvl({ pki: { pckCrl } }), /revoked/i);
});
