import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePcs } from '../support/fake-pcs.js';
import type { FakePcs } from '../support/fake-pcs.js';
import { fetchDcapCollateral } from '../../main/collateral/fetch-dcap.js';
import { CollateralCache } from '../../main/collateral/cache.js';
import { createVerifier } from '../../app/verifier.js';
import { vectorBytes } from '../support/vectors.js';

const quote = vectorBytes('tdx/trustee-v4-debug-td.quote');
const at = new Date('2023-07-01T01:00:00Z');
let pcs: FakePcs;
before(async () => (pcs = await startFakePcs()));
after(() => pcs.close());

const newCache = () => new CollateralCache(mkdtempSync(join(tmpdir(), 'tee-cache-')));
const fetchAll = (cache: CollateralCache, offline = false) =>
  fetchDcapCollateral(quote, { pcsBase: pcs.base, ca: pcs.ca, cache, at, offline, timeoutMs: 1500 });

test('fetches TCB info, QE identity and both CRLs from a PCCS (test CA) and verifies like the bundle', async () => {
  const cache = newCache();
  const { files, notes } = await fetchAll(cache);
  assert.deepEqual(notes, []);
  assert.equal(files.length, 7, 'four bodies and three issuer chains');
  const r = await createVerifier().verify(quote, files, { at });
  assert.equal(r.errors[0]?.code, 'DEBUG_ENABLED', JSON.stringify(r.errors));
  assert.equal(r.tcb?.status, 'UpToDate');
  for (const c of r.checks.filter((x) => x.id !== 'dcap.policy.debug' && x.id !== 'dcap.nonce')) assert.equal(c.status, 'pass', `${c.id}: ${c.explain}`);
});

test('fresh cache entries serve offline without a request; nothing cached offline is reported', async () => {
  const cache = newCache();
  await fetchAll(cache);
  const before = pcs.requests.length;
  const { files, notes } = await fetchAll(cache, true);
  assert.equal(pcs.requests.length, before, 'no network');
  assert.equal(files.length, 7);
  assert.deepEqual(notes, []);
  const empty = await fetchAll(newCache(), true);
  assert.equal(empty.files.length, 0);
  assert.equal(empty.notes.length, 4);
  assert.match(empty.notes[0]!, /offline: TCB info not in the cache/);
});

test('an expired cache entry is refetched', async () => {
  const cache = newCache();
  await fetchAll(cache);
  const later = await fetchDcapCollateral(quote, { pcsBase: pcs.base, ca: pcs.ca, cache, at: new Date('2023-08-01T00:00:00Z'), offline: false });
  assert.ok(later.files.length > 0);
  assert.ok(pcs.requests.filter((p) => p.includes('/tcb?')).length >= 2);
});

test('429 is retried; garbage, 404, 500, oversized and hanging answers are typed notes and leave the cache unharmed', async () => {
  pcs.faults.set('/tdx/certification/v4/qe/identity', '429-once');
  const retried = await fetchAll(newCache());
  assert.deepEqual(retried.notes, []);
  const cases = [
    ['garbage', /not recognised|JSON/],
    ['500', /HTTP 500/],
    ['huge', /larger than/],
    ['hang', /no answer within/],
  ] as const;
  for (const [fault, message] of cases) {
    const cache = newCache();
    await fetchAll(cache);
    const good = readdirSync(cache.dir).length;
    pcs.faults.set('/tdx/certification/v4/tcb?fmspc=50806f000000', fault);
    const r = await fetchDcapCollateral(quote, { pcsBase: pcs.base, ca: pcs.ca, cache, at: new Date('2023-08-01T00:00:00Z'), offline: false, timeoutMs: 800 });
    pcs.faults.clear();
    assert.ok(
      r.notes.some((n) => message.test(n)),
      `${fault}: ${r.notes.join(' | ')}`,
    );
    assert.ok(
      r.notes.some((n) => /using the expired cached copy/.test(n)),
      `${fault}: the old entry is kept`,
    );
    assert.equal(readdirSync(cache.dir).filter((f) => f.endsWith('.json')).length, good, `${fault}: the cache is unharmed`);
  }
  const unknown = await fetchDcapCollateral(quote, { pcsBase: `${pcs.base}/nowhere`, ca: pcs.ca, cache: newCache(), at, offline: false });
  assert.ok(unknown.notes.every((n) => /404 Not Found/.test(n)));
});

