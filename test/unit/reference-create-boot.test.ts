import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../main/cli.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { appraiseReference } from '../../app/appraisal/appraise.js';
import { buildPe } from '../fixtures/tdx-measure/build-pe.js';

/** `reference create --measure tdx --boot …`: boot.* values from kernel and command line, each with its own provenance. */
const OVMF = '/usr/share/ovmf/OVMF.fd';
const skip = existsSync(OVMF) ? false : `SKIPPED LOUDLY: ${OVMF} is absent (Debian package ovmf); the TDX boot-value round trip is not run`;
if (skip) console.error(skip);
const DIR = mkdtempSync(join(tmpdir(), 'reference-create-boot-'));

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), color: false, now: () => new Date('2026-01-01T00:00:00Z') });
  return { code, out, err };
}

test('--boot uefi: mrTd, the kernel and the command line each get a value and a provenance entry naming its input', { skip }, async () => {
  const kernel = join(DIR, 'vmlinuz.efi');
  const pe = buildPe().bytes;
  writeFileSync(kernel, pe);
  const cmdline = 'console=ttyS0 root=/dev/vda1';
  const r = await run('reference', 'create', '--measure', 'tdx', '--ovmf', OVMF, '--boot', 'uefi', '--kernel', kernel, '--append', cmdline, '--format', 'json');
  assert.equal(r.code, 0, r.out + r.err);
  const file = JSON.parse(r.out).file;
  const set = file.sets[0];
  assert.deepEqual(Object.keys(set.claims).sort(), ['boot.kernelCmdlineDigest', 'boot.kernelDigest', 'mrTd']);
  // The Linux EFI stub measures its load options: UTF-16LE with the terminating NUL (worked out here with node:crypto).
  const options = Buffer.from(`${cmdline}\0`, 'utf16le');
  assert.deepEqual(set.claims['boot.kernelCmdlineDigest'], [createHash('sha384').update(options).digest('hex')]);
  assert.equal(set.provenance.length, 3);
  const byClaim = (c: string) => set.provenance.find((p: any) => Object.hasOwn(p.claims, c));
  const k = byClaim('boot.kernelDigest');
  assert.deepEqual(k.describes, { 'boot.kernelDigest': 'kernel image' });
  assert.deepEqual(k.inputs, [{ role: 'kernel', name: 'vmlinuz.efi', sha256: createHash('sha256').update(pe).digest('hex'), bytes: pe.length }]);
  assert.deepEqual(k.parameters, { boot: 'uefi', bank: 'SHA-384' });
  assert.match(k.method, /Authenticode SHA384/);
  const c = byClaim('boot.kernelCmdlineDigest');
  assert.deepEqual(c.parameters, { boot: 'uefi', bank: 'SHA-384', cmdline });
  assert.deepEqual(c.inputs, []);
  assert.doesNotThrow(() => parseReferenceValues(file));
});

test('--boot qemu-direct: the kernel entry records what QEMU patches into it (initrd, command line, memory)', { skip }, async () => {
  const kernel = join(DIR, 'bzImage');
  const initrd = join(DIR, 'initrd.img');
  writeFileSync(initrd, new Uint8Array(4096).fill(7));
  writeFileSync(kernel, bzImage());
  const r = await run(
    'reference',
    'create',
    '--measure',
    'tdx',
    '--ovmf',
    OVMF,
    '--boot',
    'qemu-direct',
    '--kernel',
    kernel,
    '--initrd',
    initrd,
    '--append',
    'quiet',
    '--memory',
    '4G',
    '--format',
    'json',
  );
  assert.equal(r.code, 0, r.out);
  const set = JSON.parse(r.out).file.sets[0];
  const k = set.provenance.find((p: any) => Object.hasOwn(p.claims, 'boot.kernelDigest'));
  assert.deepEqual(
    k.inputs.map((i: any) => i.role),
    ['kernel', 'initrd'],
  );
  assert.equal(k.parameters.memoryBytes, 4 * 1024 ** 3);
  assert.equal(k.parameters.cmdline, 'quiet');
});

