import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { fetchEvidenceOverSsh } from '../../main/ssh/fetch-evidence.js';
import { KnownHosts, fingerprint } from '../../main/ssh/known-hosts.js';
import { createVerifier } from '../../app/verifier.js';
import { TeeError } from '../../app/errors.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd();
});
after(() => sshd?.stop());

const target = () => ({ host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.identityFile });
const hostKey = () => Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64');
async function pinned(): Promise<KnownHosts> {
  const k = new KnownHosts();
  await k.trust('127.0.0.1', sshd.port, fingerprint(hostKey()));
  return k;
}
const quoteCollector = `base64 -w0 ${VECTORS_DIR}tdx/dcapqvl-v4.quote`;

test('an unknown host key is HOST_KEY_UNKNOWN with its SHA256 fingerprint; nothing runs', { skip }, async () => {
  await assert.rejects(fetchEvidenceOverSsh(target(), { knownHosts: new KnownHosts(), collector: quoteCollector }), (e: unknown) => {
    assert.ok(e instanceof TeeError);
    assert.equal(e.code, 'HOST_KEY_UNKNOWN');
    assert.equal(e.detail.fingerprint, fingerprint(hostKey()));
    assert.match(e.message, /SHA256:[A-Za-z0-9+/]{43}/);
    return true;
  });
});

test('a changed host key is HOST_KEY_CHANGED and refused', { skip }, async () => {
  const k = new KnownHosts();
  await k.trust('127.0.0.1', sshd.port, 'SHA256:' + 'A'.repeat(43));
  await assert.rejects(
    fetchEvidenceOverSsh(target(), { knownHosts: k, collector: quoteCollector }),
    (e: unknown) => e instanceof TeeError && e.code === 'HOST_KEY_CHANGED',
  );
});

test('a pinned host: the collector command serves a real quote, which verifies', { skip }, async () => {
  const out = await fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), collector: quoteCollector });
  const v = { collateral: vectorBytes('tdx/dcapqvl-v4.collateral.json') };
  const r = await createVerifier().verify(out, [{ name: 'c.json', bytes: v.collateral }], { at: new Date('2025-07-19T10:00:34Z') });
  assert.equal(r.verdict, 'verified');
  assert.equal(r.evidence.encoding, 'base64');
});

test('OpenSSH known_hosts import pins the key ([host]:port, plain and hashed)', { skip }, async () => {
  const [type, b64] = sshd.hostKeyPub.split(' ');
  const k = new KnownHosts();
  assert.equal(await k.importOpenSsh(`# comment\n[127.0.0.1]:${sshd.port} ${type} ${b64}\nother.example ${type} AAAA\n`, '127.0.0.1', sshd.port), 1);
  assert.equal(k.check('127.0.0.1', sshd.port, hostKey()), 'known');
  const { createHmac, randomBytes } = await import('node:crypto');
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(`[127.0.0.1]:${sshd.port}`).digest('base64')}`;
  const h = new KnownHosts();
  assert.equal(await h.importOpenSsh(`${hashed} ${type} ${b64}\n`, '127.0.0.1', sshd.port), 1);
});

test('the default configfs-tsm collector: nonce to inblob, outblob back (stand-in tree)', { skip }, async () => {
  const entry = mkdtempSync(join(tmpdir(), 'tsm-entry-'));
  writeFileSync(join(entry, 'outblob'), readFileSync(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`));
  writeFileSync(join(entry, 'generation'), '1\n');
  writeFileSync(join(entry, 'provider'), 'tdx_guest\n');
  const nonce = Uint8Array.from({ length: 64 }, (_, i) => i);
  const out = await fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), nonce, env: { TSM_ROOT: entry, TSM_ENTRY: entry } });
  assert.deepEqual(new Uint8Array(readFileSync(join(entry, 'inblob'))), nonce, 'the nonce reached inblob as 64 raw bytes');
  const doc = JSON.parse(Buffer.from(out).toString('utf8'));
  assert.equal(doc.provider, 'tdx_guest');
  const r = await createVerifier().verify(out, [{ name: 'c.json', bytes: vectorBytes('tdx/dcapqvl-v4.collateral.json') }], {
    at: new Date('2025-07-19T10:00:34Z'),
    nonce,
  });
  assert.equal(r.errors[0]?.code, 'NONCE_MISMATCH', 'a recorded quote cannot carry a fresh nonce');
  const missing = fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), env: { TSM_ROOT: join(entry, 'absent') } });
  await assert.rejects(missing, /no configfs-tsm/);
});

