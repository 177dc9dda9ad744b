import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliJson } from '../support/cli.js';
import { manifest, VECTORS_DIR, vectorBytes } from '../support/vectors.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';

const LOG = VECTORS_DIR + 'eventlog/gotdx-ccel-data.bin';
const expected = manifest().vectors.find((v) => v.path === 'eventlog/gotdx-ccel-data.bin')!.expect.fields!;

test('eventlog --format json prints the tee-inspect/eventlog/v1 contract and exits 0', async () => {
  const { code, json, err } = await runCliJson(['eventlog', LOG]);
  assert.equal(code, 0, err);
  assert.equal(json.schema, 'tee-inspect/eventlog/v1');
  assert.equal(json.format, 'ccel');
  assert.equal(json.eventCount, expected.events);
  assert.deepEqual(json.replayed, expected.replayedRtmr);
  assert.equal(json.events.length, 43);
  const first = json.events[0];
  assert.deepEqual(Object.keys(first).sort(), ['dataSize', 'decoded', 'digestMatchesData', 'digests', 'index', 'register', 'type', 'typeName']);
  assert.equal(first.typeName, 'EV_EFI_HANDOFF_TABLES2');
  assert.match(first.digests[0].digest, /^[0-9a-f]{96}$/);
  assert.deepEqual([first.decoded.kind, first.decoded.description], ['handoff-tables', 'TdxTable']);
  assert.equal(json.claims.bank, 'SHA-384');
  assert.deepEqual(json.claims.registers, json.replayed);
  assert.equal(json.claims.secureBoot, false);
  assert.ok(json.claims.sources.some((s: { claim: string }) => s.claim === 'kernelCmdline'));
});

test('eventlog text: decoded summaries per event and the claims with their event and basis', async () => {
  const { code, out } = await runCli(['eventlog', LOG]);
  assert.equal(code, 0);
  assert.match(out, /EV_EFI_VARIABLE_DRIVER_CONFIG\s+\d+\s+matches\s+SHA-384:[0-9a-f]{16}…\s+SecureBoot: disabled/);
  assert.match(out, /claims \(from this log alone: they hold only if the replayed registers equal a verified quote's\):/);
  assert.match(out, /secureBoot\s+false\s+\[event 2, rtmr0, its digest covers this content\]/);
  assert.match(
    out,
    /bootLoaderDigests\s+[0-9a-f]{96} \(path \(from unverified event data\): .*BOOTX64\.EFI\)\s+\[event \d+, rtmr1, logged digest; what it is comes from unverified event data\]/,
  );
});

test('eventlog text: control characters from event data reach the terminal escaped, never raw', async () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin').slice();
  const log = parseEventLog(bytes);
  const ipl = log.events.find((e) => new TextDecoder().decode(e.data).startsWith('grub_cmd: '))!;
  const at = ipl.data.byteOffset - bytes.byteOffset + 'grub_cmd: '.length;
  bytes.set([0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0xe2, 0x80, 0xae], at);
  const dir = mkdtempSync(join(tmpdir(), 'h2-eventlog-'));
  writeFileSync(join(dir, 'esc.bin'), bytes);
  const { code, out } = await runCli(['eventlog', join(dir, 'esc.bin')]);
  assert.equal(code, 0);
  assert.ok(!/[\x1b\r\u202e]/.test(out), 'no raw ESC, CR or bidi override');
  assert.match(out, /GRUB command: "\\x1b\[2J\\x0d\\u202e/);
});

test('eventlog text: one line per event and the replayed registers, said to be not compared with a quote', async () => {
  const { code, out } = await runCli(['eventlog', LOG]);
  assert.equal(code, 0);
  assert.match(out, /43 events/);
  assert.match(out, /EV_EFI_BOOT_SERVICES_APPLICATION/);
  assert.match(out, new RegExp(`rtmr0\\s+${expected.replayedRtmr && (expected.replayedRtmr as Record<string, string>).rtmr0}`));
  assert.match(out, /not compared with any quote/);
});

test('eventlog: usage errors exit 2 with USAGE_ERROR', async () => {
  for (const args of [['eventlog'], ['eventlog', LOG, LOG], ['eventlog', LOG, '--bogus']]) {
    const { code, json } = await runCliJson(args);
    assert.equal(code, 2, args.join(' '));
    assert.equal(json.errors[0].code, 'USAGE_ERROR', args.join(' '));
  }
  const bad = await runCli(['eventlog', LOG, '--format', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be text or json/);
});

test('eventlog: unreadable, truncated and CCEL-table inputs exit 2 with their code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h6-eventlog-'));
  const cut = join(dir, 'cut.bin');
  writeFileSync(cut, vectorBytes('eventlog/gotdx-ccel-data.bin').subarray(0, 300));
  const cases: [string, string][] = [
    [join(dir, 'missing.bin'), 'FILE_UNREADABLE'],
    [cut, 'MALFORMED_EVIDENCE'],
    [VECTORS_DIR + 'eventlog/gotdx-ccel-table.bin', 'UNSUPPORTED_EVIDENCE'],
  ];
  for (const [file, want] of cases) {
    const { code, json } = await runCliJson(['eventlog', file]);
    assert.equal(code, 2, file);
    assert.equal(json.errors[0].code, want, file);
    const text = await runCli(['eventlog', file]);
    assert.equal(text.code, 2);
    assert.match(text.err, new RegExp(`\\[${want}\\]`));
  }
});

test('the usage text lists eventlog', async () => {
  const { out } = await runCli(['--help']);
  assert.match(out, /tee-inspect eventlog FILE/);
});
