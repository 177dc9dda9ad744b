import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { startBundlePcs } from '../support/bundle-pcs.js';
import type { BundlePcs } from '../support/bundle-pcs.js';
import { tempApiOptions } from '../support/api-options.js';
import { testCipher } from '../support/test-cipher.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { startHttps } from '../support/https-server.js';
import { createApi } from '../../main/api/handlers.js';
import type { ApiHandle } from '../../main/api/handlers.js';
import type { ApiOptions } from '../../main/api/options.js';
import { errorBody } from '../../main/api/errors.js';
import { TeeError } from '../../app/errors.js';
import { KnownHosts, fingerprint } from '../../main/ssh/known-hosts.js';
import { encryptedFileSecretStore } from '../../main/secrets/encrypted-file.js';
import { parseTargetsBytes } from '../../app/acquire/targets-file.js';
import type { FleetJobStatus, VerifyResponse } from '../../main/api/types.js';

const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
const AT = '2025-07-19T10:00:34Z';
let sshd: Sshd;
let pcs: BundlePcs;
const handles: ApiHandle[] = [];

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  pcs = await startBundlePcs([{ quote: 'tdx/dcapqvl-v4.quote', bundle: 'tdx/dcapqvl-v4.collateral.json' }]);
});
after(async () => {
  handles.forEach((h) => h.close());
  sshd?.stop();
  await pcs?.close();
});

/** An API over temporary folders, fetching collateral from the loopback PCS, its clock pinned to the vector's time. */
function open(extra: Partial<ApiOptions> = {}): ApiHandle & { options: ApiOptions } {
  const options = tempApiOptions({ pcsBase: pcs.base, ca: pcs.ca, now: () => new Date(AT), timeoutMs: 5000, ...extra });
  const handle = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, options);
  handles.push(handle);
  return { ...handle, options };
}