test('collector output and time are bounded', { skip }, async () => {
  await assert.rejects(
    fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), collector: 'head -c 200000 /dev/zero', maxBytes: 100_000 }),
    /more than 100000 bytes/,
  );
  await assert.rejects(fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), collector: 'sleep 5', timeoutMs: 700 }), /no evidence within 700 ms/);
  await assert.rejects(fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), collector: 'exit 7' }), /exited with 7/);
});

test('tee-inspect verify ssh://: unknown key refused with its fingerprint, trusted on confirmation, nonce generated', { skip }, async () => {
  const { runCli, runCliJson } = await import('../support/cli.js');
  const store = join(mkdtempSync(join(tmpdir(), 'tee-hosts-')), 'known-hosts.json');
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
  const common = [
    '--identity',
    sshd.identityFile,
    '--host-key-store',
    store,
    '--collector',
    quoteCollector,
    '--collateral',
    `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`,
    '--at',
    '2025-07-19T10:00:34Z',
  ];
  const unknown = await runCliJson(['verify', url, ...common, '--no-nonce']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.json.errors[0].code, 'HOST_KEY_UNKNOWN');
  const fp = fingerprint(hostKey());
  assert.match(unknown.json.errors[0].message, new RegExp(fp.replace(/[+/]/g, '\\$&')));
  const trusted = await runCliJson(['verify', url, ...common, '--no-nonce', '--trust-host-key', fp]);
  assert.equal(trusted.code, 0, trusted.out);
  assert.equal(trusted.json.verdict, 'verified');
  assert.equal((await runCliJson(['verify', url, ...common, '--no-nonce'])).code, 0, 'the key stays pinned');
  const withNonce = await runCliJson(['verify', url, ...common]);
  assert.equal(withNonce.json.errors[0].code, 'NONCE_MISMATCH', 'a fresh nonce is required in REPORT_DATA; a recorded quote cannot have it');
  assert.equal((await runCli(['verify', `${VECTORS_DIR}tdx/dcapqvl-v4.quote`, '--no-nonce'])).code, 2, 'ssh options need an ssh:// target');
});

test('configfs-tsm on SEV-SNP: the auxblob certificate table comes back as collateral and verifies the report without AMD KDS', { skip }, async () => {
  const { acquireEvidence } = await import('../../main/acquire/evidence.js');
  const { certTable, CERT_TABLE_GUID } = await import('../support/cert-table.js');
  const entry = mkdtempSync(join(tmpdir(), 'tsm-snp-'));
  writeFileSync(join(entry, 'outblob'), vectorBytes('snp/trustee-milan-vcek.report'));
  writeFileSync(join(entry, 'auxblob'), certTable([[CERT_TABLE_GUID.VCEK, vectorBytes('snp/trustee-milan-vcek.vcek.der')]]));
  writeFileSync(join(entry, 'generation'), '3\n');
  writeFileSync(join(entry, 'provider'), 'sev_guest\n');
  const got = await acquireEvidence({ kind: 'ssh', ...target() }, { knownHosts: await pinned(), env: { TSM_ROOT: entry, TSM_ENTRY: entry } });
  assert.equal(got.provider, 'sev_guest');
  assert.equal(got.nonce?.length, 64);
  assert.equal(got.collateral.length, 1);
  assert.match(got.collateral[0]!.name, /auxblob/);
  const r = await createVerifier().verify(got.evidence, got.collateral, { at: new Date('2024-07-03T13:10:40Z') });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  assert.equal(r.technology, 'sev-snp');
  const fresh = await createVerifier().verify(got.evidence, got.collateral, { at: new Date('2024-07-03T13:10:40Z'), nonce: got.nonce! });
  assert.equal(fresh.errors[0]?.code, 'NONCE_MISMATCH', 'the recorded report cannot carry the fresh nonce');
});

