import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureTdxCommand } from '../../main/cli/measure-tdx.js';
import { measureTdx } from '../../app/tee/tdx/measure/index.js';
import { buildTdvf, sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await measureTdxCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), color: false, now: () => new Date(0) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'measure-tdx-cli-'));
const good = join(dir, 'ovmf.fd');
writeFileSync(good, sampleTdvf());
const pastEnd = join(dir, 'code-only.fd');
writeFileSync(
  pastEnd,
  buildTdvf(new Uint8Array(0x1000), [{ dataOffset: 0x10000, rawDataSize: 0x1000, memoryAddress: 0x100000, memoryDataSize: 0x1000, type: 0, attributes: 1 }]),
);

test('measure tdx --format json prints mrTd (96 hex) with order, image digest and sections; exit 0', async () => {
  for (const order of ['single', 'two-pass'] as const) {
    const { code, out } = await run(['--ovmf', good, '--page-add-order', order, '--format', 'json']);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { mrTd: string; pageAddOrder: string; ovmf: { size: number; sha256: string }; sections: unknown[] };
    assert.match(json.mrTd, /^[0-9a-f]{96}$/);
    assert.equal(json.mrTd, measureTdx(sampleTdvf(), order).mrTd);
    assert.equal(json.pageAddOrder, order);
    assert.equal(json.ovmf.size, sampleTdvf().length);
    assert.match(json.ovmf.sha256, /^[0-9a-f]{64}$/);
    assert.equal(json.sections.length, 5);
  }
});

test('measure tdx text: digest first, default order single, says it is a prediction, one line per section', async () => {
  const { code, out } = await run(['--ovmf', good]);
  assert.equal(code, 0);
  assert.match(out, new RegExp(`^mrTd ${measureTdx(sampleTdvf(), 'single').mrTd}\n`));
  assert.match(out, /page-add order single \(QEMU 9 and later\)/);
  assert.match(out, /predicted from the image alone/);
  assert.match(out, /PermMem\s+0x1000000\s+16384\s+0\+0\s+not measured \(PAGE\.AUG\)/);
});

test('metadata pointing past the end of the image: exit 2 and no digest, in text and JSON', async () => {
  const text = await run(['--ovmf', pastEnd]);
  assert.equal(text.code, 2);
  assert.equal(text.out, '');
  assert.match(text.err, /past the end .*\[MALFORMED_EVIDENCE\]/);
  const json = await run(['--ovmf', pastEnd, '--format', 'json']);
  assert.equal(json.code, 2);
  assert.doesNotMatch(json.out, /mrTd|[0-9a-f]{96}/);
  assert.equal((JSON.parse(json.out) as { errors: { code: string }[] }).errors[0]!.code, 'MALFORMED_EVIDENCE');
});

test('usage errors exit 2 with the usage line: no --ovmf, bad order, bad format, unknown flag', async () => {
  for (const argv of [[], ['--ovmf', good, '--page-add-order', 'three'], ['--ovmf', good, '--format', 'xml'], ['--ovmf', good, '--vcpus', '2']]) {
    const { code, out, err } = await run(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.equal(out, '');
    assert.match(err, /\[USAGE_ERROR\]\nusage: tee-inspect measure tdx --ovmf FILE/);
  }
});

test('an unreadable file is FILE_UNREADABLE, exit 2, JSON error when asked', async () => {
  const { code, out } = await run(['--ovmf', join(dir, 'absent.fd'), '--format', 'json']);
  assert.equal(code, 2);
  assert.equal((JSON.parse(out) as { errors: { code: string }[] }).errors[0]!.code, 'FILE_UNREADABLE');
});
