import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createVerifier } from '../../app/verifier.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { toHex } from '../../app/bytes/hex.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { makeTinfoilVerifier } from './peers/tinfoil.js';

/**
 * SEV-SNP rows: ours (warm: one verifier, the ARK/ASK chain verified once and cached; cold: a fresh
 * verifier per call) against @tinfoilsh/verifier, on the real Genoa report inside Azure's HCL report
 * (the SNP ATTESTATION_REPORT is the 0x4A0 bytes at offset 32) and its VCEK.
 */
export interface SnpRow {
  impl: string;
  medianMs: number;
  p90Ms: number;
  iterations: number;
}

export async function benchSnp(budget: { warmup: number; iterations: number; ms: number }): Promise<{ rows: SnpRow[]; speedup: number }> {
  const doc = JSON.parse(readFileSync(new URL('../../../shared/vectors/azure/snp-genoa-evidence.json', import.meta.url), 'utf8')) as { report: number[]; vcek: string };
  const report = Uint8Array.from(doc.report).subarray(32, 32 + 0x4a0);
  const vcekDer = pemBlocks(doc.vcek)[0]!.der;
  const at = new Date('2025-05-28T21:48:51Z');
  const files = [{ name: 'vcek.der', bytes: vcekDer }];
  const measurement = toHex(report.subarray(0x90, 0x90 + 48));
  const ours = (fresh: boolean) => {
    const shared = createVerifier({ crypto: nodeCryptoProvider() });
    const set = shared.loadCollateral(files);
    return async () => {
      const v = fresh ? createVerifier({ crypto: nodeCryptoProvider() }) : shared;
      const r = await v.verify(report, fresh ? files : set, { at });
      if (r.verdict !== 'verified') throw new Error(`ours failed on the Genoa report: ${JSON.stringify(r.errors)}`);
      return r.claims.measurement as string;
    };
  };
  const impls: [string, () => Promise<string>][] = [['ours-warm', ours(false)], ['ours-cold', ours(true)], ['tinfoil', await makeTinfoilVerifier(report, vcekDer)]];
  const rows: SnpRow[] = [];
  for (const [impl, run] of impls) rows.push({ impl, ...(await time(run, measurement, budget, impl)) });
  const by = (n: string) => rows.find((r) => r.impl === n)!.medianMs;
  return { rows, speedup: by('tinfoil') / by('ours-warm') };
}

async function time(run: () => Promise<string>, expect: string, budget: { warmup: number; iterations: number; ms: number }, impl: string) {
  for (let i = 0; i < budget.warmup; i++) await check(run, expect, impl);
  const samples: number[] = [];
  const end = performance.now() + budget.ms;
  while (samples.length < budget.iterations && performance.now() < end) {
    const t0 = performance.now();
    await check(run, expect, impl);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, p90Ms: samples[Math.floor(samples.length * 0.9)]!, iterations: samples.length };
}

/** Every call must verify and agree on MEASUREMENT: a failing path is never timed. */
async function check(run: () => Promise<string>, expect: string, impl: string): Promise<void> {
  const m = await run();
  if (m !== expect) throw new Error(`BENCH ABORTED: ${impl} returned measurement ${m}, expected ${expect}`);
}
