import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureTdx } from '../../app/tee/tdx/measure/index.js';
import { buildTdvf } from '../fixtures/tdx-measure/build-tdvf.js';
import type { SyntheticSection } from '../fixtures/tdx-measure/build-tdvf.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';

/** Our own independent Python implementation of the TDX module's MRTD records (standard library only). */
const REFERENCE = fileURLToPath(new URL('../fixtures/tdx-measure/mrtd_reference.py', import.meta.url));
const CASES = Number(process.env.TEE_MEASURE_DIFF_CASES ?? 40);

function python(): string | undefined {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'python3' : undefined;
}

function reference(file: string): { single?: string; 'two-pass'?: string; error?: string } {
  const r = spawnSync('python3', [REFERENCE, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { single?: string; 'two-pass'?: string; error?: string };
}

/** Sections laid out without overlap: random types, attributes, sizes, raw data possibly shorter than memory. */
function randomImage(r: Prng): Uint8Array {
  const data = r.bytes(0x1000 * (1 + r.int(4)));
  const sections: SyntheticSection[] = [];
  let gpa = 0x100000 * (1 + r.int(16));
  for (let i = 0, n = 1 + r.int(5); i < n; i++) {
    const pages = 1 + r.int(3);
    const attributes = [0, 1, 2][r.int(3)]!;
    const raw = attributes === 1 ? Math.min(data.length, r.int(pages * 0x1000 + 1)) : 0;
    sections.push({
      dataOffset: raw ? r.int(data.length - raw + 1) : 0,
      rawDataSize: raw,
      memoryAddress: gpa,
      memoryDataSize: pages * 0x1000,
      type: r.int(7),
      attributes,
    });
    gpa += (pages + r.int(4)) * 0x1000;
  }
  return buildTdvf(data, sections);
}

test(`differential: ${CASES} seeded random TDVF images agree with the Python reference in both orders`, (t) => {
  if (!python()) {
    console.warn('\n*** SKIPPED: python3 is absent: the MRTD differential test did not run ***\n');
    return t.skip('python3 absent');
  }
  const dir = mkdtempSync(join(tmpdir(), 'tdx-measure-'));
  const r = prng(0x7d1);
  for (let i = 0; i < CASES; i++) {
    const image = randomImage(r);
    const file = join(dir, `case-${i}.fd`);
    writeFileSync(file, image);
    const want = reference(file);
    assert.equal(want.error, undefined, `case ${i}: the reference refused a valid image`);
    assert.equal(measureTdx(image, 'single').mrTd, want.single, `case ${i} single`);
    assert.equal(measureTdx(image, 'two-pass').mrTd, want['two-pass'], `case ${i} two-pass`);
  }
});

test('differential: the real Debian OVMF.fd agrees with the Python reference', (t) => {
  const file = '/usr/share/ovmf/OVMF.fd';
  if (!python() || !existsSync(file)) {
    console.warn(`\n*** SKIPPED: needs python3 and ${file} (Debian "ovmf"): the real-image differential test did not run ***\n`);
    return t.skip('python3 or OVMF absent');
  }
  const want = reference(file);
  const image = new Uint8Array(readFileSync(file));
  assert.equal(measureTdx(image, 'single').mrTd, want.single);
  assert.equal(measureTdx(image, 'two-pass').mrTd, want['two-pass']);
});
