import { medianMs as median } from './median.js';
import type { Budget } from './median.js';
import { createVerifier } from '../../app/verifier.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { replayCcel } from '../../app/tee/eventlog/replay.js';
import { readFileSync } from 'node:fs';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { manifest, vectorBytes } from '../support/vectors.js';

/**
 * A 1 MiB CC event log full of real events: go-tdx-guest's 43 events repeated after its Spec ID header
 * until the log area is full (the real logs are 64 KiB-1 MiB areas but mostly fill).
 */
export function denseLog(size = 1 << 20): Uint8Array {
  const real = vectorBytes('eventlog/gotdx-ccel-data.bin');
  const log = parseEventLog(real);
  const first = log.events[0]!.offset;
  const body = real.subarray(first, log.end);
  const out = new Uint8Array(size).fill(0xff);
  out.set(real.subarray(0, first));
  let at = first;
  while (at + body.length <= size) {
    out.set(body, at);
    at += body.length;
  }
  return out;
}

export interface EventLogFigures {
  /** Parse and replay only, the dense 1 MiB log. */
  denseReplay: number;
  /** Everything `tee-inspect eventlog` and the view need (parse, decode, digest-matches-data, claims, replay). */
  denseInspect: number;
  denseEvents: number;
  tdShim: number;
  /** A real TPM log (RHEL 8, 82 events, SHA-1 and SHA-256 banks): the whole inspection. */
  tpmLog: number;
}

/** Median ms over the dense 1 MiB log, the real 1 MiB td-shim area and a real TPM log. */
export async function benchEventLog(budget: Budget): Promise<EventLogFigures> {
  const crypto = nodeCryptoProvider();
  const dense = denseLog();
  const tdShim = vectorBytes('eventlog/trustee-ccel-td-shim.bin');
  const rhel = new Uint8Array(readFileSync(new URL('../fixtures/go-eventlog/rhel8-uefi.bin', import.meta.url)));
  const denseEvents = parseEventLog(dense).events.length;
  return {
    denseReplay: await median(budget, async () => void (await replayCcel(parseEventLog(dense), crypto))),
    denseInspect: await median(budget, async () => void (await inspectEventLog(dense, crypto))),
    denseEvents,
    tdShim: await median(budget, async () => void (await inspectEventLog(tdShim, crypto))),
    tpmLog: await median(budget, async () => void (await inspectEventLog(rhel, crypto))),
  };
}

/** Median ms of a warm verifier on trustee's az-snp-vtpm v2 evidence (SNP chain, report, HCL binding, vTPM quote). */
export async function benchAzure(budget: Budget): Promise<number> {
  const v = manifest().vectors.find((x) => x.path === 'azure/snp-milan-evidence-v2.json')!;
  const verifier = createVerifier({ crypto: nodeCryptoProvider() });
  const bytes = vectorBytes(v.path);
  const nonce = Buffer.from(String((v.expect as { nonce?: string }).nonce), 'hex');
  const opts = { at: new Date(v.expect.at), nonce: new Uint8Array(nonce) };
  return median(budget, async () => {
    const r = await verifier.verify(bytes, [], opts);
    if (r.verdict !== 'verified') throw new Error(`BENCH ABORTED: ${v.path} is ${r.verdict}: ${JSON.stringify(r.errors)}`);
  });
}
