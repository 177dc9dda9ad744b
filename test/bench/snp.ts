import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { makeTinfoilVerifier } from './peers/tinfoil.js';

/**
 * SEV-SNP rows: ours (warm: one verifier, the ARK/ASK chain verified once and cached; cold: a fresh
 * verifier per call) against @tinfoilsh/verifier, on the real Genoa report inside Azure's HCL report
 * (the SNP ATTESTATION_REPORT is the 0x4A0 bytes at offset 32, after the 32-byte HCL header) and its VCEK,
 * ours pinned to the manifest's `at` (tinfoil reads the wall clock; the VCEK is valid 2025-01-24..2032-01-24).
 *
 * Every call must verify and report the same MEASUREMENT, or the bench stops loudly: a failing path is
 * never timed. Ours is skipped ("ours: not available for sev-snp") only while the app has no SEV-SNP
 * module at all, i.e. the report is not even recognised; once the module exists, any verdict other than
 * 'verified' aborts the bench, exactly as for the DCAP rows.
 */
export interface SnpRow {
  vector: string;
  technology: 'sev-snp';
  impl: string;
  status?: string;
  medianMs: number;
  p90Ms: number;
  iterations: number;
}

type Budget = { warmup: number; iterations: number; ms: number };
/** One timed call; resolves to the MEASUREMENT (hex) found, throws if the report was not verified. */
type Run = () => Promise<{ measurement: string; status?: string }>;

const VECTOR = 'azure/snp-genoa-evidence';
const AT = new Date('2025-05-28T21:48:51Z'); // manifest expect.at for this vector

function loadGenoa(): { report: Uint8Array; vcekDer: Uint8Array; measurement: string } {
  const doc = JSON.parse(readFileSync(new URL(`../../../shared/vectors/${VECTOR}.json`, import.meta.url), 'utf8')) as { report: number[]; vcek: string };
  const hcl = Uint8Array.from(doc.report);
  if (String.fromCharCode(...hcl.subarray(0, 4)) !== 'HCLA') throw new Error(`BENCH ABORTED: ${VECTOR}: report does not start with the HCL header`);
  const report = hcl.slice(32, 32 + 0x4a0);
  const b64 = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(doc.vcek)?.[1];
  if (!b64) throw new Error(`BENCH ABORTED: ${VECTOR}: no PEM certificate in vcek`);
  const vcekDer = new Uint8Array(Buffer.from(b64.replace(/\s+/g, ''), 'base64'));
  return { report, vcekDer, measurement: Buffer.from(report.subarray(0x90, 0x90 + 48)).toString('hex') };
}

async function ourSnpImpls(report: Uint8Array, vcekDer: Uint8Array, log: (line: string) => void): Promise<[string, Run][]> {
  let createVerifier: typeof import('../../app/verifier.js').createVerifier;
  let nodeCryptoProvider: typeof import('../../main/node-crypto.js').nodeCryptoProvider;
  try {
    ({ createVerifier } = await import('../../app/verifier.js'));
    ({ nodeCryptoProvider } = await import('../../main/node-crypto.js'));
  } catch (e) {
    log(`ours: not available for sev-snp (${String(e).split('\n')[0]})`);
    return [];
  }
  const files = [{ name: 'vcek.der', bytes: vcekDer }];
  type Result = Awaited<ReturnType<ReturnType<typeof createVerifier>['verify']>>;
  const check = (r: Result) => {
    if (r.verdict !== 'verified' || r.technology !== 'sev-snp') throw new Error(`verdict ${r.verdict}, technology ${r.technology} ${JSON.stringify(r.errors)}`);
    return { measurement: String(r.claims.measurement), status: r.tcb?.status ?? '' };
  };

  // Not available only while no SEV-SNP module is registered and the report is not recognised at all.
  const probe = await createVerifier({ crypto: nodeCryptoProvider() }).verify(report, files, { at: AT });
  if (probe.verdict !== 'verified' && probe.technology === 'unknown' && !(await hasSnpModule())) {
    log(`ours: not available for sev-snp (${probe.errors?.[0]?.code ?? probe.verdict})`);
    return [];
  }

  const shared = createVerifier({ crypto: nodeCryptoProvider() });
  const set = shared.loadCollateral(files);
  const { createParseCaches } = await import('../../app/cache/parse-caches.js');
  const parsed = createParseCaches();
  return [
    // One verifier reused: the VCEK -> ASK -> ARK chain is verified once and cached.
    ['ours-warm', async () => check(await shared.verify(report, set, { at: AT }))],
    // A fresh verifier per call: chain and report signature checked on every call (parsed certificates
    // and imported keys are reused by content, as in the DCAP ours-cold rows).
    [
      'ours-cold',
      async () => {
        const v = createVerifier({ crypto: nodeCryptoProvider(), caches: parsed });
        return check(await v.verify(report, v.loadCollateral(files), { at: AT }));
      },
    ],
  ];
}

async function hasSnpModule(): Promise<boolean> {
  try {
    const { TEE_MODULES } = await import('../../app/tee/registry.js');
    return TEE_MODULES.some((m) => m.id === 'sev-snp');
  } catch {
    return false;
  }
}

export async function benchSnp(budget: Budget, log: (line: string) => void): Promise<{ rows: SnpRow[]; speedup: number | null }> {
  const { report, vcekDer, measurement } = loadGenoa();
  const tinfoil = await makeTinfoilVerifier(report, vcekDer);
  const impls: [string, Run][] = [...(await ourSnpImpls(report, vcekDer, log)), ['tinfoil', async () => ({ measurement: await tinfoil() })]];
  const rows: SnpRow[] = [];
  for (const [impl, run] of impls) rows.push({ vector: VECTOR, technology: 'sev-snp', impl, ...(await time(run, measurement, budget, impl)) });
  const by = (n: string) => rows.find((r) => r.impl === n)?.medianMs;
  const [peer, ours] = [by('tinfoil'), by('ours-warm')];
  return { rows, speedup: peer !== undefined && ours !== undefined ? peer / ours : null };
}

async function time(run: Run, expect: string, budget: Budget, impl: string) {
  const status = (await checked(run, expect, impl)).status;
  for (let i = 0; i < budget.warmup; i++) await checked(run, expect, impl);
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < budget.iterations && performance.now() - start < budget.ms) {
    const t0 = performance.now();
    await checked(run, expect, impl);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { ...(status !== undefined ? { status } : {}), medianMs: at(0.5), p90Ms: at(0.9), iterations: samples.length };
}

/** Every call must verify and agree on MEASUREMENT: a failing path is never timed. */
async function checked(run: Run, expect: string, impl: string): Promise<{ measurement: string; status?: string }> {
  let r: { measurement: string; status?: string };
  try {
    r = await run();
  } catch (e) {
    throw new Error(`BENCH ABORTED: ${impl} failed on verified vector ${VECTOR}: ${String(e)}`);
  }
  if (r.measurement !== expect) throw new Error(`BENCH ABORTED: ${impl} on ${VECTOR}: measurement ${r.measurement}, expected ${expect}`);
  return r;
}