test('TLS verification stays on: the PCCS is refused without its CA', async () => {
  const r = await fetchDcapCollateral(quote, { pcsBase: pcs.base, cache: newCache(), at, offline: false });
  assert.equal(r.files.length, 0);
  assert.ok(
    r.notes.every((n) => /SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i.test(n)),
    r.notes.join(' | '),
  );
});

test('a damaged cache file is ignored and refetched', async () => {
  const cache = newCache();
  await fetchAll(cache);
  for (const f of readdirSync(cache.dir)) writeFileSync(join(cache.dir, f), '{not json');
  const { files, notes } = await fetchAll(cache);
  assert.equal(files.length, 7);
  assert.deepEqual(notes, []);
});

test('tee-inspect verify without --offline fetches what is missing; --offline serves the cache only', async () => {
  const { runCliJson } = await import('../support/cli.js');
  const { VECTORS_DIR } = await import('../support/vectors.js');
  const dir = mkdtempSync(join(tmpdir(), 'tee-cli-pcs-'));
  writeFileSync(join(dir, 'ca.pem'), pcs.ca);
  const base = [
    'verify',
    `${VECTORS_DIR}tdx/trustee-v4-debug-td.quote`,
    '--at',
    '2023-07-01T01:00:00Z',
    '--pcs-url',
    pcs.base,
    '--ca-file',
    join(dir, 'ca.pem'),
    '--cache-dir',
    join(dir, 'cache'),
  ];
  const online = await runCliJson(base);
  assert.equal(online.code, 1);
  assert.equal(online.json.errors[0].code, 'DEBUG_ENABLED');
  assert.equal(online.json.tcb.status, 'UpToDate');
  const before = pcs.requests.length;
  const offline = await runCliJson([...base, '--offline']);
  assert.equal(pcs.requests.length, before, '--offline makes no request');
  assert.equal(offline.json.errors[0].code, 'DEBUG_ENABLED');
  const cold = await runCliJson([...base.slice(0, -2), '--cache-dir', join(dir, 'empty'), '--offline']);
  assert.equal(cold.code, 1);
  // Worst first: the debug TD is a policy failure, listed before the missing collateral.
  assert.deepEqual(cold.json.errors.map((e: { code: string }) => e.code).slice(0, 2), ['DEBUG_ENABLED', 'COLLATERAL_MISSING']);
  assert.match(cold.err, /offline: TCB info not in the cache/);
  assert.equal((await runCliJson([...base, '--pcs-url', 'http://insecure.example'])).code, 2);
});

test('SEV-SNP: the VCEK is fetched from AMD KDS by chip ID and reported TCB; the missing CRL is a note and a warning', async () => {
  const { runCliJson } = await import('../support/cli.js');
  const { VECTORS_DIR } = await import('../support/vectors.js');
  const dir = mkdtempSync(join(tmpdir(), 'tee-cli-kds-'));
  writeFileSync(join(dir, 'ca.pem'), pcs.ca);
  const args = [
    'verify',
    `${VECTORS_DIR}snp/trustee-milan-vcek.report`,
    '--at',
    '2024-07-03T13:10:40Z',
    '--kds-url',
    pcs.base,
    '--ca-file',
    join(dir, 'ca.pem'),
    '--cache-dir',
    join(dir, 'cache'),
  ];
  const noProduct = await runCliJson(args);
  assert.equal(noProduct.json.errors[0].code, 'COLLATERAL_MISSING');
  assert.match(noProduct.err, /does not name its AMD product \(Milan, Genoa or Turin\)/);
  const r = await runCliJson([...args, '--product', 'Milan']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.json.verdict, 'verified');
  assert.match(r.err, /crl: 404 Not Found/);
  assert.equal(r.json.checks.find((c: { id: string }) => c.id === 'snp.crl').status, 'warn');
  const offline = await runCliJson([...args, '--product', 'Milan', '--offline']);
  assert.equal(offline.json.verdict, 'verified', 'the VCEK now serves from the cache');
});

