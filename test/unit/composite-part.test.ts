/**
 * Evidence as {primary, parts} (module contract v2): a composite module receives its parts and calls
 * the module each part belongs to, merging that module's checks and catalogue. The test module here
 * wraps a DCAP quote as a part, as an Azure vTPM bundle will wrap its TD quote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fail, pass } from '../../app/check.js';
import type { CheckSpec } from '../../app/check.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { PkiCache } from '../../app/pki/cache.js';
import { loadCollateral } from '../../app/collateral/load.js';
import { judge } from '../../app/report/judge.js';
import { defaultRoots } from '../../app/tee/registry.js';
import { mergePart, verifyPart } from '../../app/tee/parts.js';
import { ModuleState } from '../../app/tee/state.js';
import type { Evidence, ModuleResult, TeeModule, VerifyEnv } from '../../app/tee/module.js';
import { collateralFiles, vectorBytes, verifiedDcapVectors } from '../support/vectors.js';

const WRAP: CheckSpec = { id: 'test.wrap.parts', title: 'The wrapper carries a quote', crypto: false, mandatory: true, fix: 'Wrap a quote.' };
const MAGIC = new TextEncoder().encode('WRAP');

/** A composite of the test: primary "WRAP", one evidence part of role "quote". */
const wrapModule: TeeModule = {
  id: 'test-wrap',
  technologies: [{ id: 'test-wrap', name: 'Test wrapper', isolation: 'vm', schema: { claims: {}, minimums: {} }, instance: 'wrapper' }],
  anchors: { set: 'intel', pinned: () => [] },
  checks: [WRAP],
  detect: (b) => MAGIC.every((c, i) => b[i] === c),
  missingCollateral: () => [],
  collateralNeedKey: () => 'none',
  async verify(evidence, collateral, env): Promise<ModuleResult> {
    const base = { technology: 'test-wrap', format: 'wrap-v1', claims: {}, fields: {} };
    const quote = evidence.parts.find((p) => p.kind === 'evidence' && p.role === 'quote');
    if (!quote) return { ...base, checks: [fail(WRAP, 'no quote part', 'MALFORMED_EVIDENCE')], catalogue: [WRAP] };
    const part = await verifyPart(quote, collateral, env);
    const merged = mergePart({ checks: [pass(WRAP, `A ${part.technology} quote travels as part "${quote.name}".`)], catalogue: [WRAP] }, part);
    return { ...base, ...merged, claims: { quote: part.claims }, ...(part.tcb ? { tcb: part.tcb } : {}) };
  },
};

const vector = verifiedDcapVectors().find((v) => v.technology === 'tdx')!;

function environment(): { env: VerifyEnv; cache: PkiCache } {
  const crypto = webCryptoProvider();
  const cache = new PkiCache(crypto);
  const store = defaultRoots();
  const roots = { intel: store.intel.map((d) => cache.cert(d)), amd: (store.amd ?? []).map((d) => cache.cert(d)), tpm: [] };
  return { cache, env: { at: Date.parse(vector.expect.at), crypto, cache, roots, state: new ModuleState(cache), used: new Set() } };
}

async function verifyWrapped(quote: Uint8Array) {
  const { env, cache } = environment();
  const evidence: Evidence = { primary: MAGIC, parts: [{ role: 'quote', kind: 'evidence', name: 'td-quote.bin', bytes: quote }] };
  assert.ok(wrapModule.detect(evidence.primary));
  const r = await wrapModule.verify(evidence, loadCollateral(collateralFiles(vector), cache), env);
  return { r, judged: judge(r.checks, r.catalogue, r.tcb?.status) };
}

test("a composite verifies its DCAP quote part and merges the part's checks and catalogue", async () => {
  const { r, judged } = await verifyWrapped(vectorBytes(vector.path));
  assert.equal(r.checks[0]!.id, WRAP.id);
  assert.equal(r.checks.find((c) => c.id === 'dcap.quote.signature')?.status, 'pass');
  assert.ok(
    r.catalogue.some((s) => s.id === 'dcap.quote.signature' && s.crypto),
    "the part's crypto checks are in the merged catalogue",
  );
  assert.deepEqual([judged.verdict, judged.cryptoValid], ['verified', true], JSON.stringify(judged.errors));
});

test('a forged part rejects the composite: its crypto checks count', async () => {
  const forged = vectorBytes(vector.path).slice();
  forged[0x30 + 20] = forged[0x30 + 20]! ^ 1; // inside the signed TD report body
  const { judged } = await verifyWrapped(forged);
  assert.deepEqual([judged.verdict, judged.cryptoValid, judged.errors[0]?.code], ['rejected', false, 'QUOTE_SIGNATURE_INVALID']);
});

test('a part no module recognises is MALFORMED_EVIDENCE naming the part', async () => {
  const { env } = environment();
  await assert.rejects(
    verifyPart({ role: 'quote', kind: 'evidence', name: 'junk.bin', bytes: new Uint8Array(64) }, loadCollateral([], env.cache), env),
    /quote part "junk.bin"/,
  );
});
