import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
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
