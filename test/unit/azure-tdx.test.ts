import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import { azureVtpmModule } from '../../app/tee/azure-vtpm/module.js';
import { azureEnvelope } from '../../app/tee/azure-vtpm/envelopes.js';
import { compareTdReport } from '../../app/tee/azure-vtpm/td-report.js';
import { parseHclReport } from '../../app/tee/azure-vtpm/hcl.js';
import { emptyCollateral } from '../../app/collateral/types.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { PkiCache } from '../../app/pki/cache.js';
import { createParseCaches } from '../../app/cache/parse-caches.js';
import { ModuleState } from '../../app/tee/state.js';
import type { Evidence, VerifyEnv } from '../../app/tee/module.js';
import type { Check } from '../../app/check.js';

/** trustee's real Azure TDX evidence (v1). No Intel collateral exists for its TD quote here, so DCAP cannot finish: only the links are asserted. */
const FIXTURE = new URL('../fixtures/trustee-az-vtpm/tdx-evidence-v1.json', import.meta.url);
const doc = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
const CHALLENGE = new TextEncoder().encode('challenge');
const AT = new Date('2024-06-01T00:00:00Z');
const status = (checks: readonly Check[], id: string) => checks.find((c) => c.id === id);

function env(nonce?: Uint8Array): VerifyEnv {
  const crypto = webCryptoProvider();
  const cache = new PkiCache(crypto, createParseCaches());
  return {
    at: AT.getTime(),
    crypto,
    cache,
    roots: { intel: [], amd: [], tpm: [] },
    state: new ModuleState(cache),
    used: new Set(),
    ...(nonce ? { nonce } : {}),
  };
}

test('Azure TDX v1: TDREPORT matches the TD quote, runtime data bound to its REPORT_DATA, vTPM quote by HCLAkPub over "challenge"', async () => {
  const evidence = azureEnvelope(doc())!;
  const r = await azureVtpmModule.verify(evidence, emptyCollateral(), env(CHALLENGE));
  assert.equal(r.technology, 'azure-tdx-vtpm');
  assert.equal(r.format, 'az-tdx-vtpm-v1');
  for (const id of ['azure.hcl.format', 'azure.td-report', 'azure.hcl.binding', 'azure.ak.binding', 'tpm.quote.signature', 'tpm.pcr-digest', 'tpm.nonce'])
    assert.equal(status(r.checks, id)?.status, 'pass', `${id}: ${status(r.checks, id)?.explain}`);
  assert.match(status(r.checks, 'azure.td-report')!.explain, /MAC cannot be checked outside the TD/);
  assert.equal((r.fields.tpm as Record<string, unknown>).pcr00, '782b20b10f55cc46e2142cc2145d548698073e5beb82752c8d7f9279f0d8a273');
  // Without Intel's collateral the TD quote is not proven: AK trust is then not established either.
  assert.ok(r.checks.some((c) => c.id.startsWith('dcap.') && c.status === 'fail'));
  assert.notEqual(status(r.checks, 'tpm.ak.trust')?.status, 'pass');
});

test('Azure TDX through the verifier: the quote and chain verify, but without Intel collateral it is never verified', async () => {
  const r = await createVerifier().verify(new TextEncoder().encode(JSON.stringify(doc())), [], { at: AT, nonce: CHALLENGE });
  assert.equal(r.technology, 'azure-tdx-vtpm');
  assert.equal(r.verdict, 'rejected');
  assert.ok(
    r.errors.some((e) => e.code === 'COLLATERAL_MISSING'),
    JSON.stringify(r.errors),
  );
  // Signatures and the PCK chain to the pinned Intel root hold without collateral, so the AK is bound to the hardware.
  assert.equal(r.cryptoValid, true);
  assert.equal(status(r.checks, 'tpm.ak.trust')?.status, 'pass');
});

test('Azure TDX negatives: runtime data flipped (HCL 0x880, as trustee does), a TD quote of another TDREPORT, no TD quote', async () => {
  const e = azureEnvelope(doc())!;
  const hcl = Uint8Array.from(e.primary);
  hcl[0x880]! += 1;
  const flipped: Evidence = { primary: hcl, parts: e.parts };
  const r = await azureVtpmModule.verify(flipped, emptyCollateral(), env(CHALLENGE));
  assert.equal(status(r.checks, 'azure.hcl.binding')?.code, 'BINDING_MISMATCH');
  const quote = e.parts.find((p) => p.role === 'td-quote')!.bytes;
  const tdReport = Uint8Array.from(parseHclReport(e.primary).hwReport);
  tdReport[512 + 16]! ^= 1; // MRTD
  assert.equal(compareTdReport(tdReport, quote).check.code, 'BINDING_MISMATCH');
  assert.match(compareTdReport(tdReport, quote).check.explain, /MRTD/);
  const none = await azureVtpmModule.verify({ primary: e.primary, parts: e.parts.filter((p) => p.role !== 'td-quote') }, emptyCollateral(), env(CHALLENGE));
  assert.equal(status(none.checks, 'azure.td-report')?.code, 'MALFORMED_EVIDENCE');
  assert.equal(status(none.checks, 'azure.hcl.binding')?.status, 'skip');
});

test('a supplied AK other than HCLAkPub is BINDING_MISMATCH on azure.ak.binding', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const other = new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
  const e = azureEnvelope(doc())!;
  const withAk: Evidence = { primary: e.primary, parts: [...e.parts, { role: 'ak-public', kind: 'evidence', name: 'ak.der', bytes: other }] };
  const r = await azureVtpmModule.verify(withAk, emptyCollateral(), env(CHALLENGE));
  assert.equal(status(r.checks, 'azure.ak.binding')?.code, 'BINDING_MISMATCH');
});
