import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { EVENTLOG_CLAIMS } from '../../app/tee/eventlog/claims.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const crypto = nodeCryptoProvider();
const RHEL = new Uint8Array(readFileSync(new URL('../fixtures/go-eventlog/rhel8-uefi.bin', import.meta.url)));

/** A copy of the log with one event's fields changed in place: its PCR index, its type, or one byte of its data. */
function forge(bytes: Uint8Array, at: number, change: { index?: number; type?: number; dataByte?: [number, number] }): Uint8Array {
  const out = bytes.slice();
  const e = parseEventLog(bytes).events[at]!;
  const view = new DataView(out.buffer);
  if (change.index !== undefined) view.setUint32(e.offset, change.index, true);
  if (change.type !== undefined) view.setUint32(e.offset + 4, change.type, true);
  if (change.dataByte) out[e.data.byteOffset - bytes.byteOffset + change.dataByte[0]] = change.dataByte[1];
  return out;
}

test('the claim list: stable camelCase names, each once, each with a basis', () => {
  const names = EVENTLOG_CLAIMS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const c of EVENTLOG_CLAIMS) assert.match(c.name, /^[a-z][a-zA-Z0-9]*$/);
  assert.deepEqual(
    EVENTLOG_CLAIMS.filter((c) => c.basis === 'logged-digest')
      .map((c) => c.name)
      .sort(),
    ['bootLoaderDigests', 'initrdDigest', 'kernelCmdlineDigest', 'kernelDigest'],
  );
});

test('every claim a real log yields has a source event whose register matches, and every source names a listed claim', async () => {
  const view = await inspectEventLog(RHEL, crypto);
  const listed = new Set(EVENTLOG_CLAIMS.map((c) => c.name));
  for (const s of view.claims.sources) {
    assert.ok(listed.has(s.claim), s.claim);
    assert.equal(view.events[s.event]!.register, s.register);
    assert.ok(s.claim in view.claims, `${s.claim} has a value`);
  }
  assert.deepEqual(view.claims.registers, view.replayed);
});

test('forged data: a SecureBoot byte changed without its digest gives no secureBoot claim, only an unverified entry', async () => {
  const real = await inspectEventLog(RHEL, crypto);
  assert.equal(real.claims.secureBoot, true);
  const sb = real.claims.sources.find((s) => s.claim === 'secureBoot')!.event;
  const dataSize = real.events[sb]!.dataSize;
  const forged = await inspectEventLog(forge(RHEL, sb, { dataByte: [dataSize - 1, 0] }), crypto);
  assert.equal(forged.events[sb]!.decoded.summary, 'SecureBoot: disabled', 'the data says disabled...');
  assert.equal(forged.claims.secureBoot, undefined, '...but it is not what was measured');
  assert.deepEqual(
    forged.claims.unverified.map((u) => [u.claim, u.event]),
    [['secureBoot', sb]],
  );
});

test('forged type: the SecureBoot event relabelled EV_EFI_ACTION, or moved to PCR14, makes no claim', async () => {
  const sb = 2;
  for (const change of [{ type: 0x80000007 }, { index: 14 }]) {
    const view = await inspectEventLog(forge(RHEL, sb, change), crypto);
    assert.equal(view.claims.secureBoot, undefined, JSON.stringify(change));
    assert.ok(!view.claims.sources.some((s) => s.event === sb), JSON.stringify(change));
  }
});

test('a GRUB kernel command line changed in the data (digest kept) is not claimed; the original is', async () => {
  const real = await inspectEventLog(RHEL, crypto);
  const at = real.claims.sources.find((s) => s.claim === 'kernelCmdline')!.event;
  const decoded = real.events[at]!.decoded;
  const prefix = decoded.kind === 'grub' ? decoded.prefix.length : assert.fail('a GRUB event');
  assert.equal(decoded.kind === 'grub' && decoded.prefix, 'grub_kernel_cmdline ', "RHEL's GRUB uses the older prefix");
  const forged = await inspectEventLog(forge(RHEL, at, { dataByte: [prefix + 1, 'X'.charCodeAt(0)] }), crypto);
  assert.match(real.claims.kernelCmdline!, /^\(hd0,gpt2\)\/boot\/vmlinuz-4\.18/);
  assert.equal(forged.claims.kernelCmdline, undefined);
  assert.equal(forged.claims.unverified[0]!.claim, 'kernelCmdline');
  assert.match(forged.claims.unverified[0]!.says, /kernel command line: "\(X/);
});

test('an image path is never proven: boot loader claims are the logged digests, the path marked as unverified event data', async () => {
  const view = await inspectEventLog(RHEL, crypto);
  const shim = view.claims.sources.find((s) => s.claim === 'bootLoaderDigests')!;
  assert.equal(shim.basis, 'logged-digest');
  assert.match(shim.unverifiedDetail!, /^path \(from unverified event data\): .*shimx64\.efi$/);
  assert.equal(view.claims.bootLoaderDigests![0], view.events[shim.event]!.digests.find((d) => d.alg === 'SHA-256')!.digest);
  assert.equal(view.events[shim.event]!.digestMatchesData, false, 'the digest is of the PE image, not of the event data');
});

test('the same image data with a changed digest: the claim follows the digest (what the register holds), not the path', async () => {
  const real = await inspectEventLog(RHEL, crypto);
  const at = real.claims.sources.find((s) => s.claim === 'bootLoaderDigests')!.event;
  const out = RHEL.slice();
  const e = parseEventLog(RHEL).events[at]!;
  const sha256At = e.offset + 12 + 2 + 20 + 2;
  out[sha256At] = out[sha256At]! ^ 0xff;
  const view = await inspectEventLog(out, crypto);
  assert.notEqual(view.claims.bootLoaderDigests![0], real.claims.bootLoaderDigests![0]);
  assert.equal(view.events[at]!.decoded.summary, real.events[at]!.decoded.summary);
  assert.notEqual(view.replayed.pcr4, real.replayed.pcr4, 'and the replay shows it');
});

test('OVMF direct boot (trustee CCEL): kernel, initrd and load-options digests are logged digests, Secure Boot unknown (0-byte variable)', async () => {
  const view = await inspectEventLog(vectorBytes('eventlog/trustee-ccel-ovmf.bin'), crypto);
  const c = view.claims;
  assert.equal(c.secureBoot, undefined);
  assert.match(c.notes.join('\n'), /SecureBoot 0 bytes \(expected 1\)/);
  assert.equal(c.initrdDigest, view.events[17]!.digests[0]!.digest);
  assert.equal(c.kernelCmdlineDigest, view.events[16]!.digests[0]!.digest);
  assert.equal(c.kernelDigest, view.events[11]!.digests[0]!.digest);
  for (const claim of ['initrdDigest', 'kernelCmdlineDigest', 'kernelDigest']) {
    const s = c.sources.find((x) => x.claim === claim)!;
    assert.equal(s.basis, 'logged-digest', claim);
    assert.match(s.unverifiedDetail!, /unverified event data/, claim);
  }
  assert.equal(c.pk, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'an empty PK: the SHA-256 of no data');
});

test('td-shim log: no claims at all (nothing there this program can read as a fact)', async () => {
  const view = await inspectEventLog(vectorBytes('eventlog/trustee-ccel-td-shim.bin'), crypto);
  assert.deepEqual(view.claims.sources, []);
  assert.equal(view.claims.secureBoot, undefined);
});
