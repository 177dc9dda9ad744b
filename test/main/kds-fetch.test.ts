import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakePcs } from '../support/fake-pcs.js';
import type { FakePcs, Fault } from '../support/fake-pcs.js';
import { fetchSnpCollateral } from '../../main/collateral/fetch-snp.js';
import type { SnpFetchOptions } from '../../main/collateral/fetch-snp.js';
import { CollateralCache } from '../../main/collateral/cache.js';
import { createVerifier } from '../../app/verifier.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import type { RootStore } from '../../app/roots/store.js';
import type { VerificationResult } from '../../app/report/result.js';
import { vectorBytes, VECTORS_DIR } from '../support/vectors.js';
import { VLEK_REPORT, VLEK_CERT } from '../unit/snp-fixtures.js';
import { snpPki, SNP_AT, DEFAULT_SNP, REAL_CHIP_ID } from '../synthetic/snp-pki.js';
import { issueCert, issueCrl, newKey } from '../synthetic/test-pki.js';

/** The AMD KDS client against a local KDS (test CA, loopback only) serving recorded and test-made answers. */
const MILAN = vectorBytes('snp/trustee-milan-vcek.report');
const MILAN_AT = new Date('2024-07-03T13:10:40Z');
const CHIP = Buffer.from(REAL_CHIP_ID).toString('hex');
const VCEK_PATH = `/vcek/v1/Milan/${CHIP}?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115`;
const CRL_PATH = '/vcek/v1/Milan/crl';
const CHAIN_PATH = '/vcek/v1/Milan/cert_chain';
const day = 24 * 3600 * 1000;

let kds: FakePcs;
before(async () => (kds = await startFakePcs()));
after(() => kds.close());
afterEach(() => (kds.kds.clear(), kds.faults.clear()));

const newCache = () => new CollateralCache(mkdtempSync(join(tmpdir(), 'tee-kds-')));
const amdRoots = (...cns: string[]): RootStore => ({ intel: [], amd: AMD_ROOTS.filter((r) => cns.includes(r.cn)).map((r) => r.der) });
const asked = (from: number) => kds.requests.slice(from);
const status = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id)?.status;

function fetchKds(report: Uint8Array, o: Partial<SnpFetchOptions> = {}) {
  return fetchSnpCollateral(report, { kdsBase: kds.base, ca: kds.ca, cache: newCache(), at: MILAN_AT, offline: false, timeoutMs: 1500, ...o });
}

test('a VCEK report with the ASK pinned: the VCEK and the VCEK CRL, no cert_chain; the recorded VCEK verifies', async () => {
  const from = kds.requests.length;
  const r = await fetchKds(MILAN, { product: 'Milan' });
  assert.deepEqual(asked(from), [VCEK_PATH, CRL_PATH]);
  assert.deepEqual(
    r.files.map((f) => f.name.split(' ')[0]),
    ['vcek'],
  );
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.detail.status]),
    [['FETCH_FAILED', 404]],
    'no AMD CRL is recorded',
  );
  assert.match(r.notes[0]!, /crl: 404 Not Found \(AMD KDS has no VCEK CRL for Milan: check the product/);
  const v = await createVerifier().verify(MILAN, r.files, { at: MILAN_AT });
  assert.equal(v.verdict, 'verified', JSON.stringify(v.errors));
  assert.equal(status(v, 'snp.crl'), 'warn');
});

