import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { artefactSet } from '../../app/appraisal/artefact-set.js';
import { mergeReference } from '../../app/appraisal/merge-reference.js';
import { TeeError } from '../../app/errors.js';
import { tdxReferenceValues } from '../../app/tee/tdx/measure/reference-values.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';
import { buildBzImage } from '../fixtures/boot-predict/build-bzimage.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';

/**
 * Structural fuzz of the `provenance` member: a real created set (MRTD and boot values, each with provenance), with one
 * value anywhere inside it replaced by another JSON value. Parsing gives a set or MALFORMED_REFERENCE, nothing else.
 * TEE_FUZZ_PROVENANCE=N for a long run.
 */
const CASES = Number(process.env.TEE_FUZZ_PROVENANCE ?? 3000);

function seed(): unknown {
  const crypto = nodeCryptoProvider();
  const values = tdxReferenceValues(
    {
      ovmf: { name: 'OVMF.fd', bytes: sampleTdvf() },
      pageAddOrder: 'single',
      boot: 'qemu-direct',
      kernel: { name: 'bzImage', bytes: buildBzImage() },
      cmdline: 'console=ttyS0',
    },
    'tee-inspect 0.9.0',
    '2026-12-01T00:00:00Z',
    crypto,
  );
  return mergeReference(undefined, artefactSet(values, 'tee-inspect 0.9.0', 'prod'));
}

const SUBSTITUTES: readonly (() => unknown)[] = [
  () => null,
  () => -1,
  () => 1e308,
  () => 2 ** 60,
  () => '',
  () => 'x'.repeat(5000),
  () => '0'.repeat(64),
  () => '2026-13-01T00:00:00Z',
  () => [],
  () => ({}),
  () => ({ __proto__: 1 }),
  () => JSON.parse('{"__proto__": {"polluted": true}}'),
  () => true,
];

/** Every path to a value inside the sets' provenance. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))];
}

function replaceAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc));
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1]!] = value;
  return copy;
}

const pick = <T>(r: Prng, list: readonly T[]) => list[r.int(list.length)]!;

test(`reference provenance: ${CASES} structural mutations give a set or MALFORMED_REFERENCE`, () => {
  const doc = seed() as { sets: { provenance: unknown }[] };
  assert.doesNotThrow(() => parseReferenceValues(doc), 'the seed itself parses');
  const inside = paths(doc.sets[0]!.provenance, ['sets', 0, 'provenance']).filter((p) => p.length > 3);
  const r = prng(20261202);
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const mutated = replaceAt(doc, pick(r, inside), pick(r, SUBSTITUTES)());
    try {
      parseReferenceValues(mutated);
    } catch (e) {
      assert.ok(e instanceof TeeError && e.code === 'MALFORMED_REFERENCE', `case ${i}: ${(e as Error).constructor.name}: ${(e as Error).message}`);
      refused++;
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  assert.ok(refused > CASES / 2, `most mutations are refused (${refused} of ${CASES})`);
});
