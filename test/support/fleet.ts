import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHosts, fingerprint } from '../../main/ssh/known-hosts.js';
import { TSM_COLLECTOR } from '../../main/ssh/collector.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import { TARGETS_SCHEMA } from '../../app/acquire/targets-file.js';
import { VECTORS_DIR } from './vectors.js';
import type { Sshd } from './sshd.js';

/** Every vector served below verifies (or is rejected as it should be) at this one time. */
export const FLEET_AT = '2025-07-19T10:00:34Z';

/** Real vectors: evidence served by a collector, and the collateral that goes with it. */
export const VECTOR = {
  tdx: { quote: 'tdx/dcapqvl-v4.quote', collateral: 'tdx/dcapqvl-v4.collateral.json' },
  sgx: { quote: 'sgx/dcapqvl-v3.quote', collateral: 'sgx/dcapqvl-v3.collateral.json' },
  snp: { quote: 'snp/trustee-milan-vcek.report', collateral: 'snp/trustee-milan-vcek.vcek.der' },
  tdxTampered: { quote: 'tdx/dcapqvl-v4-tampered-mrtd.quote', collateral: 'tdx/dcapqvl-v4.collateral.json' },
} as const;

export function hostKeyFingerprint(sshd: Sshd): string {
  return fingerprint(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64'));
}

/** A host key store file pinning the test sshd as 127.0.0.1:PORT (so "localhost:PORT" stays unknown). */
export async function pinnedStore(sshd: Sshd, dir: string): Promise<string> {
  const path = join(dir, 'known-hosts.json');
  await new KnownHosts(path).trust('127.0.0.1', sshd.port, hostKeyFingerprint(sshd));
  return path;
}

export async function pinnedHosts(sshd: Sshd): Promise<KnownHosts> {
  const k = new KnownHosts();
  await k.trust('127.0.0.1', sshd.port, hostKeyFingerprint(sshd));
  return k;
}

/** A target on the test sshd whose collector prints a recorded vector (no fresh nonce is possible). */
export function vectorTarget(sshd: Sshd, name: string, v: { quote: string; collateral: string }, extra: Partial<TargetSpec> = {}): TargetSpec {
  return {
    name,
    url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`,
    identity: sshd.identityFile,
    collector: `base64 -w0 ${VECTORS_DIR}${v.quote}`,
    nonce: false,
    collateral: [`${VECTORS_DIR}${v.collateral}`],
    ...extra,
  };
}

/**
 * The default configfs-tsm collector as a script, pointed at a stand-in tree: targets files carry no
 * environment, so the collector command sets TSM_ROOT/TSM_ENTRY itself and passes the nonce as $1.
 */
export function tsmCollector(dir: string, entry: string): string {
  const script = join(dir, 'tsm-collector.sh');
  writeFileSync(script, TSM_COLLECTOR.replace(`nonce='{nonce}'`, 'nonce="$1"'));
  return `TSM_ROOT=${entry} TSM_ENTRY=${entry} sh ${script} {nonce}`;
}

export function writeTargets(dir: string, targets: TargetSpec[], name = 'targets.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ schema: TARGETS_SCHEMA, targets }, null, 2));
  return path;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A loopback port with nothing listening. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
    });
  });
}