/** The synthetic PE with a Linux boot-protocol 2.15 setup header (one setup sector, loaded high), as an EFI-stub bzImage has. */
function bzImage(): Uint8Array {
  const b = Buffer.from(buildPe({ trailer: 0x1000 }).bytes);
  b[0x1f1] = 1;
  b.writeUInt32LE(0x53726448, 0x202); // "HdrS"
  b.writeUInt16LE(0x020f, 0x206);
  b[0x211] = 0x01; // LOADED_HIGH
  b.writeUInt32LE(0x37ffffff, 0x22c); // initrd_addr_max
  return b;
}

test('--measure boot --technology tpm: SHA-256 boot values for a TPM log, that the same claims match', async () => {
  const kernel = join(DIR, 'bootx64.efi');
  const pe = buildPe().bytes;
  writeFileSync(kernel, pe);
  const cmdline = 'root=/dev/sda1 ro';
  const r = await run(
    'reference',
    'create',
    '--measure',
    'boot',
    '--technology',
    'tpm',
    '--boot',
    'uefi',
    '--kernel',
    kernel,
    '--append',
    cmdline,
    '--set',
    'vm',
    '--format',
    'json',
  );
  assert.equal(r.code, 0, r.out + r.err);
  const file = JSON.parse(r.out).file;
  const set = file.sets[0];
  assert.equal(set.technology, 'tpm');
  assert.deepEqual(set.claims['boot.kernelCmdlineDigest'], [
    createHash('sha256')
      .update(Buffer.from(`${cmdline}\0`, 'utf16le'))
      .digest('hex'),
  ]);
  assert.equal(set.claims['boot.kernelDigest'][0].length, 64, 'a TPM log claims SHA-256 digests');
  assert.equal(set.provenance[0].parameters.bank, 'SHA-256');
  const parsed = parseReferenceValues(file);
  const claims = { boot: { kernelDigest: set.claims['boot.kernelDigest'][0], kernelCmdlineDigest: set.claims['boot.kernelCmdlineDigest'][0] } };
  const a = appraiseReference({ technology: 'tpm', claims, tcb: null, checks: [] }, parsed);
  assert.ok(
    a.diffs.every((d) => d.match),
    JSON.stringify(a.diffs),
  );
});

test('--measure boot: the bank follows the technology (TDX: SHA-384), and what cannot apply is refused', async () => {
  const kernel = join(DIR, 'bootx64.efi');
  writeFileSync(kernel, buildPe().bytes);
  const tdx = await run('reference', 'create', '--measure', 'boot', '--technology', 'tdx', '--boot', 'uefi', '--kernel', kernel, '--format', 'json');
  assert.equal(tdx.code, 0, tdx.err);
  assert.equal(JSON.parse(tdx.out).file.sets[0].claims['boot.kernelDigest'][0].length, 96);
  const cases: [string[], RegExp][] = [
    [['--boot', 'uefi', '--kernel', kernel], /needs --technology T/],
    [['--technology', 'nope', '--boot', 'uefi', '--kernel', kernel], /--technology must be one of/],
    [['--technology', 'sgx', '--boot', 'uefi', '--kernel', kernel], /sgx evidence carries no boot event claims/],
    [['--technology', 'tpm', '--kernel', kernel], /only with --boot/],
    [['--technology', 'tpm', '--boot', 'uefi'], /needs --boot PATH and --kernel FILE/],
    [['--technology', 'tpm'], /needs --boot PATH and --kernel FILE/],
    [['--technology', 'tpm', '--ovmf', kernel, '--boot', 'uefi', '--kernel', kernel], /takes no firmware/],
  ];
  for (const [extra, message] of cases) {
    const r = await run('reference', 'create', '--measure', 'boot', ...extra);
    assert.equal(r.code, 2, extra.join(' '));
    assert.match(r.err, message, extra.join(' '));
  }
});
