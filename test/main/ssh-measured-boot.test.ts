import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { standInSysfs, SYSFS_PATHS } from '../support/stand-in-sysfs.js';
import { standInTpm } from '../support/stand-in-tpm2.js';
import { KnownHosts, fingerprint } from '../../main/ssh/known-hosts.js';
import { TSM_COLLECTOR } from '../../main/ssh/collector.js';
import { acquireEvidence } from '../../main/acquire/evidence.js';
import type { AcquireEvidenceOptions } from '../../main/acquire/evidence.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd();
});
after(() => sshd?.stop());

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const TDX_QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const CCEL = { table: vectorBytes('eventlog/gotdx-ccel-table.bin'), data: vectorBytes('eventlog/gotdx-ccel-data.bin') };
const TPM_LOG = new Uint8Array(readFileSync(`${FIXTURES}go-eventlog/rhel8-uefi.bin`));
const SNP_HCL = vectorBytes('azure/snp-milan-hcl-report.bin');
const TDX_HCL = new Uint8Array(readFileSync(`${FIXTURES}azure-cvm-tooling/hcl-report-tdx.bin`));
const QUOTE_JSON = JSON.parse(readFileSync(`${VECTORS_DIR}azure/snp-milan-tpm-quote.json`, 'utf8')) as { signature: string; message: string; pcrs: string[] };
const QUOTE_FILES = {
  message: Buffer.from(QUOTE_JSON.message, 'hex'),
  signature: Buffer.from(QUOTE_JSON.signature, 'hex'),
  pcrs: Buffer.concat(QUOTE_JSON.pcrs.map((p) => Buffer.from(p, 'hex'))),
};
/** Nothing listens on port 9 of the loopback host: IMDS is unreachable unless a test serves it. */
const NO_IMDS = 'http://127.0.0.1:9';

