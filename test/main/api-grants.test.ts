import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../main/api/handlers.js';
import { errorBody } from '../../main/api/errors.js';
import { checkIdentityFile } from '../../main/api/identity-file.js';
import { HostKeyGate } from '../../main/api/host-keys.js';
import { TeeError } from '../../app/errors.js';
import { tempApiOptions } from '../support/api-options.js';

/**
 * Calls that grant a capability (log in to a host with a key and run a command there; pin a host key; import
 * known_hosts) need `confirmed: true`, which only the app's confirmation dialog sends, and a key file that is
 * the server user's own and readable by no one else.
 */
const posix = process.getuid !== undefined;
const dir = mkdtempSync(join(tmpdir(), 'tee-grants-'));
const key = (name: string, mode: number) => {
  const path = join(dir, name);
  writeFileSync(path, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  chmodSync(path, mode);
  return path;
};
const ssh = { name: 'vm', url: 'ssh://ops@127.0.0.1:2222', collector: 'cat /tmp/quote' };

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    const body = errorBody(e);
    assert.equal(body.code, 'USAGE_ERROR');
    assert.match(body.message, pattern);
    return true;
  });
}

test('saving an ssh:// target needs confirmed: true; an https:// target does not', async () => {
  const { dispatch, close } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
  await refused(dispatch('targetSave', { target: ssh }), /log in to ssh:\/\/ops@127\.0\.0\.1:2222 and run a command.*confirmed: true/);
  await refused(dispatch('targetSave', { target: ssh, confirmed: false }), /confirmed: true/);
  await refused(dispatch('targetSave', { target: ssh, confirmed: 'yes' }), /confirmed must be true or false/);
  assert.equal(((await dispatch('targetSave', { target: ssh, confirmed: true })) as { name: string }).name, 'vm');
  await dispatch('targetSave', { target: { name: 'agent', url: 'https://agent.example/', adapter: 'coco-aa' } });
  close();
});

test('a key file must be the user own and unreadable by others (mode & 077 = 0); the error names the file and chmod 600', { skip: !posix }, async () => {
  const { dispatch, close } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
  const open = key('id_open', 0o644);
  await refused(
    dispatch('targetSave', { target: { ...ssh, identity: open }, confirmed: true }),
    new RegExp(`${open} is readable .*mode 0644.*chmod 600 ${open}`),
  );
  await refused(dispatch('targetSave', { target: { ...ssh, identity: key('id_group', 0o640) }, confirmed: true }), /mode 0640/);
  await refused(dispatch('targetSave', { target: { ...ssh, identity: key('id_gw', 0o620) }, confirmed: true }), /mode 0620/);
  await refused(dispatch('targetSave', { target: { ...ssh, identity: join(dir, 'missing') }, confirmed: true }), /cannot be read \(ENOENT\)/);
  await refused(dispatch('targetSave', { target: { ...ssh, identity: dir }, confirmed: true }), /not a regular file/);
  const own = key('id_ok', 0o600);
  assert.equal(((await dispatch('targetSave', { target: { ...ssh, identity: own }, confirmed: true })) as { identity: string }).identity, own);
  await checkIdentityFile(key('id_ro', 0o400));
  await assert.rejects(checkIdentityFile(own, process.getuid!() + 1), /belongs to another user/);
  close();
});

test('pinning a presented host key needs confirmed: true; importing known_hosts too', async () => {
  const { dispatch, close } = createApi({ name: 'TEE Inspector', version: 'test', mode: 'browser' }, tempApiOptions());
  await refused(dispatch('importKnownHosts', { text: '[127.0.0.1]:2222 ssh-ed25519 AAAA' }), /importing known_hosts .*confirmed: true/);
  close();
  const gate = new HostKeyGate(join(dir, 'known-hosts.json'));
  const fp = 'SHA256:' + 'Q'.repeat(43);
  gate.observe(new TeeError('HOST_KEY_UNKNOWN', 'unknown', { host: '127.0.0.1', port: 2222, fingerprint: fp }));
  await refused(gate.trust('127.0.0.1', 2222, fp), /pinning SHA256:Q+ for 127\.0\.0\.1:2222: .*confirmed: true/);
  assert.deepEqual(await gate.list(), [], 'nothing pinned without the confirmation');
  assert.deepEqual(await gate.trust('127.0.0.1', 2222, fp, true), { host: '127.0.0.1', port: 2222, fingerprint: fp });
  assert.deepEqual(await gate.list(), [{ host: '127.0.0.1', port: 2222, fingerprints: [fp] }]);
});
