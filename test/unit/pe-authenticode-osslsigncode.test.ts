import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticodeDigest } from '../../app/pe/index.js';
import type { AuthenticodeAlgorithm } from '../../app/pe/index.js';

/**
 * Differential test against Debian's osslsigncode on real EFI binaries and kernels. Where the binaries come from:
 * TEE_PE_SAMPLES (colon-separated files or directories, e.g. a `dpkg -x` of linux-image-*, grub-efi-amd64-signed),
 * else the installed Debian packages' paths and /boot/vmlinuz-*.
 */
const DEFAULT_SAMPLES = ['/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed', '/usr/lib/shim/shimx64.efi.signed', '/boot'];

function samples(): string[] {
  const roots = process.env.TEE_PE_SAMPLES ? process.env.TEE_PE_SAMPLES.split(':') : DEFAULT_SAMPLES;
  return roots.filter(existsSync).flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /^vmlinuz-|\.efi(\.signed)?$/.test(f))
          .map((f) => join(p, f))
      : [p],
  );
}

const has = (tool: string, arg: string) => spawnSync(tool, [arg], { encoding: 'utf8' }).error === undefined;
const loud = (t: { skip(m: string): void }, why: string) => (console.warn(`\n*** SKIPPED: ${why} ***\n`), t.skip(why));

/** osslsigncode's own Authenticode computation of a signed file: its algorithm and "Calculated message digest". */
function osslsigncodeDigest(file: string): { alg: AuthenticodeAlgorithm; digest: string } | undefined {
  const out = spawnSync('osslsigncode', ['verify', '-in', file], { encoding: 'utf8' }).stdout;
  const alg = /Message digest algorithm\s*:\s*(SHA256|SHA384)/.exec(out)?.[1];
  const digest = /Calculated message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1];
  return alg && digest ? { alg: alg.toLowerCase() as AuthenticodeAlgorithm, digest: digest.toLowerCase() } : undefined;
}

const ours = (file: string, alg: AuthenticodeAlgorithm) => Buffer.from(authenticodeDigest(new Uint8Array(readFileSync(file)), alg)).toString('hex');

test("real signed EFI binaries and kernels: our digest equals osslsigncode's calculated digest", (t) => {
  if (!has('osslsigncode', '--version')) return loud(t, 'osslsigncode is absent (Debian package "osslsigncode"): PE Authenticode not checked against it');
  const files = samples();
  if (!files.length) return loud(t, 'no EFI binary or kernel found (install grub-efi-amd64-signed / linux-image-amd64, or set TEE_PE_SAMPLES)');
  let compared = 0;
  for (const file of files) {
    const theirs = osslsigncodeDigest(file);
    if (!theirs) {
      t.diagnostic(`${file}: osslsigncode printed no calculated digest (unsigned, or a table it cannot read); not compared`);
      continue;
    }
    assert.equal(ours(file, theirs.alg), theirs.digest, `${file} ${theirs.alg}`);
    t.diagnostic(`${file}: ${theirs.alg} ${theirs.digest} agrees`);
    compared++;
  }
  if (!compared) return loud(t, `osslsigncode computed no digest for any of ${files.join(', ')}`);
});

test("SHA-384 (as TDX firmware measures): real binaries re-signed with a throwaway key; ours equals osslsigncode's", (t) => {
  if (!has('osslsigncode', '--version') || !has('openssl', 'version')) return loud(t, 'osslsigncode or openssl is absent: SHA-384 Authenticode not checked');
  const files = samples().filter((f) => osslsigncodeDigest(f));
  if (!files.length) return loud(t, 'no signed EFI binary or kernel found that osslsigncode reads (set TEE_PE_SAMPLES)');
  const dir = mkdtempSync(join(tmpdir(), 'pe-sha384-'));
  const run = (cmd: string, args: string[]) => assert.equal(spawnSync(cmd, args, { encoding: 'utf8' }).status, 0, `${cmd} ${args.join(' ')}`);
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'k.pem'),
    '-out',
    join(dir, 'c.pem'),
    '-subj',
    '/CN=tee-inspect test',
    '-days',
    '1',
  ]);
  files.forEach((file, i) => {
    const [unsigned, signed] = [join(dir, `${i}.unsigned`), join(dir, `${i}.sha384`)];
    run('osslsigncode', ['remove-signature', '-in', file, '-out', unsigned]);
    run('osslsigncode', ['sign', '-h', 'sha384', '-certs', join(dir, 'c.pem'), '-key', join(dir, 'k.pem'), '-in', unsigned, '-out', signed]);
    const theirs = osslsigncodeDigest(signed);
    assert.equal(theirs?.alg, 'sha384');
    assert.equal(ours(signed, 'sha384'), theirs.digest, file);
    assert.equal(ours(unsigned, 'sha384'), theirs.digest, `${file}: the certificate table is outside the hash`);
  });
});
