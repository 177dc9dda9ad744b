import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { diffEventLogs } from '../../app/tee/eventlog/diff.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const crypto = nodeCryptoProvider();
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/go-eventlog/${name}`, import.meta.url)));
const COS = fixture('cos-113-intel-tdx-dupe-separator-unpadded.bin');

/** Flips one byte of an event's first digest (what the register holds changes) and optionally one byte of its data. */
function alter(bytes: Uint8Array, at: number, dataByte?: [number, number]): Uint8Array {
  const out = bytes.slice();
  const e = parseEventLog(bytes).events[at]!;
  out[e.offset + 14] = out[e.offset + 14]! ^ 0x01;
  if (dataByte) out[e.data.byteOffset - bytes.byteOffset + dataByte[0]] = dataByte[1];
  return out;
}

test('a log against itself: every register the same', async () => {
  const view = await inspectEventLog(COS, crypto);
  const diff = diffEventLogs(view, view);
  assert.equal(diff.same, true);
  assert.equal(diff.bank, 'SHA-384');
  assert.deepEqual(
    diff.registers.map((r) => r.register),
    ['rtmr0', 'rtmr1', 'rtmr2'],
  );
});

test('kernel command line changed: "kernel command line: expected ... found ..." in rtmr2, the other registers the same', async () => {
  const good = await inspectEventLog(COS, crypto);
  const at = good.claims.sources.find((s) => s.claim === 'kernelCmdline')!.event;
  const prefix = 'kernel_cmdline: '.length;
  const bad = await inspectEventLog(alter(COS, at, [prefix, 'X'.charCodeAt(0)]), crypto);
  const diff = diffEventLogs(good, bad);
  assert.equal(diff.same, false);
  const r = diff.registers.find((x) => !x.same)!;
  assert.equal(r.register, 'rtmr2');
  assert.equal(r.actualEvent, at);
  assert.match(r.what!, /^kernel command line: expected '\/syslinux\/vmlinuz\.A init=.*' found 'Xsyslinux\/vmlinuz\.A init=/);
  assert.notEqual(r.expected, r.actual);
  assert.deepEqual(
    diff.registers.filter((x) => x.same).map((x) => x.register),
    ['rtmr0', 'rtmr1'],
  );
});

test('boot loader image changed: "boot loader image: expected <digest> found <digest>"', async () => {
  const good = await inspectEventLog(COS, crypto);
  const at = good.claims.sources.find((s) => s.claim === 'bootLoaderDigests')!.event;
  const bad = await inspectEventLog(alter(COS, at), crypto);
  const r = diffEventLogs(good, bad).registers.find((x) => !x.same)!;
  assert.equal(r.register, 'rtmr1');
  const [was, now] = [good.events[at]!.digests[0]!.digest, bad.events[at]!.digests[0]!.digest];
  assert.ok(r.what!.startsWith(`boot loader image: expected ${was} found ${now} (paths from unverified event data`), r.what);
});

test('a db variable that differs is named; missing and extra events are said so', async () => {
  const good = await inspectEventLog(COS, crypto);
  const dbAt = good.claims.sources.find((s) => s.claim === 'db')!.event;
  const bad = await inspectEventLog(alter(COS, dbAt), crypto);
  const r = diffEventLogs(good, bad).registers.find((x) => !x.same)!;
  assert.equal(r.register, 'rtmr0');
  assert.match(r.what!, /EV_EFI_VARIABLE_DRIVER_CONFIG db: 1 X\.509 certificate.*same event data, different digest/);
  const cut = COS.subarray(0, parseEventLog(COS).events.at(-1)!.offset);
  const shorter = await inspectEventLog(cut, crypto);
  const missing = diffEventLogs(good, shorter).registers.find((x) => !x.same)!;
  assert.match(missing.what!, /^missing event: expected event 42 \(EV_EFI_ACTION "Exit Boot Services Returned with Success"\)/);
  const extra = diffEventLogs(shorter, good).registers.find((x) => !x.same)!;
  assert.match(extra.what!, /^extra event 42 /);
});

test('two real builds of the same COS TDX guest: the duplicate-separator firmware bug shows as the first rtmr1 difference', async () => {
  const fixed = await inspectEventLog(vectorBytes('eventlog/gotdx-ccel-data.bin'), crypto);
  const buggy = await inspectEventLog(COS, crypto);
  const r1 = diffEventLogs(fixed, buggy).registers.find((x) => x.register === 'rtmr1')!;
  assert.equal(r1.same, false);
  assert.match(r1.what!, /EV_EFI_GPT_EVENT .* differs from expected event \d+ \(EV_SEPARATOR separator\)/);
});

test('TPM logs compare in SHA-256; secure boot on against off is worded from the variable', async () => {
  const off = await inspectEventLog(fixture('ubuntu-2104-no-secure-boot.bin'), crypto);
  const on = await inspectEventLog(fixture('rhel8-uefi.bin'), crypto);
  const diff = diffEventLogs(off, on);
  assert.equal(diff.bank, 'SHA-256');
  assert.equal(diff.registers.find((r) => r.register === 'pcr7')!.what, 'SecureBoot: expected disabled, found enabled');
});
