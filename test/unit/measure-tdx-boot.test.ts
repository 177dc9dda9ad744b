import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureTdxCommand, parseMemorySize } from '../../main/cli/measure-tdx.js';
import { predictBootEvents, predictQemuDirectRtmrs } from '../../app/tee/eventlog/predict/index.js';
import { TeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { buildBzImage } from '../fixtures/boot-predict/build-bzimage.js';
import { sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await measureTdxCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), color: false, now: () => new Date(0) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'measure-tdx-boot-'));
const put = (name: string, bytes: Uint8Array) => (writeFileSync(join(dir, name), bytes), join(dir, name));
const kernelBytes = buildBzImage({ certSize: 0x40 });
const initrdBytes = new Uint8Array(4096 * 3 + 5).fill(7);
const kernel = put('vmlinuz', kernelBytes);
const initrd = put('initrd.img', initrdBytes);
const ovmf = put('ovmf.fd', sampleTdvf());
const crypto = nodeCryptoProvider();

interface BootJson {
  mrTd?: string;
  rtmr1?: string;
  rtmr2?: string;
  boot: {
    path: string;
    memoryBytes?: number;
    kernel: { size: number; sha256: string };
    predictions: { claim: string; value: string; method: string }[];
    rtmrMethod?: string;
  };
}

test('--kernel --initrd --append: JSON boot predictions equal the core, RTMR1/RTMR2 predicted for qemu-direct, memory defaulted to 2 GiB', async () => {
  const { code, out } = await run(['--kernel', kernel, '--initrd', initrd, '--append', 'console=ttyS0', '--format', 'json']);
  assert.equal(code, 0);
  const json = JSON.parse(out) as BootJson;
  assert.equal(json.mrTd, undefined, 'no --ovmf, no MRTD');
  assert.equal(json.boot.path, 'qemu-direct');
  assert.equal(json.boot.memoryBytes, 2 * 1024 ** 3);
  assert.equal(json.boot.kernel.size, kernelBytes.length);
  const expected = predictBootEvents({ kernel: kernelBytes, initrd: initrdBytes, cmdline: 'console=ttyS0', path: 'qemu-direct', bank: 'SHA-384' }, crypto);
  assert.deepEqual(json.boot.predictions, expected);
  const rtmrs = predictQemuDirectRtmrs(expected, crypto);
  assert.equal(json.rtmr1, rtmrs.rtmr1);
  assert.equal(json.rtmr2, rtmrs.rtmr2);
  assert.match(json.boot.rtmrMethod!, /QEMU direct boot/);
});

test('with --ovmf the existing members stay as they were, and boot is added beside them', async () => {
  const plain = JSON.parse((await run(['--ovmf', ovmf, '--format', 'json'])).out) as Record<string, unknown>;
  const both = JSON.parse((await run(['--ovmf', ovmf, '--kernel', kernel, '--boot', 'uefi', '--format', 'json'])).out) as Record<string, unknown>;
  for (const k of Object.keys(plain)) assert.deepEqual(both[k], plain[k], k);
  assert.deepEqual(Object.keys(both), [...Object.keys(plain), 'boot']);
  const boot = both.boot as BootJson['boot'];
  assert.equal(boot.memoryBytes, undefined, 'memory belongs to qemu-direct only');
  assert.equal(boot.predictions[0]!.value, predictBootEvents({ kernel: kernelBytes, path: 'uefi', bank: 'SHA-384' }, crypto)[0]!.value);
  assert.equal(both.rtmr1, undefined, 'registers are predicted for qemu-direct only');
});

test('text output: each prediction with its method, the memory and that it is a prediction', async () => {
  const { code, out } = await run(['--kernel', kernel, '--initrd', initrd, '--append', 'quiet', '--memory', '512M']);
  assert.equal(code, 0);
  assert.match(out, /^boot events predicted for --boot qemu-direct, guest memory 536870912 bytes: compare them/);
  assert.match(
    out,
    /\nboot\.kernelDigest [0-9a-f]{96}\n {2}kernel image: Authenticode SHA384 of the image as QEMU patched its setup header \(boot protocol 2\.15, memory 512 MiB/,
  );
  assert.match(out, /\nboot\.kernelCmdlineDigest [0-9a-f]{96}\n {2}kernel command line: /);
  assert.match(out, /\nboot\.initrdDigest [0-9a-f]{96}\n {2}initrd: /);
  assert.match(out, /\nrtmr1 [0-9a-f]{96}\nrtmr2 [0-9a-f]{96}\n {2}replayed from the predicted events/);
  const dflt = await run(['--kernel', kernel]);
  assert.match(dflt.out, /guest memory 2147483648 bytes \(the default, 2 GiB/);
});

test('--initrd-option suffix changes only the command-line digest (and RTMR2)', async () => {
  const a = JSON.parse((await run(['--kernel', kernel, '--initrd', initrd, '--append', 'x', '--format', 'json'])).out) as BootJson;
  const b = JSON.parse((await run(['--kernel', kernel, '--initrd', initrd, '--append', 'x', '--initrd-option', 'suffix', '--format', 'json'])).out) as BootJson;
  const values = (j: BootJson) => j.boot.predictions.map((p) => p.value);
  assert.deepEqual([values(a)[0], values(a)[2], a.rtmr1], [values(b)[0], values(b)[2], b.rtmr1]);
  assert.notEqual(values(a)[1], values(b)[1]);
  assert.notEqual(a.rtmr2, b.rtmr2);
});

test("memory sizes as QEMU's -m reads them: 2G, 512M, a plain number in MiB; nonsense is a usage error", () => {
  assert.equal(parseMemorySize('2G'), 2 * 1024 ** 3);
  assert.equal(parseMemorySize('512M'), 512 * 1024 ** 2);
  assert.equal(parseMemorySize('4GiB'), 4 * 1024 ** 3);
  assert.equal(parseMemorySize('2048'), 2 * 1024 ** 3);
  for (const bad of ['', '2X', '-1', '1.5G', '0x80000000', '512K', '2147483648', '2 G', '0'])
    assert.throws(
      () => parseMemorySize(bad),
      (e: TeeError) => e.code === 'USAGE_ERROR',
      bad,
    );
});

test('usage errors exit 2 with no value printed: boot flags without --kernel, bad --boot, --memory off qemu-direct, a kernel that is not a bzImage', async () => {
  const notKernel = put('not-a-kernel', new Uint8Array(0x2000));
  const cases: [string[], RegExp][] = [
    [['--initrd', initrd], /--initrd predicts boot events and needs --kernel FILE/],
    [['--kernel', kernel, '--boot', 'pxe'], /--boot must be qemu-direct, uefi or grub/],
    [['--kernel', kernel, '--boot', 'grub', '--memory', '2G'], /--memory applies to --boot qemu-direct only/],
    [['--kernel', kernel, '--initrd-option', 'middle'], /--initrd-option must be prefix or suffix/],
    [['--kernel', notKernel], /no Linux boot-protocol header/],
  ];
  for (const [argv, pattern] of cases) {
    const { code, out, err } = await run(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.equal(out, '');
    assert.match(err, pattern);
    assert.match(err, /\[USAGE_ERROR\]\nusage: tee-inspect measure tdx --ovmf FILE/);
  }
  const json = await run(['--kernel', notKernel, '--format', 'json']);
  assert.equal(json.code, 2);
  assert.doesNotMatch(json.out, /[0-9a-f]{96}/);
  assert.equal((JSON.parse(json.out) as { errors: { code: string }[] }).errors[0]!.code, 'USAGE_ERROR');
});
