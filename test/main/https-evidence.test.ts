import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { startHttps } from '../support/https-server.js';
import { vectorBytes, VECTORS_DIR } from '../support/vectors.js';
import { runCli, runCliJson } from '../support/cli.js';
import { acquireEvidence } from '../../main/acquire/evidence.js';
import { parseSourceUrl } from '../../app/acquire/target.js';
import { KnownHosts } from '../../main/ssh/known-hosts.js';
import { createVerifier } from '../../app/verifier.js';
import { TeeError } from '../../app/errors.js';
import { build } from '../synthetic/scenario.js';
import { snpEvidenceJson } from '../support/snp-evidence-json.js';
import { AT } from '../synthetic/test-pki.js';

/**
 * Evidence over HTTPS through the three adapters, against a local TLS server with a throwaway CA: the
 * CoCo attestation agent's /aa/evidence, the dstack guest agent's /GetQuote and a URL template. Real
 * vectors for the answers; synthetic quotes (test PKI) where the quote must carry the nonce we sent.
 */
const quote = vectorBytes('tdx/dcapqvl-v4.quote');
const collateral = `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`;
const at = '2025-07-19T10:00:34Z';
const dir = mkdtempSync(join(tmpdir(), 'tee-https-'));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const json = (res: ServerResponse, doc: unknown) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end(JSON.stringify(doc)));