const url = () => `ssh://${sshd.user}@127.0.0.1:${sshd.port}`;
const hostFp = () => fingerprint(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64'));
const served = (path: string) => `base64 -w0 ${VECTORS_DIR}${path}`;
const target = (name: string, extra: Record<string, unknown> = {}) => ({
  target: { name, url: url(), identity: sshd.identityFile, collector: served('tdx/dcapqvl-v4.quote'), nonce: false, ...extra },
  confirmed: true,
});

async function rejectsWith(p: Promise<unknown>, code: string): Promise<ReturnType<typeof errorBody>> {
  let body: ReturnType<typeof errorBody> | undefined;
  await assert.rejects(p, (e: unknown) => ((body = errorBody(e)), body.code === code));
  return body!;
}

test('an unknown host key is HOST_KEY_UNKNOWN with its fingerprint; once trusted, the target verifies', { skip }, async () => {
  const { dispatch } = open();
  await dispatch('targetSave', target('td-1'));
  const unknown = await rejectsWith(dispatch('verifyTarget', { name: 'td-1' }), 'HOST_KEY_UNKNOWN');
  assert.deepEqual(unknown.detail, { host: '127.0.0.1', port: sshd.port, fingerprint: hostFp() });
  await rejectsWith(dispatch('trustHostKey', { host: '127.0.0.1', port: sshd.port, fingerprint: 'SHA256:' + 'B'.repeat(43) }), 'USAGE_ERROR');
  await dispatch('trustHostKey', { host: '127.0.0.1', port: sshd.port, fingerprint: hostFp(), confirmed: true });
  const r = (await dispatch('verifyTarget', { name: 'td-1' })) as VerifyResponse;
  assert.equal(r.result.verdict, 'verified', JSON.stringify(r.result.errors));
  assert.equal(r.acquisition?.source, url());
  assert.equal(r.acquisition?.nonce, false);
  assert.deepEqual(r.collateral.missing, []);
  assert.ok(r.collateral.timeline.some((i) => i.kind === 'tcb-info' && i.tcbEvaluationDataNumber === 17 && i.source.includes(pcs.base)));
  const history = (await dispatch('history', { name: 'td-1' })) as { entries: { verdict: string; errorCode?: string }[] };
  assert.deepEqual(
    history.entries.map((e) => e.verdict + (e.errorCode ? `:${e.errorCode}` : '')),
    ['verified', 'error:HOST_KEY_UNKNOWN'],
    'newest first',
  );
});

test('a changed host key is refused and cannot be trusted over the pinned one', { skip }, async () => {
  const { dispatch, options } = open();
  await dispatch('targetSave', target('td-2'));
  await rejectsWith(dispatch('verifyTarget', { name: 'td-2' }), 'HOST_KEY_UNKNOWN');
  // Another key gets pinned for the host before the user confirms (e.g. an earlier import): the confirmation must not add a second pin.
  await (await KnownHosts.load(options.hostKeyStore)).trust('127.0.0.1', sshd.port, 'SHA256:' + 'A'.repeat(43));
  const changed = await rejectsWith(dispatch('verifyTarget', { name: 'td-2' }), 'HOST_KEY_CHANGED');
  assert.equal(changed.detail?.fingerprint, hostFp());
  await rejectsWith(dispatch('trustHostKey', { host: '127.0.0.1', port: sshd.port, fingerprint: hostFp(), confirmed: true }), 'HOST_KEY_CHANGED');
  await rejectsWith(dispatch('verifyTarget', { name: 'td-2' }), 'HOST_KEY_CHANGED');
});

test('a re-keyed host: hostKeysList shows the old pin, unpinHostKey removes it, then the new key can be confirmed', { skip }, async () => {
  const { dispatch, options } = open();
  await dispatch('targetSave', target('td-rekey'));
  const id = { host: '127.0.0.1', port: sshd.port };
  const old = 'SHA256:' + 'C'.repeat(43);
  await (await KnownHosts.load(options.hostKeyStore)).trust(id.host, id.port, old);
  await rejectsWith(dispatch('verifyTarget', { name: 'td-rekey' }), 'HOST_KEY_CHANGED');
  assert.deepEqual(await dispatch('hostKeysList', {}), { hosts: [{ ...id, fingerprints: [old] }] });
  assert.deepEqual(await dispatch('unpinHostKey', id), { ...id, removed: [old] });
  await rejectsWith(dispatch('unpinHostKey', id), 'USAGE_ERROR');
  await rejectsWith(dispatch('unpinHostKey', { ...id, port: 0 }), 'USAGE_ERROR');
  await rejectsWith(dispatch('verifyTarget', { name: 'td-rekey' }), 'HOST_KEY_UNKNOWN');
  await dispatch('trustHostKey', { ...id, fingerprint: hostFp(), confirmed: true });
  assert.equal(((await dispatch('verifyTarget', { name: 'td-rekey' })) as VerifyResponse).result.verdict, 'verified');
});

test('a damaged pin store fails SSH targets with FILE_UNREADABLE and is left as it is; errors reach the app escaped', { skip }, async () => {
  const { dispatch, options } = open();
  await dispatch('targetSave', target('td-damaged'));
  mkdirSync(join(options.hostKeyStore, '..'), { recursive: true });
  writeFileSync(options.hostKeyStore, '{"127.0.0.1:22": [');
  await rejectsWith(dispatch('verifyTarget', { name: 'td-damaged' }), 'FILE_UNREADABLE');
  await rejectsWith(dispatch('hostKeysList', {}), 'FILE_UNREADABLE');
  assert.equal(readFileSync(options.hostKeyStore, 'utf8'), '{"127.0.0.1:22": [');
  await dispatch('targetSave', target('td-ansi', { collector: "printf '\\033[2Jgone\\n' >&2; exit 9" }));
  writeFileSync(options.hostKeyStore, JSON.stringify({ [`127.0.0.1:${sshd.port}`]: [hostFp()] }));
  const body = await rejectsWith(dispatch('verifyTarget', { name: 'td-ansi' }), 'FETCH_FAILED');
  assert.match(body.message, /exited with 9: \\x1b\[2Jgone/);
  assert.deepEqual(errorBody(new TeeError('FETCH_FAILED', 'a\u001b]0;title\u0007b\u202ec')).message, 'a\\x1b]0;title\\x07b\\u202ec');
});

test("OpenSSH known_hosts import pins saved targets' hosts, never over a pinned key", { skip }, async () => {
  const { dispatch } = open();
  await dispatch('targetSave', target('td-3'));
  const [type, b64] = sshd.hostKeyPub.split(' ');
  const imported = (await dispatch('importKnownHosts', {
    text: `[127.0.0.1]:${sshd.port} ${type} ${b64}\nother.example ${type} ${b64}\n`,
    confirmed: true,
  })) as {
    imported: number;
  };
  assert.equal(imported.imported, 1);
  assert.equal(((await dispatch('verifyTarget', { name: 'td-3' })) as VerifyResponse).result.verdict, 'verified');
  const again = (await dispatch('importKnownHosts', {
    text: `[127.0.0.1]:${sshd.port} ${type} AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`,
    confirmed: true,
  })) as { imported: number; skipped: string[] };
  assert.deepEqual([again.imported, again.skipped], [0, [`127.0.0.1:${sshd.port}`]]);
});

test('targets are saved in the targets-file format; edits keep file-only settings; renames carry secrets', { skip }, async () => {
  const { dispatch, options } = open();
  const file = join(options.dataDir, 'targets.json');
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      schema: 'tee-inspect/targets/v1',
      targets: [{ name: 'a', url: url(), collateral: [`${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`], product: 'Milan' }],
    }),
  );
  await dispatch('targetSave', { target: { name: 'b', url: 'https://agent.example/aa', adapter: 'coco-aa' } });
  await dispatch('setSecret', { name: 'a', kind: 'passphrase', value: 'pw-1' });
  await dispatch('targetSave', { previous: 'a', target: { name: 'a2', url: url(), identity: sshd.identityFile, nonce: false }, confirmed: true });
  const saved = parseTargetsBytes(readFileSync(file)).targets;
  assert.deepEqual(
    saved.map((t) => t.name),
    ['a2', 'b'],
  );
  assert.deepEqual(saved[0], {
    name: 'a2',
    url: url(),
    identity: sshd.identityFile,
    nonce: false,
    collateral: [`${VECTORS_DIR}tdx/dcapqvl-v4.collateral.json`],
    product: 'Milan',
  });
  const list = (await dispatch('targetsList', {})) as {
    targets: { name: string; kind: string; secrets: { passphrase: boolean }; fileOnly: string[] }[];
    secretsPersist: boolean;
  };
  assert.deepEqual(
    list.targets.map((t) => [t.name, t.kind, t.secrets.passphrase, t.fileOnly.join()]),
    [
      ['a2', 'ssh', true, 'collateral,product'],
      ['b', 'https', false, ''],
    ],
  );
  assert.equal(list.secretsPersist, false);
  assert.equal(await options.secrets.get('target:a2:passphrase'), 'pw-1');
  assert.equal(await options.secrets.get('target:a:passphrase'), undefined);
  await rejectsWith(dispatch('targetSave', { target: { name: 'c', url: 'http://plain.example/' } }), 'USAGE_ERROR');
  await rejectsWith(dispatch('targetSave', { previous: 'b', target: { name: 'a2', url: url() }, confirmed: true }), 'USAGE_ERROR');
  await dispatch('targetRemove', { name: 'a2' });
  assert.deepEqual(
    parseTargetsBytes(readFileSync(file)).targets.map((t) => t.name),
    ['b'],
  );
  assert.equal(await options.secrets.get('target:a2:passphrase'), undefined, 'removing a target removes its secrets');
});

