import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureSevEs, measureSnp, VCPU_SIGS, VMMS } from '../../app/tee/snp/measure/index.js';
import type { Vmm } from '../../app/tee/snp/measure/index.js';
import { isTeeError } from '../../app/errors.js';
import { fromHex, toHex } from '../../app/bytes/hex.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';

/**
 * Randomised differential test against virtee/sev-snp-measure's own Python, run from a git mirror copied to a
 * temporary directory at test time (never into the repository). CI has no mirror: the test is skipped, loudly.
 */
const MIRROR = process.env.SEV_SNP_MEASURE_GIT ?? '/work/.mirror/virtee+sev-snp-measure/repo';
const CASES = Number(process.env.SNP_MEASURE_DIFF_CASES ?? 200);

function skipReason(): string | undefined {
  if (!existsSync(MIRROR)) return `no sev-snp-measure mirror at ${MIRROR} (set SEV_SNP_MEASURE_GIT)`;
  if (spawnSync('python3', ['-c', 'import ctypes, hashlib, uuid'], { stdio: 'ignore' }).status !== 0) return 'python3 is not available';
  return undefined;
}
const SKIP = skipReason();
if (SKIP) console.warn(`\n*** SKIPPED: differential test against sev-snp-measure: ${SKIP} ***\n`);

/** Reads cases as JSON on stdin and prints one digest (or ERR) per line, with sev-snp-measure's calc_launch_digest. */
const DRIVER = `
import json, sys
from sevsnpmeasure import guest
from sevsnpmeasure.sev_mode import SevMode
from sevsnpmeasure.vmm_types import VMMType
VMM = {'qemu': VMMType.QEMU, 'ec2': VMMType.ec2, 'gce': VMMType.gce}
for c in json.load(sys.stdin):
    try:
        mode = SevMode.SEV_SNP if c['mode'] == 'snp' else SevMode.SEV_ES
        ld = guest.calc_launch_digest(mode, c['vcpus'], c['sig'], c['ovmf'], c['kernel'], c['initrd'], c['append'],
                                      c['features'], c['ovmfHash'] or '', VMM[c['vmm']])
        print(ld.hex())
    except Exception as e:
        print('ERR ' + type(e).__name__)
`;

interface Case {
  mode: 'snp' | 'sev-es';
  vcpus: number;
  sig: number;
  vmm: Vmm;
  features: number;
  ovmf: string;
  kernel: string | null;
  initrd: string | null;
  append: string | null;
  ovmfHash: string | null;
}

const pick = <T>(r: Prng, xs: readonly T[]): T => xs[r.int(xs.length)]!;

function randomCase(r: Prng, dir: string, n: number, ovmfs: string[]): Case {
  const file = (name: string, bytes: Uint8Array) => (writeFileSync(join(dir, name), bytes), join(dir, name));
  const withKernel = r.next() < 0.6;
  const mode = r.next() < 0.75 ? 'snp' : 'sev-es';
  const ascii = () => Array.from({ length: r.int(40) }, () => String.fromCharCode(32 + r.int(95))).join('');
  return {
    mode,
    vcpus: 1 + r.int(8),
    sig: r.next() < 0.8 ? VCPU_SIGS[pick(r, Object.keys(VCPU_SIGS))]! : r.int(2 ** 32),
    vmm: pick(r, VMMS),
    features: mode === 'snp' ? pick(r, [0x1, 0x21, r.int(2 ** 32)]) : 0,
    ovmf: pick(r, ovmfs),
    kernel: withKernel ? file(`k${n}`, r.bytes(r.int(5000))) : null,
    initrd: withKernel && r.next() < 0.7 ? file(`i${n}`, r.bytes(r.int(5000))) : null,
    append: withKernel && r.next() < 0.8 ? ascii() : null,
    ovmfHash: mode === 'snp' && r.next() < 0.2 ? toHex(r.bytes(48)) : null,
  };
}

/** node:crypto's SHA-384 keeps the run short; the known-answer tests cover the default (@noble/hashes). */
const sha384 = (b: Uint8Array) => new Uint8Array(createHash('sha384').update(b).digest());

function ours(c: Case): string {
  const read = (p: string) => new Uint8Array(readFileSync(p));
  const kernel = c.kernel
    ? { kernel: read(c.kernel), ...(c.initrd ? { initrd: read(c.initrd) } : {}), ...(c.append !== null ? { append: c.append } : {}) }
    : undefined;
  const common = { sha384, ovmf: read(c.ovmf), vcpus: c.vcpus, vcpuSig: c.sig, vmm: c.vmm, ...(kernel ? { kernel } : {}) };
  try {
    if (c.mode === 'sev-es') return measureSevEs(common).measurement;
    return measureSnp({ ...common, guestFeatures: BigInt(c.features), ...(c.ovmfHash ? { ovmfHash: fromHex(c.ovmfHash)! } : {}) }).measurement;
  } catch (e) {
    if (!isTeeError(e) || e.code === 'INTERNAL_ERROR') throw e;
    return 'ERR';
  }
}

/** Image files to measure: the two fixtures, a 4 MiB image ending in the AmdSev suffix, and Debian's OVMF when installed. */
function images(dir: string): string[] {
  const fixture = (name: string) => new URL(`../fixtures/sev-snp-measure/${name}`, import.meta.url).pathname;
  const big = new Uint8Array(4 << 20);
  big.set(readFileSync(fixture('ovmf_AmdSev_suffix.bin')), big.length - 4096);
  for (let i = 0; i < big.length - 4096; i += 997) big[i] = i & 0xff;
  writeFileSync(join(dir, 'big.fd'), big);
  const debian = ['/usr/share/ovmf/OVMF.fd', '/usr/share/OVMF/OVMF_CODE_4M.fd'].filter((p) => existsSync(p));
  return [fixture('ovmf_AmdSev_suffix.bin'), fixture('ovmf_OvmfX64_suffix.bin'), join(dir, 'big.fd'), ...debian];
}

test(`differential: ${CASES} random launches digest as sev-snp-measure's own code computes them`, { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'snp-measure-diff-'));
  try {
    execFileSync('sh', ['-c', `git -C "$0" archive HEAD sevsnpmeasure | tar -x -C "$1"`, MIRROR, dir]);
    const r = prng(0x5e5);
    const ovmfs = images(dir);
    const cases = Array.from({ length: CASES }, (_, n) => randomCase(r, dir, n, ovmfs));
    const theirs = execFileSync('python3', ['-c', DRIVER], { cwd: dir, input: JSON.stringify(cases), maxBuffer: 1 << 24 })
      .toString()
      .trim()
      .split('\n');
    assert.equal(theirs.length, cases.length);
    let agreedDigests = 0;
    cases.forEach((c, i) => {
      const want = theirs[i]!.startsWith('ERR') ? 'ERR' : theirs[i]!;
      assert.equal(ours(c), want, `case ${i}: ${JSON.stringify(c)} (python: ${theirs[i]})`);
      if (want !== 'ERR') agreedDigests++;
    });
    // Most cases must be digests, or agreement on refusals alone would pass.
    assert.ok(agreedDigests > CASES * 0.6, `only ${agreedDigests} of ${CASES} cases gave digests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