test("an unpinned ASK: AMD's cert_chain is fetched first, and the verifier traces it to the pinned ARK", async () => {
  const roots = amdRoots('ARK-Milan');
  const from = kds.requests.length;
  const r = await fetchKds(MILAN, { product: 'Milan', roots });
  assert.deepEqual(asked(from), [CHAIN_PATH, VCEK_PATH, CRL_PATH]);
  assert.deepEqual(
    r.files.map((f) => f.name.split(' ')[0]),
    ['cert-chain', 'vcek'],
  );
  const v = await createVerifier({ roots }).verify(MILAN, r.files, { at: MILAN_AT });
  assert.equal(status(v, 'snp.vek.chain'), 'pass', JSON.stringify(v.errors));
  assert.match(v.checks.find((c) => c.id === 'snp.vek.chain')!.explain, /signed by SEV-Milan .*pinned ARK-Milan/);
  const without = await createVerifier({ roots }).verify(
    MILAN,
    r.files.filter((f) => f.name.startsWith('vcek')),
    { at: MILAN_AT },
  );
  assert.equal(without.errors[0]?.code, 'CERT_CHAIN_INVALID', 'the chain was needed');
  const supplied = createVerifier().loadCollateral([{ name: 'chain.pem', bytes: readFileSync(`${VECTORS_DIR}roots/amd-milan-vcek-ask-ark.pem`) }]);
  const again = kds.requests.length;
  await fetchKds(MILAN, { product: 'Milan', roots, supplied });
  assert.deepEqual(asked(again), [VCEK_PATH, CRL_PATH], 'a supplied ASK is not fetched again');
});

test('a test AMD-like PKI end to end: unpinned ASK, VCEK and a DER CRL from KDS verify; a CRL revoking the VCEK is CERT_REVOKED', async () => {
  const pki = await snpPki(DEFAULT_SNP);
  const roots: RootStore = { intel: [], amd: [pki.ark.der] };
  const serve = async (revoked: string[]) => {
    kds.kds.set(CHAIN_PATH, { body: pki.ask.pem + pki.ark.pem, type: 'application/x-pem-file' });
    kds.kds.set(VCEK_PATH, { body: pki.vek.der, type: 'application/octet-stream' });
    kds.kds.set(CRL_PATH, {
      body: await issueCrl(pki.ark, { thisUpdate: new Date(SNP_AT.getTime() - day), nextUpdate: new Date(SNP_AT.getTime() + 30 * day), revoked }),
      type: 'application/pkix-crl',
    });
  };
  await serve([]);
  const cache = newCache();
  const r = await fetchKds(pki.report, { product: 'Milan', roots, at: SNP_AT, cache });
  assert.deepEqual(r.errors, []);
  assert.ok(await cache.get(`${kds.base}${CHAIN_PATH}`), 'a chain to the pinned ARK is cached');
  assert.deepEqual(
    r.files.map((f) => f.name.split(' ')[0]),
    ['cert-chain', 'vcek', 'amd-crl'],
  );
  const v = await createVerifier({ roots }).verify(pki.report, r.files, { at: SNP_AT });
  assert.equal(v.verdict, 'verified', JSON.stringify(v.errors));
  assert.equal(status(v, 'snp.crl'), 'pass');
  await serve([pki.vek.serialHex]);
  const revoked = await fetchKds(pki.report, { product: 'Milan', roots, at: SNP_AT });
  const rv = await createVerifier({ roots }).verify(pki.report, revoked.files, { at: SNP_AT });
  assert.equal(rv.errors[0]?.code, 'CERT_REVOKED', JSON.stringify(rv.errors));
});

test('a chain from "KDS" with the right names but other keys is not trusted: CERT_CHAIN_INVALID', async () => {
  const pki = await snpPki(DEFAULT_SNP);
  const validity = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
  const ark = await issueCert({ cn: 'ARK-Milan', key: await newKey(), serial: '0a', ca: true, ...validity });
  const ask = await issueCert({ cn: 'SEV-Milan', key: await newKey(), issuer: ark, serial: '0b', ca: true, ...validity });
  kds.kds.set(CHAIN_PATH, { body: ask.pem + ark.pem, type: 'application/x-pem-file' });
  kds.kds.set(VCEK_PATH, { body: pki.vek.der, type: 'application/pkix-cert' });
  const roots: RootStore = { intel: [], amd: [pki.ark.der] };
  const cache = newCache();
  const r = await fetchKds(pki.report, { product: 'Milan', roots, at: SNP_AT, cache });
  assert.equal(r.files.length, 2, 'the fetcher hands the chain to the verifier, which judges it');
  assert.equal(await cache.get(`${kds.base}${CHAIN_PATH}`), undefined, 'a chain that does not lead to a pinned ARK is never cached');
  assert.ok(await cache.get(`${kds.base}${VCEK_PATH}`));
  const v = await createVerifier({ roots }).verify(pki.report, r.files, { at: SNP_AT });
  assert.equal(v.errors[0]?.code, 'CERT_CHAIN_INVALID', JSON.stringify(v.errors));
  assert.equal(v.cryptoValid, false);
});

