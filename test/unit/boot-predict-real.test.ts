import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { predictBootEvents, predictQemuDirectRtmrs } from '../../app/tee/eventlog/predict/index.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';

/**
 * Boot predictions on real Debian kernels (signed EFI-stub bzImages). Where they come from: TEE_PE_SAMPLES
 * (colon-separated files or directories, e.g. a `dpkg -x` of linux-image-6.1.0-*-amd64), else /boot.
 */
const crypto = nodeCryptoProvider();
const REFERENCE = fileURLToPath(new URL('../fixtures/boot-predict/boot_reference.py', import.meta.url));
const loud = (t: { skip(m: string): void }, why: string) => (console.warn(`\n*** SKIPPED: ${why} ***\n`), t.skip(why));

function kernels(): string[] {
  const roots = [...(process.env.TEE_PE_SAMPLES?.split(':') ?? []), '/boot'];
  return roots.filter(existsSync).flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /^vmlinuz-/.test(f))
          .map((f) => join(p, f))
      : /vmlinuz/.test(p)
        ? [p]
        : [],
  );
}

const has = (tool: string, arg: string) => spawnSync(tool, [arg], { encoding: 'utf8' }).error === undefined;

test("real kernels, uefi path: the kernel digest equals osslsigncode's calculated Authenticode digest", (t) => {
  const files = kernels();
  if (!has('osslsigncode', '--version') || !files.length)
    return loud(t, 'osslsigncode or a Debian vmlinuz (TEE_PE_SAMPLES, /boot) is absent: real-kernel Authenticode not checked');
  for (const f of files) {
    const out = spawnSync('osslsigncode', ['verify', '-in', f], { encoding: 'utf8' }).stdout;
    const alg = /Message digest algorithm\s*:\s*(SHA256|SHA384)/.exec(out)?.[1];
    const theirs = /Calculated message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1]?.toLowerCase();
    if (!alg || !theirs) {
      t.diagnostic(`${f}: osslsigncode computed no digest; not compared`);
      continue;
    }
    const [p] = predictBootEvents({ kernel: new Uint8Array(readFileSync(f)), path: 'uefi', bank: alg === 'SHA256' ? 'SHA-256' : 'SHA-384' }, crypto);
    assert.equal(p!.value, theirs, f);
    t.diagnostic(`${f}: ${alg} ${theirs} agrees`);
  }
});

test('real kernels, qemu-direct: patched-image digest and RTMR1/RTMR2 equal the independent Python reference', (t) => {
  const files = kernels();
  if (spawnSync('python3', ['--version']).status !== 0 || !files.length)
    return loud(t, 'python3 or a Debian vmlinuz is absent: real-kernel qemu-direct predictions not checked');
  const initrd = join(fileURLToPath(new URL('../fixtures/boot-predict/', import.meta.url)), 'boot_reference.py');
  for (const f of files) {
    const kernel = new Uint8Array(readFileSync(f));
    const started = performance.now();
    const p = predictBootEvents(
      { kernel, initrd: new Uint8Array(readFileSync(initrd)), cmdline: 'console=ttyS0 ro', path: 'qemu-direct', bank: 'SHA-384' },
      crypto,
    );
    const rtmrs = predictQemuDirectRtmrs(p, crypto);
    t.diagnostic(`${f}: ${kernel.length} bytes predicted in ${(performance.now() - started).toFixed(0)} ms; ${p[0]!.method}`);
    const arg = { kernel: f, initrd, cmdline: 'console=ttyS0 ro', path: 'qemu-direct', memory: 2 * 1024 ** 3, bank: 'sha384' };
    const expected = JSON.parse(spawnSync('python3', [REFERENCE, JSON.stringify(arg)], { encoding: 'utf8' }).stdout) as Record<string, string>;
    assert.equal(p[0]!.value, expected['boot.kernelDigest'], f);
    assert.equal(rtmrs.rtmr1, expected.rtmr1);
    assert.equal(rtmrs.rtmr2, expected.rtmr2);
  }
});