test('the default collector on a Gramine enclave: nonce to /dev/attestation/user_report_data, the quote back (stand-in tree)', { skip }, async () => {
  const dev = mkdtempSync(join(tmpdir(), 'gramine-'));
  writeFileSync(join(dev, 'quote'), readFileSync(`${VECTORS_DIR}sgx/dcapqvl-v3.quote`));
  writeFileSync(join(dev, 'attestation_type'), 'dcap');
  writeFileSync(join(dev, 'user_report_data'), '');
  const nonce = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
  const out = await fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), nonce, env: { TSM_ROOT: join(dev, 'absent'), ATTESTATION_DIR: dev } });
  assert.deepEqual(new Uint8Array(readFileSync(join(dev, 'user_report_data'))), nonce);
  const doc = JSON.parse(Buffer.from(out).toString('utf8'));
  assert.equal(doc.provider, 'gramine-dcap');
  assert.deepEqual(new Uint8Array(Buffer.from(doc.quote, 'base64')), vectorBytes('sgx/dcapqvl-v3.quote'));
  const none = fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), env: { TSM_ROOT: join(dev, 'absent'), ATTESTATION_DIR: join(dev, 'absent') } });
  await assert.rejects(none, /no TEE interface found/);
});

test('ssh-agent: without a key file the agent (SSH_AUTH_SOCK) signs in; without either it is a usage error', { skip }, async () => {
  const { execFileSync } = await import('node:child_process');
  const sock = join(mkdtempSync(join(tmpdir(), 'tee-agent-')), 'agent.sock');
  const out = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]);
  const saved = process.env.SSH_AUTH_SOCK;
  try {
    execFileSync('ssh-add', ['-q', sshd.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'pipe' });
    process.env.SSH_AUTH_SOCK = sock;
    const { identityFile: _unused, ...viaAgent } = target();
    const got = await fetchEvidenceOverSsh(viaAgent, { knownHosts: await pinned(), collector: quoteCollector });
    assert.equal(Buffer.from(got).toString().trim(), readFileSync(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`).toString('base64'));
    delete process.env.SSH_AUTH_SOCK;
    await assert.rejects(
      fetchEvidenceOverSsh(viaAgent, { knownHosts: await pinned(), collector: quoteCollector }),
      (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && /ssh-agent/.test(e.message),
    );
  } finally {
    if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = saved;
    process.kill(pid);
  }
});

test('an encrypted key file: its passphrase signs in; without it the error says a passphrase is needed', { skip }, async () => {
  const { execFileSync } = await import('node:child_process');
  const { appendFileSync } = await import('node:fs');
  const key = join(mkdtempSync(join(tmpdir(), 'tee-enc-key-')), 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-f', key]);
  appendFileSync(join(sshd.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const t = { ...target(), identityFile: key };
  const got = await fetchEvidenceOverSsh({ ...t, passphrase: 'open sesame' }, { knownHosts: await pinned(), collector: 'echo ok' });
  assert.equal(Buffer.from(got).toString().trim(), 'ok');
  await assert.rejects(
    fetchEvidenceOverSsh(t, { knownHosts: await pinned(), collector: 'echo ok' }),
    (e: unknown) => e instanceof TeeError && e.code === 'FETCH_FAILED' && /passphrase/.test(e.message),
  );
  await assert.rejects(
    fetchEvidenceOverSsh({ ...t, passphrase: 'wrong' }, { knownHosts: await pinned(), collector: 'echo ok' }),
    (e: unknown) => e instanceof TeeError && e.code === 'FETCH_FAILED',
  );
});

/** Whether a process still runs (the sshd and its sessions run as this user, in this pid namespace). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (cond()) return true;
  return cond();
}

/** The processes whose environment carries `marker` (what the collector's command line exported). */
async function processesWith(marker: string): Promise<number[]> {
  const { readdirSync } = await import('node:fs');
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('timeout and cancel stop the remote collector: its process is gone, not left running', { skip }, async () => {
  for (const how of ['timeout', 'cancel'] as const) {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'tee-collector-pid-')), 'pid');
    const abort = new AbortController();
    const fetch = fetchEvidenceOverSsh(target(), {
      knownHosts: await pinned(),
      collector: `echo $$ > ${pidFile}; sleep 30; echo x`,
      ...(how === 'timeout' ? { timeoutMs: 1500 } : { signal: abort.signal }),
    });
    assert.ok(await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 5000), 'the collector started');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(running(pid));
    if (how === 'cancel') abort.abort();
    await assert.rejects(fetch, (e: unknown) => e instanceof TeeError && e.code === (how === 'timeout' ? 'FETCH_FAILED' : 'CANCELLED'));
    assert.ok(await eventually(() => !running(pid), 3000), `after the ${how}, collector pid ${pid} no longer runs`);
  }
});

test('the default collector stuck in a report request: after the timeout nothing it started is left', { skip }, async () => {
  const { constants, openSync, closeSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const entry = mkdtempSync(join(tmpdir(), 'tsm-stuck-'));
  execFileSync('mkfifo', [join(entry, 'outblob')]); // reading it blocks, as a report the firmware never produces
  writeFileSync(join(entry, 'generation'), '1\n');
  const marker = `TSM_ENTRY=${entry}`;
  try {
    await assert.rejects(
      fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), env: { TSM_ROOT: entry, TSM_ENTRY: entry }, timeoutMs: 1500 }),
      /no evidence within 1500 ms/,
    );
    let left = await processesWith(marker);
    for (const end = Date.now() + 5000; left.length && Date.now() < end; left = await processesWith(marker)) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(left, [], 'no collector process (shell, subshell, base64) outlives the timeout');
  } finally {
    // If anything is still blocked on the FIFO, give it a writer so that it ends.
    try {
      closeSync(openSync(join(entry, 'outblob'), constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader left: nothing to release
    }
  }
});

test('control characters from the collector (ANSI escapes, CR, bidi overrides) are escaped in the error', { skip }, async () => {
  const collector = `printf '\\033[2J\\033]0;pwned\\007over\\rwrite \\342\\200\\256txt.exe\\n' >&2; exit 3`;
  await assert.rejects(fetchEvidenceOverSsh(target(), { knownHosts: await pinned(), collector }), (e: unknown) => {
    assert.ok(e instanceof TeeError && e.code === 'FETCH_FAILED');
    assert.doesNotMatch(e.message, /[\u001b\u0007\r\u202e]/, 'no raw control character reaches the terminal');
    assert.match(e.message, /exited with 3: \\x1b\[2J\\x1b\]0;pwned\\x07over\\x0dwrite \\u202etxt\.exe/);
    return true;
  });
});

test("a target's auxblob holding DCAP collateral is dropped with a note; only an SNP certificate table is taken", { skip }, async () => {
  const { acquireEvidence, IGNORED_COLLATERAL_NOTE } = await import('../../main/acquire/evidence.js');
  const entry = mkdtempSync(join(tmpdir(), 'tsm-bundle-'));
  writeFileSync(join(entry, 'outblob'), vectorBytes('tdx/dcapqvl-v4.quote'));
  writeFileSync(join(entry, 'auxblob'), vectorBytes('tdx/dcapqvl-v4.collateral.json')); // a whole (old) collateral bundle
  writeFileSync(join(entry, 'generation'), '1\n');
  const { standInSysfs } = await import('../support/stand-in-sysfs.js');
  const env = { TSM_ROOT: entry, TSM_ENTRY: entry, SYSFS_ROOT: standInSysfs({}) }; // no TPM, no CCEL: not the host's own /sys
  const got = await acquireEvidence({ kind: 'ssh', ...target() }, { knownHosts: await pinned(), nonce: false, env });
  assert.deepEqual(got.collateral, []);
  assert.deepEqual(got.notes, ['no CCEL table: not a TDX guest or the kernel does not expose it', IGNORED_COLLATERAL_NOTE]);
  const r = await createVerifier().verify(got.evidence, got.collateral, { at: new Date('2025-07-19T10:00:34Z') });
  assert.equal(r.errors[0]?.code, 'COLLATERAL_MISSING', 'the bundle the target sent did not verify its own quote');
});

test('--trust-host-key never replaces a pin: a changed key is HOST_KEY_CHANGED until `hosts unpin`; the store is untouched', { skip }, async () => {
  const { runCli, runCliJson } = await import('../support/cli.js');
  const store = join(mkdtempSync(join(tmpdir(), 'tee-hosts-')), 'known-hosts.json');
  const id = `127.0.0.1:${sshd.port}`;
  const old = 'SHA256:' + 'A'.repeat(43);
  assert.equal((await runCli(['hosts', 'pin', id, old, '--host-key-store', store])).code, 0);
  const before = readFileSync(store, 'utf8');
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
  const args = [
    url,
    '--identity',
    sshd.identityFile,
    '--host-key-store',
    store,
    '--collector',
    quoteCollector,
    '--collateral',
    `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`,
    '--at',
    '2025-07-19T10:00:34Z',
    '--no-nonce',
  ];
  const fp = fingerprint(hostKey());
  const changed = await runCliJson(['verify', ...args, '--trust-host-key', fp]);
  assert.equal(changed.json.errors[0].code, 'HOST_KEY_CHANGED', 'the new fingerprint on the command line does not override the pin');
  assert.match(changed.json.errors[0].message, new RegExp(`tee-inspect hosts unpin ${id}`));
  assert.equal(readFileSync(store, 'utf8'), before, 'no second pin was added beside the old one');
  assert.equal((await runCli(['hosts', 'unpin', id, '--host-key-store', store])).code, 0);
  assert.equal((await runCliJson(['verify', ...args, '--trust-host-key', fp])).json.verdict, 'verified');
  assert.deepEqual(JSON.parse(readFileSync(store, 'utf8')), { [id]: [fp] });
});

test('--trust-host-key with a fingerprint the host does not present is refused and leaves no pin behind', { skip }, async () => {
  const { runCliJson } = await import('../support/cli.js');
  const store = join(mkdtempSync(join(tmpdir(), 'tee-hosts-')), 'known-hosts.json');
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
  const args = [
    url,
    '--identity',
    sshd.identityFile,
    '--host-key-store',
    store,
    '--collector',
    quoteCollector,
    '--collateral',
    `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`,
    '--at',
    '2025-07-19T10:00:34Z',
    '--no-nonce',
  ];
  const mistyped = await runCliJson(['verify', ...args, '--trust-host-key', 'SHA256:' + 'B'.repeat(43)]);
  assert.equal(mistyped.json.errors[0].code, 'HOST_KEY_CHANGED');
  assert.match(mistyped.json.errors[0].message, /not the one given with --trust-host-key .* nothing was pinned/);
  assert.equal(existsSync(store), false, 'nothing was pinned');
  assert.equal((await runCliJson(['verify', ...args])).json.errors[0].code, 'HOST_KEY_UNKNOWN');
});

test("--known-hosts is that run's trust file: it verifies the host but is never copied into the pin store", { skip }, async () => {
  const { runCliJson } = await import('../support/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'tee-hosts-'));
  const store = join(dir, 'known-hosts.json');
  const [type, b64] = sshd.hostKeyPub.split(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${type} ${b64}\n`);
  writeFileSync(join(dir, 'other_known_hosts'), `[127.0.0.1]:${sshd.port} ${type} AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
  const args = [
    url,
    '--identity',
    sshd.identityFile,
    '--host-key-store',
    store,
    '--collector',
    quoteCollector,
    '--collateral',
    `${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`,
    '--at',
    '2025-07-19T10:00:34Z',
    '--no-nonce',
  ];
  assert.equal((await runCliJson(['verify', ...args, '--known-hosts', join(dir, 'known_hosts')])).json.verdict, 'verified');
  assert.equal(existsSync(store), false, 'nothing was pinned');
  assert.equal((await runCliJson(['verify', ...args])).json.errors[0].code, 'HOST_KEY_UNKNOWN', 'without the file the host is unknown again');
  assert.equal(
    (await runCliJson(['verify', ...args, '--known-hosts', join(dir, 'other_known_hosts')])).json.errors[0].code,
    'HOST_KEY_CHANGED',
    'a file listing another key for the host refuses it, as OpenSSH does',
  );
});