test('a VLEK report: no VCEK request, the VLEK CRL path, and COLLATERAL_MISSING naming the cloud provider', async () => {
  const from = kds.requests.length;
  const none = await fetchKds(VLEK_REPORT, { at: new Date('2025-06-01T00:00:00Z') });
  assert.deepEqual(asked(from), ['/vlek/v1/Milan/crl']);
  assert.deepEqual(
    none.errors.map((e) => e.code),
    ['COLLATERAL_MISSING', 'FETCH_FAILED'],
  );
  assert.match(none.notes[0]!, /signed with a VLEK, which the cloud provider supplies/);
  assert.match(none.notes[1]!, /\/vlek\/v1\/Milan\/crl: 404 Not Found \(AMD KDS has no VLEK CRL for Milan/);
  const verifier = createVerifier();
  const missing = await verifier.verify(VLEK_REPORT, none.files, { at: new Date('2025-06-01T00:00:00Z') });
  assert.equal(missing.errors[0]?.code, 'COLLATERAL_MISSING');
  assert.match(missing.errors[0]!.message, /from the cloud provider/);
  const vlek = [{ name: 'vlek.der', bytes: VLEK_CERT }];
  const roots = amdRoots('ARK-Milan');
  const withVlek = await fetchKds(VLEK_REPORT, { at: new Date('2025-06-01T00:00:00Z'), supplied: verifier.loadCollateral(vlek), roots });
  assert.deepEqual(
    withVlek.errors.map((e) => e.code),
    ['FETCH_FAILED'],
    'only the CRL is missing now',
  );
  assert.equal(withVlek.files[0]?.name, `cert-chain (${kds.base}/vlek/v1/Milan/cert_chain)`, 'the ASVK chain, not the ASK one');
  const v = await createVerifier({ roots }).verify(VLEK_REPORT, [...vlek, ...withVlek.files], { at: new Date('2025-06-01T00:00:00Z') });
  assert.equal(v.verdict, 'verified', JSON.stringify(v.errors));
  assert.match(v.checks.find((c) => c.id === 'snp.vek.chain')!.explain, /SEV-VLEK-Milan/);
});

test("Turin: the request carries the 8-byte hwID and fmcSPL, and KDS's 404 is explained in KDS terms", async () => {
  const report = MILAN.slice();
  report[0] = 3;
  report.set([0x1a, 0x02, 0x00], 0x188);
  report.set([1, 2, 3, 4, 0, 0, 0, 9], 0x180);
  report.fill(0, 0x1a0, 0x1e0);
  report.set([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88], 0x1a0);
  const from = kds.requests.length;
  const r = await fetchKds(report);
  assert.deepEqual(asked(from), ['/vcek/v1/Turin/1122334455667788?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=9', '/vcek/v1/Turin/crl']);
  assert.equal(r.errors[0]?.code, 'FETCH_FAILED');
  assert.match(
    r.notes[0]!,
    /404 Not Found \(AMD KDS has no VCEK for this chip ID and TCB: the chip ID or reported TCB may be wrong, .*or the platform's TCB is newer than KDS knows/,
  );
});

test('429 from KDS: Retry-After is honoured and the second answer used; a KDS that keeps refusing is FETCH_FAILED in KDS terms', async () => {
  kds.faults.set(VCEK_PATH, '429-once-slow');
  const from = kds.requests.length;
  const started = performance.now();
  const r = await fetchKds(MILAN, { product: 'Milan' });
  assert.ok(performance.now() - started >= 900, 'waited the Retry-After second');
  assert.deepEqual(asked(from).slice(0, 2), [VCEK_PATH, VCEK_PATH]);
  assert.equal(r.files[0]?.name.split(' ')[0], 'vcek');
  kds.faults.set(VCEK_PATH, '429-always');
  const refused = await fetchKds(MILAN, { product: 'Milan' });
  const err = refused.errors.find((e) => e.detail.status === 429);
  assert.equal(err?.code, 'FETCH_FAILED');
  assert.match(err!.message, /429 Too Many Requests: AMD KDS limits how often one client may ask/);
  assert.equal(refused.files.length, 0);
});

test('garbage, the wrong item, oversized, 500 and hanging answers: typed errors, nothing cached, a cached copy kept byte for byte', async () => {
  const pki = await snpPki(DEFAULT_SNP);
  kds.kds.set(CRL_PATH, {
    body: await issueCrl(pki.ark, { thisUpdate: new Date(MILAN_AT.getTime() - day), nextUpdate: new Date(MILAN_AT.getTime() + day), revoked: [] }),
    type: 'application/pkix-crl',
  });
  const later = new Date(MILAN_AT.getTime() + 2 * day);
  const cases: [Fault, string, RegExp][] = [
    ['garbage', 'MALFORMED_COLLATERAL', /something other than a CRL/],
    ['huge', 'FETCH_FAILED', /larger than 1048576 bytes/],
    ['500', 'FETCH_FAILED', /HTTP 500/],
    ['hang', 'FETCH_FAILED', /no (complete )?answer within/],
  ];
  for (const [fault, code, message] of cases) {
    const cache = newCache();
    await fetchKds(MILAN, { product: 'Milan', cache });
    const before = Object.fromEntries(readdirSync(cache.dir).map((f) => [f, readFileSync(join(cache.dir, f), 'utf8')]));
    kds.faults.set(CRL_PATH, fault);
    const r = await fetchKds(MILAN, { product: 'Milan', cache, at: later, timeoutMs: 600 });
    kds.faults.delete(CRL_PATH);
    const err = r.errors.find((e) => String(e.detail.url).endsWith('/crl'));
    assert.equal(err?.code, code, `${fault}: ${r.notes.join(' | ')}`);
    assert.match(err!.message, message);
    assert.match(err!.message, /\(using the expired cached copy\)$/, `${fault}: the old copy still serves`);
    assert.equal(r.files.filter((f) => f.name.startsWith('amd-crl')).length, 1);
    assert.deepEqual(
      Object.fromEntries(readdirSync(cache.dir).map((f) => [f, readFileSync(join(cache.dir, f), 'utf8')])),
      before,
      `${fault}: the cache is unharmed`,
    );
  }
  const wrong: [string, Uint8Array | string, RegExp][] = [
    [CRL_PATH, pki.vek.der, /other than a CRL: 0 CRLs and 1 certificates/],
    [VCEK_PATH, await issueCrl(pki.ark, { thisUpdate: MILAN_AT, nextUpdate: later, revoked: [] }), /other than a VCEK certificate/],
    [
      CRL_PATH,
      await issueCrl(await issueCert({ cn: 'ARK-Genoa', key: await newKey(), serial: '01', ca: true, notBefore: MILAN_AT, notAfter: later }), {
        thisUpdate: MILAN_AT,
        nextUpdate: later,
        revoked: [],
      }),
      /issued by "ARK-Genoa", not ARK-Milan/,
    ],
    [CHAIN_PATH, pki.ark.pem, /\[ARK-Milan\], expected \[SEV-Milan, ARK-Milan\]/],
    [CHAIN_PATH, readFileSync(`${VECTORS_DIR}roots/amd-milan-vlek-asvk-ark.pem`, 'utf8'), /\[SEV-VLEK-Milan, ARK-Milan\], expected \[SEV-Milan, ARK-Milan\]/],
  ];
  for (const [path, body, message] of wrong) {
    kds.kds.set(path, { body, type: 'application/octet-stream' });
    const cache = newCache();
    const r = await fetchKds(MILAN, { product: 'Milan', cache, roots: amdRoots('ARK-Milan') });
    kds.kds.delete(path);
    const err = r.errors.find((e) => e.detail.url === kds.base + path);
    assert.equal(err?.code, 'MALFORMED_COLLATERAL', `${path}: ${r.notes.join(' | ')}`);
    assert.match(err!.message, message);
    assert.equal(await cache.get(kds.base + path), undefined, 'not cached');
  }
});

test('supplied items are not fetched; offline serves only the cache and says what is missing', async () => {
  const from = kds.requests.length;
  const verifier = createVerifier();
  const pki = await snpPki(DEFAULT_SNP);
  const crl = await issueCrl(pki.ark, { thisUpdate: MILAN_AT, nextUpdate: MILAN_AT, revoked: [] });
  const supplied = verifier.loadCollateral([
    { name: 'vcek.der', bytes: vectorBytes('snp/trustee-milan-vcek.vcek.der') },
    { name: 'crl.der', bytes: crl },
  ]);
  assert.deepEqual(await fetchKds(MILAN, { product: 'Milan', supplied }), { files: [], notes: [], errors: [] });
  const cold = await fetchKds(MILAN, { product: 'Milan', offline: true });
  assert.deepEqual(asked(from), [], 'no request at all');
  assert.deepEqual(
    cold.errors.map((e) => e.code),
    ['COLLATERAL_MISSING', 'COLLATERAL_MISSING'],
  );
  assert.match(cold.notes[0]!, /^offline: VCEK not in the cache: https:\/\/127\.0\.0\.1:\d+\/vcek\/v1\/Milan\//);
});

test('tee-inspect verify: KDS through the CLI, and collateral export / import carries the KDS items to an air-gapped machine', async () => {
  const { runCli, runCliJson } = await import('../support/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'tee-kds-cli-'));
  writeFileSync(join(dir, 'ca.pem'), kds.ca);
  writeFileSync(join(dir, 'vlek.report'), VLEK_REPORT);
  writeFileSync(join(dir, 'vlek.der'), VLEK_CERT);
  const net = ['--kds-url', kds.base, '--ca-file', join(dir, 'ca.pem')];
  const vlekArgs = ['verify', join(dir, 'vlek.report'), '--at', '2025-06-01T00:00:00Z', ...net, '--cache-dir', join(dir, 'vlek-cache')];
  const from = kds.requests.length;
  const noVlek = await runCliJson(vlekArgs);
  assert.equal(noVlek.code, 1);
  assert.equal(noVlek.json.errors[0].code, 'COLLATERAL_MISSING');
  assert.match(noVlek.err, /collateral: the report is signed with a VLEK, which the cloud provider supplies/);
  assert.ok(
    asked(from).every((p) => p.startsWith('/vlek/')),
    asked(from).join(' '),
  );
  assert.equal((await runCliJson([...vlekArgs, '--collateral', join(dir, 'vlek.der')])).json.verdict, 'verified');

  const milan = ['verify', `${VECTORS_DIR}snp/trustee-milan-vcek.report`, '--product', 'Milan', '--at', MILAN_AT.toISOString(), '--kds-url', kds.base];
  assert.equal((await runCliJson([...milan, '--ca-file', join(dir, 'ca.pem'), '--cache-dir', join(dir, 'online')])).json.verdict, 'verified');
  assert.equal((await runCli(['collateral', 'export', join(dir, 'bundle.json'), '--cache-dir', join(dir, 'online')])).code, 0);
  assert.equal((await runCli(['collateral', 'import', join(dir, 'bundle.json'), '--cache-dir', join(dir, 'airgap')])).code, 0);
  const before = kds.requests.length;
  const offline = await runCliJson([...milan, '--offline', '--cache-dir', join(dir, 'airgap')]);
  assert.equal(kds.requests.length, before, 'no request');
  assert.equal(offline.json.verdict, 'verified', 'the VCEK came with the bundle');
  assert.match(offline.err, /offline: VCEK CRL for Milan not in the cache/);
});
