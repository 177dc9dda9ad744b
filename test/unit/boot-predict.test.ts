import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { predictBootEvents, predictQemuDirectRtmrs } from '../../app/tee/eventlog/predict/index.js';
import type { BootArtefacts, BootPath } from '../../app/tee/eventlog/predict/index.js';
import { patchSetupHeader } from '../../app/tee/eventlog/predict/qemu-setup-header.js';
import { TeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { buildBzImage } from '../fixtures/boot-predict/build-bzimage.js';
import type { BzImageOptions } from '../fixtures/boot-predict/build-bzimage.js';

const crypto = nodeCryptoProvider();
const REFERENCE = fileURLToPath(new URL('../fixtures/boot-predict/boot_reference.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'boot-predict-'));
const python = spawnSync('python3', ['--version']).status === 0;
const loud = (t: { skip(m: string): void }, why: string) => (console.warn(`\n*** SKIPPED: ${why} ***\n`), t.skip(why));

interface Case {
  name: string;
  kernel?: BzImageOptions;
  initrdBytes?: number;
  cmdline?: string;
  path: BootPath;
  memory?: number;
  bank: 'SHA-384' | 'SHA-256';
  initrdOption?: 'prefix' | 'suffix';
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function reference(c: Case, kernel: string | null, initrd: string | null): Record<string, string> {
  const arg = {
    kernel,
    initrd,
    cmdline: c.cmdline ?? null,
    path: c.path,
    memory: c.memory ?? 2 * 1024 ** 3,
    bank: c.bank.replace('-', '').toLowerCase(),
    initrdOption: c.initrdOption ?? 'prefix',
  };
  const r = spawnSync('python3', [REFERENCE, JSON.stringify(arg)], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as Record<string, string>;
  assert.equal(out.error, undefined, `python reference failed: ${out.error}`);
  return out;
}

function ours(c: Case, kernel: Uint8Array | undefined, initrd: Uint8Array | undefined): Record<string, string> {
  const a: BootArtefacts = { path: c.path, bank: c.bank, ...(kernel ? { kernel } : {}), ...(initrd ? { initrd } : {}) };
  if (c.cmdline !== undefined) a.cmdline = c.cmdline;
  if (c.memory !== undefined) a.memoryBytes = c.memory;
  if (c.initrdOption) a.initrdOption = c.initrdOption;
  const p = predictBootEvents(a, crypto);
  const out: Record<string, string> = Object.fromEntries(p.map((x) => [x.claim, x.value]));
  if (c.path === 'qemu-direct' && c.bank === 'SHA-384') {
    const r = predictQemuDirectRtmrs(p, crypto);
    if (r.rtmr1) out.rtmr1 = r.rtmr1;
    if (r.rtmr2) out.rtmr2 = r.rtmr2;
  }
  return out;
}

const CASES: Case[] = [
  {
    name: 'qemu-direct, protocol 2.15, 2 GiB, initrd, edk2 prefix',
    kernel: {},
    initrdBytes: 5000,
    cmdline: 'console=ttyS0 root=/dev/vda1',
    path: 'qemu-direct',
    bank: 'SHA-384',
  },
  {
    name: 'qemu-direct, older OVMF suffix',
    kernel: {},
    initrdBytes: 5000,
    cmdline: 'console=ttyS0',
    path: 'qemu-direct',
    bank: 'SHA-384',
    initrdOption: 'suffix',
  },
  {
    name: 'qemu-direct, 4 GiB (2 GiB below 4G), initrd above-4G flag',
    kernel: { protocol: 0x20c, xloadflags: 2 },
    initrdBytes: 70000,
    cmdline: 'quiet',
    path: 'qemu-direct',
    memory: 4 * 1024 ** 3,
    bank: 'SHA-384',
  },
  {
    name: 'qemu-direct, 512 MiB, initrd_addr_max below memory',
    kernel: { initrdAddrMax: 0x0fffffff },
    initrdBytes: 4096,
    cmdline: '',
    path: 'qemu-direct',
    memory: 512 * 1024 ** 2,
    bank: 'SHA-384',
  },
  { name: 'qemu-direct, no initrd, vga=0x317 and a non-ASCII word', kernel: {}, cmdline: 'vga=0x317 café', path: 'qemu-direct', bank: 'SHA-384' },
  {
    name: 'qemu-direct, vga=ext, low kernel (no LOADED_HIGH)',
    kernel: { loadedHigh: false },
    initrdBytes: 100,
    cmdline: 'a vga=ext',
    path: 'qemu-direct',
    bank: 'SHA-384',
  },
  {
    name: 'qemu-direct, high but ancient kernel (protocol 2.01)',
    kernel: { protocol: 0x201 },
    initrdBytes: 100,
    cmdline: 'x',
    path: 'qemu-direct',
    bank: 'SHA-384',
  },
  { name: 'qemu-direct, SHA-256 bank (a vTPM log)', kernel: {}, initrdBytes: 300, cmdline: 'ro', path: 'qemu-direct', bank: 'SHA-256' },
  { name: 'qemu-direct, kernel only, empty cmdline: no load options', kernel: {}, path: 'qemu-direct', bank: 'SHA-384' },
  {
    name: 'uefi, signed (certificate table), SHA-384',
    kernel: { certSize: 0x48 },
    initrdBytes: 777,
    cmdline: 'root=LABEL=x ro',
    path: 'uefi',
    bank: 'SHA-384',
  },
  { name: 'uefi, trailing data, SHA-256', kernel: { trailer: 0x30, certSize: 0x28 }, cmdline: 'ünïcode', path: 'uefi', bank: 'SHA-256' },
  {
    name: 'grub, SHA-256',
    kernel: { certSize: 0x20 },
    initrdBytes: 999,
    cmdline: 'BOOT_IMAGE=/vmlinuz-6.1.0-57-amd64 root=UUID=1 ro quiet',
    path: 'grub',
    bank: 'SHA-256',
  },
  { name: 'grub, SHA-384, initrd only', initrdBytes: 12345, path: 'grub', bank: 'SHA-384' },
];

for (const c of CASES) {
  test(`known answers from the independent Python reference: ${c.name}`, (t) => {
    if (!python) return loud(t, 'python3 is absent: boot predictions not checked against the independent reference');
    const kernel = c.kernel ? buildBzImage({ ...c.kernel, seed: c.name.length }) : undefined;
    const initrd = c.initrdBytes ? new Uint8Array(c.initrdBytes).map((_, i) => (i * 31 + 7) & 0xff) : undefined;
    const expected = reference(c, kernel ? file(`${c.name.length}.k`, kernel) : null, initrd ? file(`${c.name.length}.i`, initrd) : null);
    assert.deepEqual(ours(c, kernel, initrd), expected);
  });
}

test('the setup-header patch, worked out by hand: protocol 2.15 high kernel, 2 GiB, 30 MiB initrd', () => {
  const k = buildBzImage();
  const { image, initrdAddress } = patchSetupHeader(k, 'console=ttyS0', 31457280, 2 * 1024 ** 3);
  const dv = new DataView(image.buffer);
  assert.equal(image[0x210], 0xb0, 'type_of_loader: QEMU');
  assert.equal(image[0x211], 0x81, 'LOADED_HIGH | CAN_USE_HEAP');
  assert.equal(dv.getUint16(0x224, true), 0x20000 - 0x10000 - 0x200, 'heap_end_ptr');
  assert.equal(dv.getUint32(0x228, true), 0x20000, 'cmd_line_ptr');
  // initrd_max 0x7fffffff is capped at 2 GiB - 0x28000 - 1 = 0x7ffd7fff; minus 0x1e00000, page-aligned down.
  assert.equal(initrdAddress, 0x7e1d7000);
  assert.equal(dv.getUint32(0x218, true), 0x7e1d7000);
  assert.equal(dv.getUint32(0x21c, true), 31457280);
  const changed = [...image.keys()].filter((i) => image[i] !== k[i]);
  assert.ok(
    changed.every((i) => i >= 0x210 && i < 0x22c),
    `only setup-header bytes change: ${changed.map((i) => i.toString(16)).join(',')}`,
  );
});

test('every prediction names its input, label and method; qemu-direct methods state memory, initrd and the QEMU dependence', () => {
  const p = predictBootEvents({ kernel: buildBzImage(), initrd: new Uint8Array(31457280), cmdline: 'quiet', path: 'qemu-direct', bank: 'SHA-384' }, crypto);
  assert.deepEqual(
    p.map((x) => [x.claim, x.input, x.label]),
    [
      ['boot.kernelDigest', 'kernel', 'kernel image'],
      ['boot.kernelCmdlineDigest', 'cmdline', 'kernel command line'],
      ['boot.initrdDigest', 'initrd', 'initrd'],
    ],
  );
  assert.match(
    p[0]!.method,
    /^Authenticode SHA384 of the image as QEMU patched its setup header \(boot protocol 2\.15, memory 2 GiB, initrd 31457280 bytes at 0x7e1d7000/,
  );
  assert.match(p[0]!.method, /ACPI data 0x28000/);
  assert.match(p[1]!.method, /"initrd=initrd " in front/);
  assert.equal(p[2]!.value, createHash('sha384').update(new Uint8Array(31457280)).digest('hex'));
});

test('grub: the kernel digest is the plain file hash and the command line is the text GRUB measures', () => {
  const kernel = buildBzImage();
  const cmdline = 'BOOT_IMAGE=/vmlinuz root=/dev/sda1';
  const p = predictBootEvents({ kernel, cmdline, path: 'grub', bank: 'SHA-256' }, crypto);
  assert.equal(p[0]!.value, createHash('sha256').update(kernel).digest('hex'));
  assert.deepEqual(p[1], { claim: 'boot.kernelCmdline', value: cmdline, input: 'cmdline', label: 'kernel command line', method: p[1]!.method });
});

const usage = (f: () => unknown, pattern: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && pattern.test(e.message), String(pattern));

test('inputs that cannot be measured are USAGE_ERRORs that say why, never a crash', () => {
  const elf = new Uint8Array(0x2000);
  elf.set([0x7f, 0x45, 0x4c, 0x46]);
  usage(() => predictBootEvents({ kernel: elf, path: 'qemu-direct', bank: 'SHA-384' }, crypto), /no Linux boot-protocol header .*not an ELF vmlinux/);
  usage(() => predictBootEvents({ kernel: new Uint8Array(100), path: 'qemu-direct', bank: 'SHA-384' }, crypto), /100 bytes; a bzImage has at least 4096/);
  usage(() => predictBootEvents({ kernel: elf, path: 'uefi', bank: 'SHA-384' }, crypto), /not a PE\/COFF image .*"MZ"/);
  const noPe = buildBzImage();
  noPe[0] = 0;
  usage(() => predictBootEvents({ kernel: noPe, path: 'qemu-direct', bank: 'SHA-384' }, crypto), /not a PE\/COFF image/);
  usage(
    () =>
      predictBootEvents(
        { kernel: buildBzImage(), initrd: new Uint8Array(0x8000000), path: 'qemu-direct', memoryBytes: 128 * 1024 ** 2, bank: 'SHA-384' },
        crypto,
      ),
    /refuses an initrd/,
  );
  usage(
    () => predictBootEvents({ kernel: buildBzImage({ protocol: 0x1ff }), initrd: new Uint8Array(1), path: 'qemu-direct', bank: 'SHA-384' }, crypto),
    /too old .* initrd/,
  );
  usage(() => predictBootEvents({ kernel: buildBzImage(), cmdline: 'vga=big', path: 'qemu-direct', bank: 'SHA-384' }, crypto), /vga=big/);
  usage(() => predictBootEvents({ kernel: buildBzImage(), initrd: new Uint8Array(0), path: 'qemu-direct', bank: 'SHA-384' }, crypto), /initrd is empty/);
  for (const memoryBytes of [0, -1, 1.5, 2 ** 20 - 1, 2 ** 45, Number.NaN])
    usage(
      () => predictBootEvents({ kernel: buildBzImage(), initrd: new Uint8Array(1), path: 'qemu-direct', memoryBytes, bank: 'SHA-384' }, crypto),
      /guest memory must be a whole number of bytes from 1 MiB to 16 TiB/,
    );
});

test('mutated and truncated kernels: only TeeErrors, on every path', () => {
  const base = buildBzImage({ certSize: 0x20 });
  let x = 99;
  const rnd = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const count = Number(process.env.TEE_FUZZ_BOOT ?? 2000);
  for (let i = 0; i < count; i++) {
    const k = base.slice(0, rnd() < 0.3 ? Math.floor(rnd() * base.length) : base.length);
    for (let j = 0; j < 4; j++) k[Math.floor(rnd() * Math.min(k.length, 0x300))] = Math.floor(rnd() * 256);
    for (const path of ['qemu-direct', 'uefi', 'grub'] as const) {
      try {
        predictBootEvents({ kernel: k, initrd: new Uint8Array(10), cmdline: 'a', path, bank: 'SHA-384' }, crypto);
      } catch (e) {
        assert.ok(e instanceof TeeError, `case ${i} ${path}: ${String(e)}`);
      }
    }
  }
});
