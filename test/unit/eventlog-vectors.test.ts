import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { toBase64 } from '../../app/bytes/base64.js';
import { toHex } from '../../app/bytes/hex.js';
import { isTeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { manifest, vectorBytes, VECTORS_DIR } from '../support/vectors.js';

const crypto = nodeCryptoProvider();
const LOGS = manifest().vectors.filter((v) => v.technology === 'eventlog');

interface TrusteeEvent {
  index: number;
  type_name: string;
  digest_matches_event: boolean;
  digests: { alg: string; digest: string }[];
  event: string;
}

test('the manifest lists the three event logs', () => {
  assert.deepEqual(LOGS.map((v) => v.path).sort(), ['eventlog/gotdx-ccel-data.bin', 'eventlog/trustee-ccel-ovmf.bin', 'eventlog/trustee-ccel-td-shim.bin']);
});

for (const v of LOGS) {
  test(`${v.path}: event count and replayed RTMRs as the manifest says`, async () => {
    const view = await inspectEventLog(vectorBytes(v.path), crypto);
    assert.equal(view.schema, 'tee-inspect/eventlog/v1');
    assert.equal(view.format, 'ccel');
    assert.equal(view.eventCount, v.expect.fields!.events);
    assert.equal(view.events.length, view.eventCount);
    assert.deepEqual(view.replayed, v.expect.fields!.replayedRtmr);
    assert.deepEqual(view.algorithms, ['SHA-384']);
  });
}

for (const name of ['trustee-ccel-ovmf', 'trustee-ccel-td-shim']) {
  test(`${name}: every event as trustee parsed it (index, type, digest, data, digest_matches_event)`, async () => {
    const expected = (JSON.parse(readFileSync(`${VECTORS_DIR}eventlog/${name}.expected.json`, 'utf8')) as { uefi_event_logs: TrusteeEvent[] }).uefi_event_logs;
    const bytes = vectorBytes(`eventlog/${name}.bin`);
    const view = await inspectEventLog(bytes, crypto);
    const parsed = parseEventLog(bytes);
    assert.equal(view.events.length, expected.length);
    expected.forEach((want, i) => {
      const got = view.events[i]!;
      assert.equal(got.index, want.index, `event ${i} index`);
      assert.equal(got.typeName, want.type_name, `event ${i} type`);
      assert.deepEqual(got.digests, want.digests, `event ${i} digests`);
      assert.equal(got.digestMatchesData, want.digest_matches_event, `event ${i} digestMatchesData`);
      assert.equal(toBase64(parsed.events[i]!.data), want.event, `event ${i} data`);
      assert.equal(got.register, `rtmr${want.index - 1}`);
    });
  });
}

test('gotdx: the replayed RTMRs equal the RTMRs of the TD quote the log came with', async () => {
  const quote = parseQuote(vectorBytes('eventlog/gotdx-cos113-tdx.quote'));
  assert.notEqual(quote.body.kind, 'sgx');
  const rtmr = quote.body.kind === 'sgx' ? [] : quote.body.report.rtmr;
  const view = await inspectEventLog(vectorBytes('eventlog/gotdx-ccel-data.bin'), crypto);
  assert.deepEqual(view.replayed, Object.fromEntries(rtmr.map((r, i) => [`rtmr${i}`, toHex(r)])));
});

test('an EV_NO_ACTION record is counted and listed without a register, but never extended', async () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const at = parseEventLog(bytes).events[3]!.offset;
  const record = new Uint8Array(4 + 4 + 4 + 2 + 48 + 4);
  const view = new DataView(record.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 3, true);
  view.setUint32(8, 1, true);
  view.setUint16(12, 0x000c, true);
  record.fill(0xa5, 14, 14 + 48);
  const spliced = new Uint8Array(bytes.length + record.length);
  spliced.set(bytes.subarray(0, at));
  spliced.set(record, at);
  spliced.set(bytes.subarray(at), at + record.length);
  const before = await inspectEventLog(bytes, crypto);
  const after = await inspectEventLog(spliced, crypto);
  assert.equal(after.eventCount, 44);
  assert.equal(after.format, 'ccel');
  assert.equal(after.events[3]!.typeName, 'EV_NO_ACTION');
  assert.equal(after.events[3]!.register, undefined);
  assert.deepEqual(after.replayed, before.replayed);
});

test('a one-nibble change in one digest changes the replayed register (a mismatch is detectable)', async () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin').slice();
  const before = await inspectEventLog(bytes, crypto);
  const target = parseEventLog(bytes).events.find((e) => e.index === 2 && e.type !== 3)!;
  const digestAt = target.offset + 4 + 4 + 4 + 2;
  bytes[digestAt] = bytes[digestAt]! ^ 0x01;
  const after = await inspectEventLog(bytes, crypto);
  assert.notEqual(after.replayed.rtmr1, before.replayed.rtmr1);
  assert.equal(after.replayed.rtmr0, before.replayed.rtmr0);
  assert.equal(after.eventCount, before.eventCount);
});

test('the ACPI CCEL table is recognised and the user told to give the CCEL data file', () => {
  assert.throws(
    () => parseEventLog(vectorBytes('eventlog/gotdx-ccel-table.bin')),
    (e: unknown) =>
      isTeeError(e) && e.code === 'UNSUPPORTED_EVIDENCE' && /\/sys\/firmware\/acpi\/tables\/data\/CCEL/.test(e.message) && /262144 bytes/.test(e.message),
  );
});

test('a log cut anywhere inside an event is MALFORMED_EVIDENCE naming the field', () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const log = parseEventLog(bytes);
  for (const i of [0, 1, 5, 20, log.events.length - 1]) {
    const e = log.events[i]!;
    const next = e.data.byteOffset - bytes.byteOffset + e.data.length;
    for (let cut = e.offset + 1; cut < next; cut++) {
      assert.throws(
        () => parseEventLog(bytes.subarray(0, cut)),
        (err: unknown) => isTeeError(err) && err.code === 'MALFORMED_EVIDENCE' && typeof err.detail.field === 'string',
        `event ${i} cut at ${cut}`,
      );
    }
  }
});

test('a log cut inside the Spec ID header is MALFORMED_EVIDENCE', () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  for (let cut = 0; cut < parseEventLog(bytes).events[0]!.offset; cut++) {
    assert.throws(
      () => parseEventLog(bytes.subarray(0, cut)),
      (err: unknown) => isTeeError(err) && err.code === 'MALFORMED_EVIDENCE',
      `cut at ${cut}`,
    );
  }
});

test('the end of the log: 0xFF fill and 0x00 fill both end it, at the same event', () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const log = parseEventLog(bytes);
  const zeroFilled = bytes.slice();
  zeroFilled.fill(0, log.end);
  assert.equal(parseEventLog(zeroFilled).events.length, 43);
  assert.equal(parseEventLog(bytes.subarray(0, log.end)).events.length, 43);
  assert.ok(bytes.subarray(log.end).every((b) => b === 0xff));
});

test('parse and replay of the 43-event log take well under 100 ms', async () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  await inspectEventLog(bytes, crypto);
  const t = performance.now();
  await inspectEventLog(bytes, crypto);
  const ms = performance.now() - t;
  assert.ok(ms < 100, `${ms} ms`);
});