const servers: { close(): Promise<void> }[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function server(handler: Parameters<typeof startHttps>[0]) {
  const s = await startHttps(handler);
  servers.push(s);
  const caFile = join(dir, `ca-${servers.length}.pem`);
  writeFileSync(caFile, s.ca);
  return { ...s, caFile };
}
const offline = ['--offline', '--cache-dir', join(dir, 'cache'), '--at', at, '--collateral', collateral];

test('coco-aa: the nonce goes out as runtime_data (URL-safe base64, encoding=base64) and must come back in REPORT_DATA', async () => {
  const aa = await server((_req, res) => res.end(JSON.stringify({ cc_eventlog: null, quote: b64(quote), aa_eventlog: null })));
  const r = await runCliJson(['verify', `${aa.base}/aa/evidence`, '--adapter', 'coco-aa', '--ca-file', aa.caFile, ...offline]);
  const asked = new URL(aa.requests[0]!.url, aa.base);
  assert.equal(asked.pathname, '/aa/evidence');
  assert.equal(asked.searchParams.get('encoding'), 'base64');
  assert.equal(Buffer.from(asked.searchParams.get('runtime_data')!, 'base64url').length, 64);
  // The recorded quote cannot carry our fresh nonce: a replayed quote is rejected.
  assert.equal(r.code, 1);
  assert.equal(r.json.verdict, 'rejected');
  assert.equal(r.json.cryptoValid, true);
  assert.ok(r.json.errors.some((e: { code: string }) => e.code === 'NONCE_MISMATCH'));
  assert.match(r.err, /evidence from https:\/\/127\.0\.0\.1:\d+\/aa\/evidence in \d+ ms, bound to a fresh 64-byte nonce/);
});

test('coco-aa with --no-nonce: the recorded TDX quote verifies (and the base URL alone finds /aa/evidence)', async () => {
  const aa = await server((_req, res) => res.end(JSON.stringify({ cc_eventlog: null, quote: b64(quote) })));
  const r = await runCli(['verify', aa.base, '--adapter', 'coco-aa', '--no-nonce', '--ca-file', aa.caFile, ...offline]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /VERIFIED/i);
  assert.equal(new URL(aa.requests[0]!.url, aa.base).pathname, '/aa/evidence');
  assert.match(r.err, /without a nonce/);
});

test('coco-aa end to end with a quote that does carry the nonce: verified, and a different nonce is rejected', async () => {
  let pkiRoot: Uint8Array | undefined;
  let built: Awaited<ReturnType<typeof build>> | undefined;
  const aa = await server(async (req, res) => {
    const runtime = Buffer.from(new URL(req.url!, 'https://x').searchParams.get('runtime_data')!, 'base64url');
    built = await build({ kind: 'tdx-v4', td: { reportData: new Uint8Array(runtime) } });
    pkiRoot = built.pki.root.der;
    res.end(JSON.stringify({ cc_eventlog: null, quote: b64(built.evidence) }));
  });
  const got = await acquireEvidence(parseSourceUrl(aa.base, { adapter: 'coco-aa' }), { knownHosts: new KnownHosts(), ca: aa.ca });
  const verifier = createVerifier({ roots: { intel: [pkiRoot!] } });
  const ok = await verifier.verify(got.evidence, built!.collateral, { at: AT, nonce: got.nonce! });
  assert.equal(ok.verdict, 'verified', JSON.stringify(ok.errors));
  assert.equal(ok.checks.find((c) => c.id === 'dcap.nonce')?.status, 'pass');
  const other = await verifier.verify(got.evidence, built!.collateral, { at: AT, nonce: new Uint8Array(64).fill(7) });
  assert.ok(other.errors.some((e) => e.code === 'NONCE_MISMATCH'));
});

test("coco-aa SEV-SNP: the agent's attestation_report JSON with its cert_chain verifies without --collateral", async () => {
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
  const aa = await server((_req, res) => res.end(snpEvidenceJson(report, [{ cert_type: 'VCEK', data: Array.from(vcek) }])));
  const r = await runCliJson([
    'verify',
    aa.base,
    '--adapter',
    'coco-aa',
    '--no-nonce',
    '--ca-file',
    aa.caFile,
    '--offline',
    '--cache-dir',
    join(dir, 'cache'),
    '--at',
    '2024-07-03T13:10:40Z',
  ]);
  assert.equal(r.json.technology, 'sev-snp');
  assert.equal(r.json.checks.find((c: { id: string }) => c.id === 'snp.report.signature').status, 'pass');
  assert.equal(r.json.checks.find((c: { id: string }) => c.id === 'snp.vek.chain').status, 'pass');
});

test('dstack: GET /GetQuote?report_data=HEX (64 bytes), hex quote in the JSON answer', async () => {
  const ds = await server((_req, res) => json(res, { quote: Buffer.from(quote).toString('hex'), event_log: '[]', report_data: '00', vm_config: '{}' }));
  const r = await runCliJson(['verify', ds.base, '--adapter', 'dstack', '--ca-file', ds.caFile, ...offline]);
  const asked = new URL(ds.requests[0]!.url, ds.base);
  assert.equal(asked.pathname, '/GetQuote');
  assert.match(asked.searchParams.get('report_data')!, /^[0-9a-f]{128}$/);
  assert.ok(r.json.errors.some((e: { code: string }) => e.code === 'NONCE_MISMATCH'));
  const plain = await runCli(['verify', ds.base, '--adapter', 'dstack', '--no-nonce', '--ca-file', ds.caFile, ...offline]);
  assert.equal(plain.code, 0, plain.out + plain.err);
});

test('template: {nonce} becomes hex; a URL with {nonce} needs no --adapter; the body may be base64 text', async () => {
  const t = await server((_req, res) => res.end(b64(quote)));
  const r = await runCliJson(['verify', `${t.base}/quote?n={nonce}`, '--ca-file', t.caFile, ...offline]);
  assert.match(new URL(t.requests[0]!.url, t.base).searchParams.get('n')!, /^[0-9a-f]{128}$/);
  assert.ok(r.json.errors.some((e: { code: string }) => e.code === 'NONCE_MISMATCH'));
});

test("TLS is verified: without the endpoint's CA the fetch fails (FETCH_FAILED), nothing is verified", async () => {
  const t = await server((_req, res) => res.end(b64(quote)));
  const r = await runCliJson(['verify', `${t.base}/q/{nonce}`, ...offline]);
  assert.equal(r.code, 2);
  assert.equal(r.json.errors[0].code, 'FETCH_FAILED');
  assert.match(r.json.errors[0].message, /SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i);
});

test("bad answers are typed FETCH_FAILED errors: 404 with the agent's text, garbage, wrong shape, oversized, too slow", async () => {
  const s = await server((req, res) => {
    if (req.url!.startsWith('/missing')) return res.writeHead(404).end();
    if (req.url!.startsWith('/err')) return res.writeHead(500).end('attester: tdx report data too long\x00\x01');
    if (req.url!.startsWith('/garbage')) return res.end('<html>hello</html>');
    if (req.url!.startsWith('/shape')) return json(res, { token: 'x' });
    if (req.url!.startsWith('/big')) return res.end(Buffer.alloc(17 * 1024 * 1024, 0x41));
    if (req.url!.startsWith('/slow')) return void setTimeout(() => res.end('late'), 3000);
  });
  const src = (path: string, adapter: string) => parseSourceUrl(`${s.base}${path}`, { adapter });
  const get = (path: string, adapter = 'coco-aa', timeoutMs?: number) =>
    acquireEvidence(src(path, adapter), { knownHosts: new KnownHosts(), ca: s.ca, ...(timeoutMs ? { timeoutMs } : {}) });
  const fails = async (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: unknown) => e instanceof TeeError && e.code === 'FETCH_FAILED' && re.test(e.message));
  await fails(get('/missing/aa/evidence'), /404/);
  await fails(get('/err/aa/evidence'), /HTTP 500: attester: tdx report data too long/);
  await fails(get('/garbage/aa/evidence'), /not the coco-aa agent's JSON evidence/);
  await fails(get('/shape/GetQuote', 'dstack'), /no "quote" \(hex\); keys present: token/);
  await fails(get('/big/{nonce}', 'template'), /larger than/);
  await fails(get('/slow/{nonce}', 'template', 300), /within 300 ms/);
});

test('redirects: at most 3, https only, and a bearer token never follows to another origin', async () => {
  const target = await server((_req, res) => res.end(b64(quote)));
  const hop = await server((req, res) => {
    const n = Number(new URL(req.url!, 'https://x').searchParams.get('hops') ?? 0);
    if (req.url!.startsWith('/plain')) return res.writeHead(302, { location: 'http://127.0.0.1:1/q' }).end();
    if (req.url!.startsWith('/away')) return res.writeHead(307, { location: `${target.base}/q` }).end();
    if (req.url!.startsWith('/same')) return res.writeHead(302, { location: '/final' }).end();
    if (req.url!.startsWith('/final')) return res.end(b64(quote));
    res.writeHead(302, { location: `/loop?hops=${n + 1}` }).end();
  });
  const get = (path: string, ca: string, token?: string) =>
    acquireEvidence(parseSourceUrl(`${hop.base}${path}`, { adapter: 'template' }), {
      knownHosts: new KnownHosts(),
      ca,
      nonce: false,
      ...(token ? { token } : {}),
    });
  await assert.rejects(get('/loop?n={nonce}', hop.ca), /more than 3 redirects/);
  await assert.rejects(get('/plain?n={nonce}', hop.ca), /only https:\/\/ is followed/);
  const same = await get('/same?n={nonce}', hop.ca, 's3cret');
  assert.equal(Buffer.from(same.evidence).toString(), b64(quote));
  assert.equal(hop.requests.at(-1)!.headers.authorization, 'Bearer s3cret');
  const both = `${hop.ca}\n${target.ca}`;
  const away = await get('/away?n={nonce}', both, 's3cret');
  assert.equal(Buffer.from(away.evidence).toString(), b64(quote));
  assert.equal(hop.requests.at(-1)!.headers.authorization, 'Bearer s3cret');
  assert.equal(target.requests.at(-1)!.headers.authorization, undefined);
});

test('target URLs: http:// refused, credentials in URLs refused, unknown or missing adapter named', async () => {
  const bad = async (args: string[], re: RegExp) => {
    const r = await runCliJson(['verify', ...args]);
    assert.equal(r.code, 2);
    assert.equal(r.json.errors[0].code, 'USAGE_ERROR');
    assert.match(r.json.errors[0].message, re);
  };
  await bad(['http://127.0.0.1:1/aa/evidence', '--adapter', 'coco-aa'], /plain http is refused/);
  await bad(['https://user:pw@127.0.0.1:1/x', '--adapter', 'dstack'], /credentials in URLs/);
  await bad(['https://127.0.0.1:1/x'], /--adapter coco-aa\|dstack\|template/);
  await bad(['https://127.0.0.1:1/x', '--adapter', 'soap'], /one of coco-aa, dstack, template/);
  await bad(['https://127.0.0.1:1/x', '--adapter', 'template'], /must hold \{nonce\}/);
  await bad(['https://127.0.0.1:1/x', '--adapter', 'dstack', '--identity', 'k'], /go with an ssh:\/\/ target/);
  await bad(['quote.bin', '--adapter', 'dstack'], /go with an ssh:\/\/ or https:\/\/ target/);
  await bad(['ssh://u@127.0.0.1:1', '--adapter', 'dstack'], /--adapter goes with an https:\/\/ target/);
});

test('an HTTPS answer carrying a collateral bundle: the bundle is dropped with a note, the evidence kept', async () => {
  const { IGNORED_COLLATERAL_NOTE } = await import('../../main/acquire/evidence.js');
  const bundle = vectorBytes('tdx/dcapqvl-v4.collateral.json');
  const s = await server((_req, res) => json(res, { quote: b64(quote), auxblob: b64(bundle) }));
  const got = await acquireEvidence(parseSourceUrl(`${s.base}/q/{nonce}`), { knownHosts: new KnownHosts(), ca: s.ca, nonce: false });
  assert.deepEqual(got.evidence, quote);
  assert.deepEqual(got.collateral, [], 'DCAP collateral comes from PCS, the cache or the user, never the target');
  assert.deepEqual(got.notes, [IGNORED_COLLATERAL_NOTE]);
  const cli = await runCliJson([
    'verify',
    `${s.base}/q/{nonce}`,
    '--no-nonce',
    '--ca-file',
    s.caFile,
    '--offline',
    '--cache-dir',
    join(dir, 'empty-cache'),
    '--at',
    at,
  ]);
  assert.equal(cli.json.errors[0].code, 'COLLATERAL_MISSING', "the target's own collateral did not verify its quote");
  assert.ok(cli.err.includes(IGNORED_COLLATERAL_NOTE), 'the user is told');
});

test("an agent's answer cannot drive the terminal: control characters in its JSON keys are escaped in the error", async () => {
  const s = await server((_req, res) => json(res, { '\u001b[2J\u001b[31mtoken\u202e': 'x' }));
  await assert.rejects(acquireEvidence(parseSourceUrl(`${s.base}/`, { adapter: 'dstack' }), { knownHosts: new KnownHosts(), ca: s.ca }), (e: unknown) => {
    assert.ok(e instanceof TeeError && e.code === 'FETCH_FAILED');
    assert.doesNotMatch(e.message, /[\u001b\u202e]/);
    assert.match(e.message, /keys present: \\x1b\[2J\\x1b\[31mtoken\\u202e/);
    return true;
  });
});

test('--ca-file adds its CA to the system trust store, never replaces it (a CLI run with NODE_EXTRA_CA_CERTS)', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { fileURLToPath } = await import('node:url');
  const system = await server((_req, res) => res.end(b64(quote))); // its CA plays a system root here
  const privateCa = await server((_req, res) => res.end(b64(quote)));
  const cli = fileURLToPath(new URL('../../main/cli.ts', import.meta.url));
  const run = (base: string, ...extra: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'verify', `${base}/q/{nonce}`, '--no-nonce', ...offline, ...extra, '--format', 'json'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: system.caFile },
    }).then(
      (r) => ({ code: 0, json: JSON.parse(r.stdout) }),
      (e: { code: number; stdout: string }) => ({ code: e.code, json: JSON.parse(e.stdout) }),
    );
  const [withCaSystem, withCaPrivate, withoutCaPrivate] = await Promise.all([
    run(system.base, '--ca-file', privateCa.caFile),
    run(privateCa.base, '--ca-file', privateCa.caFile),
    run(privateCa.base),
  ]);
  console.log(JSON.stringify([withCaSystem, withCaPrivate, withoutCaPrivate].map((x) => x.json.errors)));
  assert.equal(withCaSystem.json.verdict, 'verified', `a system-trusted endpoint still verifies with --ca-file: ${JSON.stringify(withCaSystem.json.errors)}`);
  assert.equal(withCaPrivate.json.verdict, 'verified', JSON.stringify(withCaPrivate.json.errors));
  assert.equal(withoutCaPrivate.code, 2);
  assert.equal(withoutCaPrivate.json.errors[0].code, 'FETCH_FAILED', 'the private CA is trusted only when given');
});

