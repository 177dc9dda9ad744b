import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { eventTypeName } from '../../app/tee/eventlog/event-types.js';
import { isTeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';

const crypto = nodeCryptoProvider();
const SIZES: Record<number, number> = { 0x0004: 20, 0x000b: 32, 0x000c: 48 };
const NODE: Record<number, string> = { 0x0004: 'sha1', 0x000b: 'sha256', 0x000c: 'sha384' };

interface Rec {
  index: number;
  type: number;
  data: Uint8Array;
  /** Default: the hash of the data in each bank. */
  digests?: { alg: number; digest: Uint8Array }[];
}

const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
const u16 = (v: number) => new Uint8Array(new Uint16Array([v]).buffer);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);
const hash = (alg: number, data: Uint8Array) => new Uint8Array(createHash(NODE[alg]!).update(data).digest());

/** A crypto-agile log built by hand (TCG PFP 10.2.1-10.2.2), independently of the parser under test. */
function buildLog(algs: number[], records: Rec[], o: { numberOfAlgorithms?: number; fill?: number } = {}): Uint8Array {
  const pairs = algs.map((a) => cat(u16(a), u16(SIZES[a]!)));
  const specId = cat(text('Spec ID Event03\0'), u32(0), new Uint8Array([0, 2, 0, 2]), u32(o.numberOfAlgorithms ?? algs.length), ...pairs, new Uint8Array([0]));
  const header = cat(u32(0), u32(3), new Uint8Array(20), u32(specId.length), specId);
  const body = records.map((r) => {
    const digests = r.digests ?? algs.map((alg) => ({ alg, digest: hash(alg, r.data) }));
    return cat(u32(r.index), u32(r.type), u32(digests.length), ...digests.map((d) => cat(u16(d.alg), d.digest)), u32(r.data.length), r.data);
  });
  return cat(header, ...body, new Uint8Array(64).fill(o.fill ?? 0xff));
}

function extend(alg: number, values: Uint8Array[], initial = new Uint8Array(SIZES[alg]!)): string {
  let pcr = initial;
  for (const v of values) pcr = new Uint8Array(createHash(NODE[alg]!).update(pcr).update(hash(alg, v)).digest());
  return Buffer.from(pcr).toString('hex');
}

const STARTUP = cat(text('StartupLocality\0'), new Uint8Array([3]));
const SEP = new Uint8Array(4);
const RECORDS: Rec[] = [
  { index: 0, type: 3, data: STARTUP, digests: [0x0004, 0x000b].map((alg) => ({ alg, digest: new Uint8Array(SIZES[alg]!) })) },
  { index: 0, type: 0x08, data: text('firmware version') },
  { index: 7, type: 0x80000001, data: text('SecureBoot') },
  { index: 0, type: 4, data: SEP },
  { index: 7, type: 4, data: SEP },
];

test('a TPM log: SHA-256 bank replayed per PCR, PCR0 from the StartupLocality locality, EV_NO_ACTION not extended', async () => {
  const view = await inspectEventLog(buildLog([0x0004, 0x000b], RECORDS), crypto);
  const pcr0Start = new Uint8Array(32);
  pcr0Start[31] = 3;
  assert.equal(view.format, 'tcg');
  assert.equal(view.eventCount, 5);
  assert.equal(view.startupLocality, 3);
  assert.deepEqual(view.replayed, { pcr0: extend(0x000b, [text('firmware version'), SEP], pcr0Start), pcr7: extend(0x000b, [text('SecureBoot'), SEP]) });
  assert.deepEqual(view.banks!['SHA-256'], view.replayed);
  assert.deepEqual(view.notReplayed, ['SHA-1']);
  assert.equal(view.events[0]!.register, undefined);
  assert.equal(view.events[2]!.register, 'pcr7');
  assert.equal(view.events[2]!.digestMatchesData, true);
});