test("an encrypted key's passphrase is kept only as ciphertext and reaches SSH", { skip }, async () => {
  const base = tempApiOptions();
  const secretsFile = join(base.dataDir, 'secrets.json');
  const { dispatch, options } = open({ secrets: encryptedFileSecretStore(secretsFile, testCipher()), dataDir: base.dataDir });
  const key = join(options.dataDir, 'encrypted_key');
  mkdirSync(options.dataDir, { recursive: true });
  copyFileSync(sshd.identityFile, key);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'sesame-4711', '-f', key]);
  await dispatch('targetSave', target('enc', { identity: key }));
  await (await KnownHosts.load(options.hostKeyStore)).trust('127.0.0.1', sshd.port, hostFp());
  await rejectsWith(dispatch('verifyTarget', { name: 'enc' }), 'FETCH_FAILED');
  assert.deepEqual(await dispatch('setSecret', { name: 'enc', kind: 'passphrase', value: 'sesame-4711' }), {
    name: 'enc',
    kind: 'passphrase',
    persistent: true,
  });
  assert.equal(((await dispatch('verifyTarget', { name: 'enc' })) as VerifyResponse).result.verdict, 'verified');
  for (const f of readdirSync(options.dataDir, { recursive: true }) as string[]) {
    const path = join(options.dataDir, f);
    if (existsSync(path) && !f.endsWith('encrypted_key') && readFileSync(path).length) assert.doesNotMatch(readFileSync(path, 'latin1'), /sesame-4711/, f);
  }
  assert.ok(readFileSync(secretsFile).length > 0);
  const listed = JSON.stringify(await dispatch('targetsList', {}));
  assert.doesNotMatch(listed, /sesame/, 'secrets are never returned');
  await dispatch('clearSecret', { name: 'enc', kind: 'passphrase' });
  await rejectsWith(dispatch('verifyTarget', { name: 'enc' }), 'FETCH_FAILED');
});