test("coco-aa keeps the agent's cc_eventlog as an eventlog attachment; dstack's JSON event log is named in a note", async () => {
  const ccel = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const tdQuote = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
  const aa = await server((_req, res) => json(res, { cc_eventlog: b64(ccel), quote: b64(tdQuote), aa_eventlog: null }));
  const got = await acquireEvidence(parseSourceUrl(aa.base, { adapter: 'coco-aa' }), { knownHosts: new KnownHosts(), ca: aa.ca, nonce: false });
  assert.deepEqual(got.attachments, [{ role: 'eventlog', name: 'CCEL event log (attestation agent cc_eventlog)', bytes: ccel }]);
  assert.deepEqual(got.notes, []);
  const events = [{ imr: 0, event_type: 2147483659, digest: 'aa'.repeat(48), event: '', event_payload: '' }];
  const ds = await server((_req, res) =>
    json(res, { quote: Buffer.from(tdQuote).toString('hex'), event_log: JSON.stringify(events), report_data: '', vm_config: '' }),
  );
  const dsGot = await acquireEvidence(parseSourceUrl(`${ds.base}/`, { adapter: 'dstack' }), { knownHosts: new KnownHosts(), ca: ds.ca, nonce: false });
  assert.deepEqual(dsGot.attachments, []);
  assert.deepEqual(dsGot.notes, [
    "dstack's event_log (1 event) is dstack's JSON list, not a TCG event log: not verified yet, so its events prove nothing here",
  ]);
});