test('without StartupLocality PCR0 starts from zeros; a SHA-384-only log with PCR 7 is tcg, not ccel', async () => {
  const view = await inspectEventLog(buildLog([0x000c], RECORDS.slice(1), { fill: 0 }), crypto);
  assert.equal(view.format, 'tcg');
  assert.equal(view.startupLocality, undefined);
  assert.deepEqual(view.replayed, { pcr0: extend(0x000c, [text('firmware version'), SEP]), pcr7: extend(0x000c, [text('SecureBoot'), SEP]) });
});

test('a SHA-384-only log within MR index 1..4 is ccel: RTMR(i-1) from zeros', async () => {
  const view = await inspectEventLog(
    buildLog(
      [0x000c],
      [
        { index: 1, type: 4, data: SEP },
        { index: 4, type: 0x80000007, data: text('x') },
      ],
    ),
    crypto,
  );
  const zero = extend(0x000c, []);
  assert.equal(view.format, 'ccel');
  assert.deepEqual(view.replayed, { rtmr0: extend(0x000c, [SEP]), rtmr1: zero, rtmr2: zero, rtmr3: extend(0x000c, [text('x')]) });
});

test('a digest that is not the hash of the data says so', async () => {
  const view = await inspectEventLog(
    buildLog([0x000b], [{ index: 4, type: 0x80000003, data: text('image path'), digests: [{ alg: 0x000b, digest: hash(0x000b, text('image')) }] }]),
    crypto,
  );
  assert.equal(view.events[0]!.digestMatchesData, false);
  assert.equal(view.events[0]!.typeName, 'EV_EFI_BOOT_SERVICES_APPLICATION');
});

const malformed: [string, () => Uint8Array, RegExp][] = [
  ['more than 64 algorithms', () => buildLog([0x000b], [], { numberOfAlgorithms: 65 }), /65 algorithms/],
  [
    'a record with fewer digests than banks',
    () => buildLog([0x0004, 0x000b], [{ index: 0, type: 4, data: SEP, digests: [{ alg: 0x000b, digest: hash(0x000b, SEP) }] }]),
    /1 digests/,
  ],
  [
    'a digest of an undeclared algorithm',
    () => buildLog([0x000b], [{ index: 0, type: 4, data: SEP, digests: [{ alg: 0x000c, digest: hash(0x000c, SEP) }] }]),
    /does not declare/,
  ],
  ['a first event that is not EV_NO_ACTION', () => cat(u32(0), u32(4), new Uint8Array(40)), /not EV_NO_ACTION/],
  ['a first event without the Spec ID signature', () => cat(u32(0), u32(3), new Uint8Array(20), u32(40), new Uint8Array(40)), /Spec ID/],
];

for (const [name, make, message] of malformed) {
  test(`malformed: ${name} is MALFORMED_EVIDENCE`, () => {
    assert.throws(
      () => parseEventLog(make()),
      (e: unknown) => isTeeError(e) && e.code === 'MALFORMED_EVIDENCE' && message.test(e.message),
    );
  });
}

test('an event size beyond the input is refused before reading', () => {
  const log = buildLog([0x000b], [{ index: 0, type: 4, data: SEP }], { fill: 0 });
  const sizeAt = log.length - 64 - 4 - 4;
  log.set(u32(0x7fffffff), sizeAt);
  assert.throws(
    () => parseEventLog(log),
    (e: unknown) => isTeeError(e) && e.code === 'MALFORMED_EVIDENCE' && e.detail.field === 'event.event',
  );
});

test('event type names follow the TCG PC Client spec; unknown types are shown by number', () => {
  assert.equal(eventTypeName(0x0d), 'EV_IPL');
  assert.equal(eventTypeName(0x8000000c), 'EV_EFI_VARIABLE_BOOT2');
  assert.equal(eventTypeName(0x80000006), 'EV_EFI_GPT_EVENT');
  assert.equal(eventTypeName(0x01), 'EV_POST_CODE');
  assert.equal(eventTypeName(0x1234), '0x00001234');
});
