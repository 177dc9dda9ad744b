/**
 * Module contract v2 outside the checks: the registry as the only list of technologies, the modules'
 * envelopes, evidence parts and collateral need keys, and parse caches owned by the verifier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asTechnology, defaultRoots, moduleFor, TECHNOLOGIES, technologyName } from '../../app/tee/registry.js';
import { ISOLATION_OF } from '../../app/threat/model.js';
import { collateralNeedKey, decodeEvidence } from '../../app/evidence/decode.js';
import { createVerifier } from '../../app/verifier.js';
import { createParseCaches } from '../../app/cache/parse-caches.js';
import { Lru } from '../../app/cache/lru.js';
import { ContentLru } from '../../app/cache/content-lru.js';
import { INTEL_SGX_ROOT_CA_DER } from '../../app/roots/intel.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { toHex } from '../../app/bytes/hex.js';
import { collateralFiles, vectorBytes, verifiedDcapVectors } from '../support/vectors.js';
import { CERT_TABLE_GUID as GUID, certTable } from '../support/cert-table.js';

const REPORT = vectorBytes('snp/trustee-milan-vcek.report');
const VCEK = vectorBytes('snp/trustee-milan-vcek.vcek.der');

test('the registry lists the technologies with their names, aliases and isolation models', () => {
  assert.deepEqual(TECHNOLOGIES, ['sgx', 'tdx', 'sev-snp', 'azure-snp-vtpm', 'azure-tdx-vtpm', 'tpm']);
  assert.deepEqual(TECHNOLOGIES.map(technologyName), [
    'Intel SGX',
    'Intel TDX',
    'AMD SEV-SNP',
    'Azure confidential VM (SEV-SNP, vTPM)',
    'Azure confidential VM (TDX, vTPM)',
    'TPM 2.0 quote',
  ]);
  assert.equal(technologyName('cca'), 'cca', 'an unknown id is shown as it is');
  assert.deepEqual([asTechnology('snp'), asTechnology('tdx'), asTechnology('cca')], ['sev-snp', 'tdx', null]);
  assert.deepEqual(ISOLATION_OF, { sgx: 'process', tdx: 'vm', 'sev-snp': 'vm', 'azure-snp-vtpm': 'vm', 'azure-tdx-vtpm': 'vm', tpm: 'none' });
  assert.deepEqual([moduleFor('tdx')?.id, moduleFor('dcap')?.id, moduleFor('snp')?.id, moduleFor('cca')], ['dcap', 'dcap', 'sev-snp', undefined]);
});

test("the default roots are the modules' pinned anchors", () => {
  const roots = defaultRoots();
  assert.deepEqual(roots.intel, [INTEL_SGX_ROOT_CA_DER]);
  assert.deepEqual(
    roots.amd,
    AMD_ROOTS.map((r) => r.der),
  );
});

test('an appended SNP certificate table is a collateral part of the evidence, also offered as carried files', () => {
  const table = certTable([[GUID.VCEK, VCEK]]);
  const d = decodeEvidence(new Uint8Array(Buffer.concat([REPORT, table])));
  assert.equal(d.module.id, 'sev-snp');
  assert.equal(d.bytes.length, REPORT.length);
  assert.deepEqual(
    d.parts.map((p) => [p.role, p.kind, p.bytes.length]),
    [['cert-table', 'collateral', table.length]],
  );
  assert.deepEqual(
    d.certs?.map((c) => c.name),
    [d.parts[0]!.name],
  );
  assert.deepEqual(decodeEvidence(REPORT).parts, []);
});

test("GCP wrappers and SGX/TDX member names come from the modules' envelopes", () => {
  const quote = vectorBytes(verifiedDcapVectors().find((v) => v.technology === 'tdx')!.path);
  const json = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
  assert.equal(decodeEvidence(json({ tdx: { tdQuote: toHex(quote) } })).module.id, 'dcap');
  assert.equal(decodeEvidence(json({ sevSnp: { report: Buffer.from(REPORT).toString('base64') } })).module.id, 'sev-snp');
});

test('collateralNeedKey: equal for evidence that needs the same collateral, whatever its encoding; undefined when unreadable', () => {
  const [a, b] = verifiedDcapVectors().filter((v) => v.technology === 'tdx');
  const quote = vectorBytes(a!.path);
  const key = collateralNeedKey(decodeEvidence(quote));
  assert.match(key ?? '', /^dcap:https:\/\/api\.trustedservices\.intel\.com\/tdx\/certification\/v4\/tcb\?fmspc=/);
  assert.equal(collateralNeedKey(decodeEvidence(new TextEncoder().encode(toHex(quote)))), key);
  assert.notEqual(collateralNeedKey(decodeEvidence(quote), { tcbUpdate: 'early' }), key);
  if (b) assert.ok(collateralNeedKey(decodeEvidence(vectorBytes(b.path))) !== undefined);
  const snp = collateralNeedKey(decodeEvidence(REPORT));
  assert.match(snp ?? '', /^sev-snp:/);
  assert.equal(collateralNeedKey({ ...decodeEvidence(quote), bytes: new Uint8Array(8) }), undefined);
});

test('a new verifier starts cold; verifiers given one ParseCaches share parsed collateral', () => {
  const v = verifiedDcapVectors()[0]!;
  const first = (caches?: ReturnType<typeof createParseCaches>) => createVerifier(caches ? { caches } : {}).loadCollateral(collateralFiles(v)).documents[0];
  assert.notEqual(first(), first(), 'separate verifiers parse on their own');
  const shared = createParseCaches();
  assert.equal(first(shared), first(shared), 'the same parsed item from the shared cache');
});

test('the caches are bounded, least recently used out first', () => {
  const lru = new Lru<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.get('a');
  lru.set('c', 3);
  assert.deepEqual([lru.get('a'), lru.get('b'), lru.get('c'), lru.size], [1, undefined, 3, 2]);
  assert.throws(() => new Lru(0), RangeError);
});

test('content caches hit on equal bytes only, whatever buffer holds them, and keep their own copy', () => {
  const cache = new ContentLru<string>(4);
  const der = Uint8Array.from([0x30, 3, 1, 2, 3]);
  cache.set(der, 'parsed');
  const elsewhere = new Uint8Array(16);
  elsewhere.set(der, 7);
  assert.equal(cache.get(elsewhere.subarray(7, 12)), 'parsed');
  assert.equal(cache.get(Uint8Array.from([0x30, 3, 1, 2, 4])), undefined);
  assert.equal(cache.get(der, 'other name'), undefined);
  der[4] = 9; // the caller reuses its buffer: the entry still stands for the bytes it was made from
  assert.equal(cache.get(der), undefined);
  assert.equal(cache.get(Uint8Array.from([0x30, 3, 1, 2, 3])), 'parsed');
});
