import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { decodeEvent } from '../../app/tee/eventlog/decode/index.js';
import { ERROR_CODES, isTeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';
import { vectorBytes } from '../support/vectors.js';

const crypto = nodeCryptoProvider();
const SOURCES = ['eventlog/gotdx-ccel-data.bin', 'eventlog/trustee-ccel-ovmf.bin', 'eventlog/trustee-ccel-td-shim.bin'];

/** Mutations of a real log: flipped bytes, 0xFF/0x00 words (end marks, sizes), or a cut, within the used area. */
function mutate(bytes: Uint8Array, used: number, rng: Prng): Uint8Array {
  const out = bytes.slice(0, used + 16);
  const kind = rng.int(4);
  const at = rng.int(used);
  if (kind === 0) out[at] = rng.int(256);
  else if (kind === 1) out.set([0xff, 0xff, 0xff, 0xff].slice(0, out.length - at), at);
  else if (kind === 2) out.set(rng.bytes(Math.min(4, out.length - at)), at);
  else return out.subarray(0, at);
  return out;
}

function assertTyped(e: unknown, seed: string): void {
  assert.ok(isTeeError(e), `${seed}: ${String(e)}`);
  assert.ok((ERROR_CODES as readonly string[]).includes(e.code), seed);
  assert.notEqual(e.code, 'INTERNAL_ERROR', seed);
}

for (const [n, path] of SOURCES.entries()) {
  test(`fuzz ${path}: 3000 seeded mutations parse or fail with a typed error, never hang`, () => {
    const bytes = vectorBytes(path);
    const used = parseEventLog(bytes).end;
    const rng = prng(0xe7e7 + n);
    const started = performance.now();
    let failed = 0;
    for (let i = 0; i < 3000; i++) {
      try {
        parseEventLog(mutate(bytes, used, rng));
      } catch (e) {
        assertTyped(e, `${path} #${i}`);
        failed++;
      }
    }
    assert.ok(failed > 0, 'some mutations must be refused');
    assert.ok(performance.now() - started < 20_000, 'the loop must not hang');
  });
}

test('fuzz: 300 mutations through the full inspect (hashing and replay) stay typed', async () => {
  const bytes = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const used = parseEventLog(bytes).end;
  const rng = prng(42);
  for (let i = 0; i < 300; i++) {
    try {
      const view = await inspectEventLog(mutate(bytes, used, rng), crypto);
      assert.equal(view.events.length, view.eventCount);
    } catch (e) {
      assertTyped(e, `#${i}`);
    }
  }
});

test('fuzz: random bytes and all-fill inputs are typed errors or empty logs', () => {
  const rng = prng(7);
  for (let i = 0; i < 1000; i++) {
    try {
      parseEventLog(rng.bytes(rng.int(200)));
    } catch (e) {
      assertTyped(e, `random #${i}`);
    }
  }
  for (const fill of [0x00, 0xff])
    assert.throws(
      () => parseEventLog(new Uint8Array(4096).fill(fill)),
      (e: unknown) => isTeeError(e) && e.code === 'MALFORMED_EVIDENCE',
    );
});

/** Every type with a decoder, and one without (raw). */
const DECODED_TYPES = [
  0x1, 0x4, 0x5, 0x6, 0x8, 0xd, 0x80000001, 0x80000002, 0x80000003, 0x80000004, 0x80000005, 0x80000006, 0x80000007, 0x80000008, 0x80000009, 0x8000000a,
  0x8000000b, 0x8000000c, 0x8000000d, 0x800000e0, 0xa,
];
const GO_EVENTLOG = [
  'rhel8-uefi.bin',
  'ubuntu-1804-amd-sev.bin',
  'cos-101-amd-sev.bin',
  'ubuntu-2104-no-secure-boot.bin',
  'cos-113-intel-tdx-dupe-separator-unpadded.bin',
];
/** Cases for the decoder loop; TEE_FUZZ_DECODE_CASES=1000000 for the long run. */
const DECODE_CASES = Number(process.env.TEE_FUZZ_DECODE_CASES ?? 30_000);

function realEvents(): { type: number; data: Uint8Array }[] {
  const logs = [
    ...SOURCES.map((p) => vectorBytes(p)),
    ...GO_EVENTLOG.map((f) => new Uint8Array(readFileSync(new URL(`../fixtures/go-eventlog/${f}`, import.meta.url)))),
  ];
  return logs.flatMap((b) => parseEventLog(b).events.map((e) => ({ type: e.type, data: e.data })));
}

/** A real payload with one change: a byte, a 0xFFFFFFFF length, a cut, or a random tail; sometimes under another type. */
function mutatePayload(data: Uint8Array, rng: Prng): Uint8Array {
  const out = data.slice();
  const kind = rng.int(5);
  const at = rng.int(Math.max(1, out.length));
  if (kind === 0 && out.length) out[at] = rng.int(256);
  else if (kind === 1) out.set([0xff, 0xff, 0xff, 0xff].slice(0, Math.max(0, out.length - at)), at);
  else if (kind === 2) return out.subarray(0, at);
  else if (kind === 3) return rng.bytes(rng.int(96));
  else out.set(rng.bytes(Math.min(8, Math.max(0, out.length - at))), at);
  return out;
}

test(`fuzz decoders: ${DECODE_CASES} mutated real payloads and random bytes decode or say "not decodable", never throw`, () => {
  const events = realEvents();
  const rng = prng(0xdec0de);
  const started = performance.now();
  const kinds = new Map<string, number>();
  for (let i = 0; i < DECODE_CASES; i++) {
    const e = events[rng.int(events.length)]!;
    const type = rng.int(4) === 0 ? DECODED_TYPES[rng.int(DECODED_TYPES.length)]! : e.type;
    const data = mutatePayload(e.data, rng);
    let d;
    try {
      d = decodeEvent(type, data, { uintnSize: rng.int(8) === 0 ? 1 : 2 });
    } catch (err) {
      assert.fail(`case ${i} (type 0x${type.toString(16)}, ${data.length} bytes): decodeEvent threw ${String(err)}`);
    }
    assert.equal(typeof d.summary, 'string');
    kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  }
  assert.ok((kinds.get('undecodable') ?? 0) > 0, 'some payloads must be refused');
  assert.ok(kinds.size >= 8, `many decoders reached: ${[...kinds.keys()].join(', ')}`);
  if (process.env.TEE_FUZZ_DECODE_CASES)
    console.log(`fuzz decoders: ${DECODE_CASES} cases in ${Math.round(performance.now() - started)} ms`, Object.fromEntries(kinds));
});

test('fuzz: 100 mutations of each go-eventlog TPM log through the full inspect (decode, claims) stay typed', async () => {
  for (const [n, f] of GO_EVENTLOG.entries()) {
    const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/go-eventlog/${f}`, import.meta.url)));
    const used = parseEventLog(bytes).end;
    const rng = prng(0x600d + n);
    for (let i = 0; i < 100; i++) {
      try {
        const view = await inspectEventLog(mutate(bytes, used, rng), crypto);
        assert.equal(view.events.length, view.eventCount);
        for (const s of view.claims.sources) assert.equal(view.events[s.event]!.register, s.register);
      } catch (e) {
        assertTyped(e, `${f} #${i}`);
      }
    }
  }
});