test('an HTTPS target: its bearer token from the secret store reaches the endpoint, TLS to a private CA', { skip }, async () => {
  const quote = readFileSync(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`);
  const agent = await startHttps((req, res) =>
    req.headers.authorization === 'Bearer tok-8812' ? res.writeHead(200).end(quote) : res.writeHead(401).end('no'),
  );
  try {
    const { dispatch } = open({ ca: pcs.ca + agent.ca });
    await dispatch('targetSave', { target: { name: 'agent', url: `${agent.base}/evidence?n={nonce}`, adapter: 'template', nonce: false } });
    assert.match((await rejectsWith(dispatch('verifyTarget', { name: 'agent' }), 'FETCH_FAILED')).message, /401/);
    await dispatch('setSecret', { name: 'agent', kind: 'token', value: 'tok-8812' });
    const r = (await dispatch('verifyTarget', { name: 'agent' })) as VerifyResponse;
    assert.equal(r.result.verdict, 'verified', JSON.stringify(r.result.errors));
    assert.equal(r.acquisition?.source, `${agent.base}/evidence?n={nonce}`);
    assert.deepEqual(
      agent.requests.map((q) => q.url),
      ['/evidence?n=', '/evidence?n='],
    );
  } finally {
    await agent.close();
  }
});

test('a fleet run: progress to N/N, an outcome per target, history per target; a run can be cancelled', { skip }, async () => {
  const { dispatch, options } = open();
  await (await KnownHosts.load(options.hostKeyStore)).trust('127.0.0.1', sshd.port, hostFp());
  for (const n of ['f1', 'f2', 'f3']) await dispatch('targetSave', target(n));
  await dispatch('targetSave', target('down', { url: `ssh://${sshd.user}@127.0.0.1:1` }));
  const started = (await dispatch('fleetStart', { concurrency: 2 })) as FleetJobStatus;
  assert.equal(started.total, 4);
  const seen = new Set<number>();
  let status = started;
  while (status.state === 'running') {
    seen.add(status.done);
    await new Promise((r) => setTimeout(r, 30));
    status = (await dispatch('fleetStatus', { jobId: started.jobId })) as FleetJobStatus;
  }
  assert.equal(status.state, 'done');
  assert.equal(status.done, 4);
  assert.ok(seen.size >= 2, `progress was observed in steps (${[...seen]})`);
  const byName = Object.fromEntries(status.rows.map((r) => [r.name, r]));
  for (const n of ['f1', 'f2', 'f3'])
    assert.deepEqual([byName[n]!.state, byName[n]!.verdict, byName[n]!.tier, byName[n]!.tcbStatus], ['done', 'verified', 'affirming', 'UpToDate']);
  assert.deepEqual([byName.down!.verdict, byName.down!.error?.code], ['error', 'FETCH_FAILED']);
  // A row opens every check of that very run; a target that was never appraised has none to show.
  const full = (await dispatch('fleetResult', { jobId: started.jobId, name: 'f1' })) as { name: string; result: { verdict: string; checks: unknown[] } };
  assert.equal(full.result.verdict, 'verified');
  assert.ok(full.result.checks.length >= 10, `${full.result.checks.length} checks`);
  await rejectsWith(dispatch('fleetResult', { jobId: started.jobId, name: 'down' }), 'USAGE_ERROR');
  await rejectsWith(dispatch('fleetResult', { jobId: started.jobId, name: 'f1', extra: 1 }), 'USAGE_ERROR');
  const latest = (await dispatch('targetsList', {})) as { targets: { name: string; latest?: { verdict: string } }[] };
  assert.deepEqual(
    latest.targets.map((t) => t.latest?.verdict),
    ['verified', 'verified', 'verified', 'error'],
  );
  await dispatch('targetSave', target('slow', { collector: 'sleep 20' }));
  const slow = (await dispatch('fleetStart', { names: ['slow', 'f1'], concurrency: 1 })) as FleetJobStatus;
  assert.equal(((await dispatch('fleetStart', {})) as FleetJobStatus).jobId, slow.jobId, 'one run at a time');
  await new Promise((r) => setTimeout(r, 300));
  const cancelled = (await dispatch('fleetCancel', { jobId: slow.jobId })) as FleetJobStatus;
  assert.equal(cancelled.state, 'cancelled');
  await new Promise((r) => setTimeout(r, 100));
  const end = (await dispatch('fleetStatus', { jobId: slow.jobId })) as FleetJobStatus;
  assert.deepEqual(
    end.rows.map((r) => [r.name, r.cancelled]),
    [
      ['slow', true],
      ['f1', true],
    ],
  );
  await rejectsWith(dispatch('fleetStatus', { jobId: 'f'.repeat(32) }), 'USAGE_ERROR');
});

test('offline verify with an empty cache: nothing fetched, COLLATERAL_MISSING, the missing kinds named', { skip }, async () => {
  const { api } = open();
  const quote = readFileSync(`${VECTORS_DIR}tdx/dcapqvl-v4.quote`).toString('base64');
  const before = pcs.requested().length;
  const r = await api.verify({ files: [{ name: 'q.quote', base64: quote }], at: AT, offline: true });
  assert.equal(pcs.requested().length, before, 'offline: no request');
  assert.equal(r.result.verdict, 'rejected');
  assert.ok(r.result.errors.some((e) => e.code === 'COLLATERAL_MISSING'));
  assert.equal(r.collateral.offline, true);
  assert.deepEqual(r.collateral.missing, ['TCB info', 'QE identity', 'Intel SGX Root CA CRL', 'PCK CA CRL']);
  assert.ok(r.collateral.notes.every((n) => n.startsWith('offline:')) && r.collateral.notes.length === 4, r.collateral.notes.join('\n'));
  const online = await api.verify({ files: [{ name: 'q.quote', base64: quote }], at: AT });
  assert.equal(online.result.verdict, 'verified');
  const cached = await api.verify({ files: [{ name: 'q.quote', base64: quote }], at: AT, offline: true });
  assert.equal(cached.result.verdict, 'verified', 'the cache now serves offline');
  assert.deepEqual(cached.collateral.notes, []);
});