test('collateral export / import moves the cache to an air-gapped machine', async () => {
  const { runCli, runCliJson } = await import('../support/cli.js');
  const { VECTORS_DIR } = await import('../support/vectors.js');
  const dir = mkdtempSync(join(tmpdir(), 'tee-airgap-'));
  writeFileSync(join(dir, 'ca.pem'), pcs.ca);
  const quoteArgs = ['verify', `${VECTORS_DIR}tdx/trustee-v4-debug-td.quote`, '--at', '2023-07-01T01:00:00Z'];
  await runCliJson([...quoteArgs, '--pcs-url', pcs.base, '--ca-file', join(dir, 'ca.pem'), '--cache-dir', join(dir, 'online')]);
  assert.equal((await runCli(['collateral', 'export', join(dir, 'bundle.json'), '--cache-dir', join(dir, 'online')])).code, 0);
  assert.equal((await runCli(['collateral', 'import', join(dir, 'bundle.json'), '--cache-dir', join(dir, 'airgap')])).code, 0);
  const offline = await runCliJson([...quoteArgs, '--pcs-url', pcs.base, '--offline', '--cache-dir', join(dir, 'airgap')]);
  assert.equal(offline.json.errors[0].code, 'DEBUG_ENABLED', 'everything else verified from the imported cache');
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ schema: 'tee-inspect/collateral-bundle/v1', entries: [{ url: 'http://x', body: '!' }] }));
  const bad = await runCli(['collateral', 'import', join(dir, 'bad.json'), '--cache-dir', join(dir, 'airgap')]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /refused entries\[0\] \(http:\/\/x\): not a collateral cache entry/);
  writeFileSync(join(dir, 'not-bundle.json'), '{"schema": "something else"}');
  assert.equal((await runCli(['collateral', 'import', join(dir, 'not-bundle.json'), '--cache-dir', join(dir, 'airgap')])).code, 2);
  assert.equal((await runCli(['collateral', 'frobnicate', 'x'])).code, 2);
});

test('collateral import dates each entry from its own content and refuses entries that are not collateral', async () => {
  const { runCli, runCliJson } = await import('../support/cli.js');
  const { VECTORS_DIR } = await import('../support/vectors.js');
  const { readFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'tee-import-'));
  writeFileSync(join(dir, 'ca.pem'), pcs.ca);
  const quoteArgs = ['verify', `${VECTORS_DIR}tdx/trustee-v4-debug-td.quote`, '--at', '2023-07-01T01:00:00Z', '--pcs-url', pcs.base];
  await runCliJson([...quoteArgs, '--ca-file', join(dir, 'ca.pem'), '--cache-dir', join(dir, 'online')]);
  await runCli(['collateral', 'export', join(dir, 'bundle.json'), '--cache-dir', join(dir, 'online')]);
  const exported = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { entries: { url: string; validUntil?: string; body: string }[] };
  const honest = new Map(exported.entries.map((e) => [e.url, e.validUntil]));
  // Every entry claims to hold for ever; one of them is garbage that would then serve every offline run.
  const forged = exported.entries.map((e, i) => ({
    ...e,
    validUntil: '9999-12-31T00:00:00Z',
    ...(i === 0 ? { body: Buffer.from('{"not":"collateral"}').toString('base64') } : {}),
  }));
  writeFileSync(join(dir, 'forged.json'), JSON.stringify({ schema: 'tee-inspect/collateral-bundle/v1', entries: forged }));
  const r = await runCli(['collateral', 'import', join(dir, 'forged.json'), '--cache-dir', join(dir, 'airgap')]);
  assert.equal(r.code, 1, 'an entry was refused');
  assert.match(
    r.err,
    new RegExp(
      `refused entries\\[0\\] \\(${forged[0]!.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): body: JSON is not collateral that any module recognises`,
    ),
  );
  assert.match(r.out, new RegExp(`imported ${forged.length - 1} collateral entries`));
  const imported = await new CollateralCache(join(dir, 'airgap')).all();
  assert.equal(imported.length, forged.length - 1);
  for (const e of imported) assert.equal(Date.parse(e.validUntil!), Date.parse(honest.get(e.url)!), `${e.url}: dated from its content, not the bundle's 9999`);
  assert.ok(!imported.some((e) => e.url === forged[0]!.url), 'the garbage entry is not cached');
});