async function acquire(env: Record<string, string>, more: Partial<AcquireEvidenceOptions> & { collector?: string } = {}) {
  const knownHosts = new KnownHosts();
  await knownHosts.trust('127.0.0.1', sshd.port, fingerprint(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64')));
  const { collector, ...o } = more;
  const source = {
    kind: 'ssh' as const,
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.identityFile,
    ...(collector ? { collector } : {}),
  };
  return acquireEvidence(source, { knownHosts, env: { AZURE_IMDS: NO_IMDS, AZURE_HCL_WAIT: '0', ...env }, ...o });
}

/** A prepared configfs-tsm report entry holding `outblob`, writable by any user (the unprivileged run). */
function tsmEntry(outblob: Uint8Array, provider: string): string {
  const entry = mkdtempSync(join(tmpdir(), 'tsm-mb-'));
  writeFileSync(join(entry, 'outblob'), outblob);
  writeFileSync(join(entry, 'generation'), '1\n');
  writeFileSync(join(entry, 'provider'), `${provider}\n`);
  writeFileSync(join(entry, 'inblob'), '');
  chmodSync(entry, 0o777);
  chmodSync(join(entry, 'inblob'), 0o666);
  return entry;
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

test('TDX guest: the CCEL log (real go-tdx-guest vector) comes back as an eventlog attachment beside the quote', { skip }, async () => {
  const entry = tsmEntry(TDX_QUOTE, 'tdx_guest');
  const sys = standInSysfs({ ccel: CCEL });
  const got = await acquire({ TSM_ROOT: entry, TSM_ENTRY: entry, SYSFS_ROOT: sys });
  assert.deepEqual(got.evidence, TDX_QUOTE);
  assert.equal(got.provider, 'tdx_guest');
  assert.deepEqual(
    got.attachments.map((a) => [a.role, a.name]),
    [['eventlog', `CCEL event log (${sys}/${SYSFS_PATHS.ccelData})`]],
  );
  assert.deepEqual(got.attachments[0]!.bytes, CCEL.data, 'the 256 KiB log area byte for byte');
  assert.deepEqual(got.notes, [], 'the table declares exactly this log area; nothing is missing');
});

test('a TDX guest without CCEL and a TPM whose log is absent: both said in words', { skip }, async () => {
  const entry = tsmEntry(TDX_QUOTE, 'tdx_guest');
  const sys = standInSysfs({ tpm: true });
  const got = await acquire({ TSM_ROOT: entry, TSM_ENTRY: entry, SYSFS_ROOT: sys });
  assert.deepEqual(got.attachments, []);
  assert.deepEqual(got.notes, [
    'no CCEL table: not a TDX guest or the kernel does not expose it',
    `TPM event log: ${sys}/${SYSFS_PATHS.tpmLog} does not exist (the kernel exposes no event log there; is securityfs mounted?)`,
  ]);
});

test('the collector run as an unprivileged user: permission denied on the root-only logs, named with what to do', { skip }, async () => {
  const entry = tsmEntry(TDX_QUOTE, 'tdx_guest');
  const sys = standInSysfs({ ccel: CCEL, tpmLog: TPM_LOG });
  // The real default collector, started as nobody (sshd runs as root here): the kernel's 0400/0440 modes then deny.
  const collector = `setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ${shellQuote(TSM_COLLECTOR)}`;
  const got = await acquire({ TSM_ROOT: entry, TSM_ENTRY: entry, SYSFS_ROOT: sys }, { collector });
  assert.deepEqual(got.evidence, TDX_QUOTE, 'the report still comes back');
  assert.deepEqual(got.attachments, []);
  assert.deepEqual(got.notes, [
    `CCEL event log: permission denied reading ${sys}/${SYSFS_PATHS.ccelData} (run the collector as root)`,
    `TPM event log: permission denied reading ${sys}/${SYSFS_PATHS.tpmLog} (run the collector as root)`,
  ]);
  assert.deepEqual(new Uint8Array(readFileSync(join(entry, 'inblob'))), got.nonce, 'the nonce reached inblob');
});

/** A stand-in Azure IMDS on the loopback host: THIM (GET) and the TD quote service (POST), Metadata: true required. */
async function startImds(
  answer: (req: IncomingMessage, body: string) => { status: number; body: string },
): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} metadata=${String(req.headers.metadata)}`);
      const a = req.headers.metadata === 'true' ? answer(req, body) : { status: 400, body: 'Metadata header missing' };
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server, seen };
}

test('Azure SNP CVM: HCL report (nonce written to 0x01400002 first), vTPM quote over the nonce, TPM log, VCEK from THIM', { skip }, async () => {
  const vcekPem = readFileSync(`${VECTORS_DIR}azure/snp-milan-vcek.pem`, 'utf8');
  const imds = await startImds((req) =>
    req.url === '/metadata/THIM/amd/certification'
      ? { status: 200, body: JSON.stringify({ vcekCert: vcekPem, certificateChain: '', tcbm: '0' }) }
      : { status: 404, body: '' },
  );
  try {
    const tpm = standInTpm({ hcl: SNP_HCL, quote: QUOTE_FILES });
    const sys = standInSysfs({ tpmLog: TPM_LOG, vendor: 'Microsoft Corporation' });
    const got = await acquire({ SYSFS_ROOT: sys, PATH: `${tpm.bin}:${process.env.PATH}`, AZURE_IMDS: imds.url, TSM_ROOT: join(sys, 'no-tsm') });
    assert.equal(got.provider, 'azure-snp-vtpm');
    assert.deepEqual(got.evidence, SNP_HCL, 'the HCL report is the evidence');
    assert.deepEqual(
      got.attachments.map((a) => [a.role, a.name]),
      [
        ['eventlog', `TPM event log (${sys}/${SYSFS_PATHS.tpmLog})`],
        ['tpm-quote', 'vTPM quote (AK 0x81000003, SHA-256 PCRs 0-23)'],
      ],
    );
    assert.deepEqual(got.attachments[0]!.bytes, TPM_LOG);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(got.attachments[1]!.bytes)), QUOTE_JSON, 'decoded into the --tpm-quote JSON');
    assert.deepEqual(
      got.collateral.map((c) => c.name),
      ['VCEK and AMD chain (Azure IMDS THIM)'],
      'AMD certificates from the target are kept',
    );
    assert.deepEqual(got.notes, [], 'nothing missing; no CCEL on SNP is not worth a note');
    const nonceHex = Buffer.from(got.nonce!).toString('hex');
    assert.equal(readFileSync(join(tpm.state, 'quote-q'), 'utf8'), nonceHex, 'tpm2_quote -q got the fresh nonce');
    assert.deepEqual(new Uint8Array(readFileSync(join(tpm.state, 'nv-0x01400002'))), got.nonce, 'the nonce is the HCL report data');
    const calls = readFileSync(join(tpm.state, 'calls'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    assert.deepEqual(
      calls,
      ['tpm2_nvread', 'tpm2_nvwrite', 'tpm2_nvundefine', 'tpm2_nvdefine', 'tpm2_nvwrite', 'tpm2_nvread', 'tpm2_quote'],
      'define-then-write on a fresh vTPM, then read the new report',
    );
    assert.deepEqual(imds.seen, ['GET /metadata/THIM/amd/certification metadata=true']);
  } finally {
    imds.server.close();
  }
});

test('Azure TDX CVM: the TDREPORT from the HCL report goes to IMDS, the TD quote comes back; tpm2_quote absent is named', { skip }, async () => {
  let posted = '';
  const imds = await startImds((req, body) => {
    posted = body;
    return req.method === 'POST' && req.url === '/acc/tdquote'
      ? { status: 200, body: JSON.stringify({ quote: Buffer.from(TDX_QUOTE).toString('base64url') }) }
      : { status: 404, body: '' };
  });
  try {
    const tpm = standInTpm({ hcl: TDX_HCL, tools: ['tpm2_nvread', 'tpm2_nvwrite', 'tpm2_nvdefine', 'tpm2_nvundefine'] });
    const sys = standInSysfs({ tpm: true, vendor: 'Microsoft Corporation' });
    const got = await acquire({ SYSFS_ROOT: sys, PATH: `${tpm.bin}:${process.env.PATH}`, AZURE_IMDS: imds.url, TSM_ROOT: join(sys, 'no-tsm') });
    assert.equal(got.provider, 'azure-tdx-vtpm');
    assert.deepEqual(got.evidence, TDX_HCL);
    assert.deepEqual(
      JSON.parse(posted),
      { report: Buffer.from(TDX_HCL.subarray(32, 32 + 1024)).toString('base64url') },
      'the 1024-byte TDREPORT at 0x20, base64url',
    );
    assert.deepEqual(got.attachments.find((a) => a.role === 'td-quote')?.bytes, TDX_QUOTE);
    assert.deepEqual(got.notes, [
      'vTPM quote: tpm2_quote not installed (apt install tpm2-tools)',
      'no CCEL table: not a TDX guest or the kernel does not expose it',
      `TPM event log: ${sys}/${SYSFS_PATHS.tpmLog} does not exist (the kernel exposes no event log there; is securityfs mounted?)`,
    ]);
  } finally {
    imds.server.close();
  }
});

test('Azure, the vTPM refusing this user and IMDS unreachable: the collector says why it found no evidence', { skip }, async () => {
  const tpm = standInTpm({ hcl: SNP_HCL, denied: true });
  const sys = standInSysfs({ tpm: true, vendor: 'Microsoft Corporation' });
  await assert.rejects(
    acquire({ SYSFS_ROOT: sys, PATH: `${tpm.bin}:${process.env.PATH}`, TSM_ROOT: join(sys, 'no-tsm') }),
    /a Microsoft VM with a TPM, but tpm2_nvread could not read the HCL report \(NV index 0x01400001\): .*Permission denied/,
  );
  const none = standInSysfs({ tpm: true, vendor: 'Microsoft Corporation' });
  await assert.rejects(
    acquire({ SYSFS_ROOT: none, PATH: `${standInTpm({ tools: [] }).bin}:${process.env.PATH}`, TSM_ROOT: join(none, 'no-tsm') }),
    /no tpm2_nvread \(apt install tpm2-tools\)/,
  );
  // The HCL report reads but the nonce cannot be written, and THIM is down: evidence with the reasons beside it.
  const stale = standInTpm({ hcl: SNP_HCL, quote: QUOTE_FILES, tools: ['tpm2_nvread', 'tpm2_quote'] });
  const got = await acquire({ SYSFS_ROOT: sys, PATH: `${stale.bin}:${process.env.PATH}`, TSM_ROOT: join(sys, 'no-tsm') });
  assert.deepEqual(got.evidence, SNP_HCL);
  assert.equal(
    got.notes[0],
    'Azure HCL report: tpm2_nvwrite not installed: the nonce was not written to NV index 0x01400002, so the HCL report is the one made at boot, not bound to this nonce',
  );
  assert.match(
    got.notes[1]!,
    /^Azure VCEK: IMDS http:\/\/127\.0\.0\.1:9\/metadata\/THIM\/amd\/certification failed \(curl: \(7\).*\); the VCEK must come from AMD KDS or your files$/,
  );
});

test('end to end through the pipeline: the collected CCEL replays to the quote RTMRs; a tampered log on the target fails the replay', { skip }, async () => {
  const { runPipeline, pipelineReport } = await import('../../main/pipeline/pipeline.js');
  const { createVerifier } = await import('../../app/verifier.js');
  const verifier = createVerifier();
  const noFill = async (_d: unknown, files: { name: string; bytes: Uint8Array }[]) => ({ files, notes: [] });
  const run = async (data: Uint8Array) => {
    const entry = tsmEntry(TDX_QUOTE, 'tdx_guest');
    // The recorded quote carries go-tdx-guest's nonce, not a fresh one: acquired without a nonce, checked against its own.
    const got = await acquire({ TSM_ROOT: entry, TSM_ENTRY: entry, SYSFS_ROOT: standInSysfs({ ccel: { ...CCEL, data } }) }, { nonce: false });
    const request = {
      evidence: { name: got.source, bytes: got.evidence },
      collateral: got.collateral,
      attachments: got.attachments,
      nonce: vectorBytes('eventlog/gotdx-nonce.bin'),
      at: new Date('2024-07-03T00:00:00Z'),
      offline: true,
    };
    const out = await runPipeline(verifier, noFill, request);
    return { out, report: pipelineReport(out, request, new Date('2024-07-03T00:00:00Z')) };
  };
  const honest = await run(CCEL.data);
  assert.equal(honest.out.result.checks.find((c) => c.id === 'eventlog.replay')?.status, 'pass');
  assert.ok(
    honest.report.inputs.some((i) => i.role === 'eventlog' && i.bytes === CCEL.data.length),
    'the collected log is an input of the report',
  );
  const tampered = CCEL.data.slice();
  tampered[84] = tampered[84]! ^ 0xff; // the second event's SHA-384 digest (header 32 + Spec ID 33 + 14)
  const bad = await run(tampered);
  assert.equal(bad.out.result.checks.find((c) => c.id === 'eventlog.replay')?.status, 'fail', 'a changed event no longer replays to the signed RTMRs');
});
