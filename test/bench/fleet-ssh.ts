/**
 * Benchmark (not a test): `tee-inspect fleet verify` over 50 SSH targets on the loopback sshd, end to end
 * (SSH handshake and collector, evidence decode, collateral from the shared vectors, verification, history),
 * pinned to one `at`. Each target is its own entry; their collectors serve real TDX, SGX and SEV-SNP vectors.
 *
 *   npm run bench:fleet [-- --targets N] [-- --concurrency N]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSshd, SSHD } from '../support/sshd.js';
import { FLEET_AT, VECTOR, pinnedStore, tempDir, vectorTarget, writeTargets } from '../support/fleet.js';
import { main } from '../../main/cli.js';

const GOAL_S = 10;
const MIX = [VECTOR.tdx, VECTOR.sgx, VECTOR.snp] as const;

interface FleetJson {
  targets: { name: string; verdict: string; elapsedMs: number; error?: { code: string; message: string } }[];
  summary: { total: number; verified: number; elapsedMs: number };
}

export async function benchFleetSsh(
  log: (line: string) => void = console.log,
  o: { targets?: number; concurrency?: number } = {},
): Promise<{ seconds: number; medianMs: number } | undefined> {
  if (!existsSync(SSHD)) {
    log(`bench: fleet ssh skipped: no ${SSHD}`);
    return undefined;
  }
  const count = o.targets ?? 50;
  const sshd = await startSshd();
  try {
    const dir = tempDir('tee-fleet-bench-');
    const store = await pinnedStore(sshd, dir);
    const targets = Array.from({ length: count }, (_, i) => vectorTarget(sshd, `vm-${String(i + 1).padStart(2, '0')}`, MIX[i % MIX.length]!));
    const file = writeTargets(dir, targets);
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => undefined, color: false, now: () => new Date(FLEET_AT) };
    const args = [
      'fleet',
      'verify',
      file,
      '--format',
      'json',
      '--at',
      FLEET_AT,
      '--offline',
      '--host-key-store',
      store,
      '--cache-dir',
      join(dir, 'cache'),
      '--history-dir',
      join(dir, 'history'),
    ];
    const t0 = performance.now();
    const code = await main([...args, ...(o.concurrency ? ['--concurrency', String(o.concurrency)] : [])], io);
    const seconds = (performance.now() - t0) / 1000;
    const doc = JSON.parse(out) as FleetJson;
    const failed = doc.targets.find((t) => t.verdict !== 'verified');
    // A failing path is never timed: every target must verify.
    if (code !== 0 || failed)
      throw new Error(`fleet bench: ${failed ? `${failed.name} ${failed.verdict}: ${failed.error?.code} ${failed.error?.message}` : `exit ${code}`}`);
    const ms = doc.targets.map((t) => t.elapsedMs).sort((a, b) => a - b);
    const medianMs = ms[Math.floor(ms.length / 2)]!;
    log(
      `fleet ssh: ${count} targets (${MIX.length} technologies), concurrency ${o.concurrency ?? 8}: wall ${seconds.toFixed(2)} s, per target median ${medianMs} ms, p90 ${ms[Math.floor(ms.length * 0.9)]} ms, max ${ms.at(-1)} ms`,
    );
    log(`bench: fleet ssh ${count} targets = ${seconds.toFixed(2)} s (target < ${GOAL_S} s)`);
    return { seconds, medianMs };
  } finally {
    sshd.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  benchFleetSsh(console.log, {
    ...(arg('--targets') ? { targets: arg('--targets')! } : {}),
    ...(arg('--concurrency') ? { concurrency: arg('--concurrency')! } : {}),
  }).catch((e: unknown) => {
    console.error(`\n*** ${e instanceof Error ? e.message : String(e)} ***\n`);
    process.exit(1);
  });
}
