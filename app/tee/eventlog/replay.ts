import type { CryptoProvider, HashName } from '../../crypto/provider.js';
import { concatBytes, toHex } from '../../bytes/hex.js';
import { digestSync } from '../../crypto/digest-sync.js';
import { EV_NO_ACTION } from './event-types.js';
import type { HashAlgorithm } from './event-types.js';
import type { LogEvent, ParsedLog } from './parse.js';

/** TDX CC event logs: MR index 1..4 are RTMR0..3 (index 0 is MRTD, which the log never extends). */
export const CC_MR_COUNT = 4;
const HASHABLE: ReadonlySet<string> = new Set<HashName>(['SHA-256', 'SHA-384', 'SHA-512']);
const STARTUP_LOCALITY = 'StartupLocality\0';

export type LogFormat = 'ccel' | 'tcg';

/** Register name to lower-case hex value, for one bank. */
export type Registers = Record<string, string>;

/**
 * CCEL when the log looks like a TDX CC event log (as go-tdx-guest and trustee read it): SHA-384 is the only
 * bank, every index is 0..4 and every extending event is in MR index 1..4. Anything else is a TPM log.
 */
export function detectFormat(log: ParsedLog): LogFormat {
  const algs = log.specId.algorithms;
  if (algs.length !== 1 || algs[0]!.name !== 'SHA-384') return 'tcg';
  const fits = (e: LogEvent) => (e.type === EV_NO_ACTION ? e.index <= CC_MR_COUNT : e.index >= 1 && e.index <= CC_MR_COUNT);
  return log.events.every(fits) ? 'ccel' : 'tcg';
}

/** Whether the provider can hash this bank (SHA-1 and SM3 banks are listed but not replayed). */
export function canHash(alg: HashAlgorithm): alg is HashAlgorithm & { name: HashName } {
  return HASHABLE.has(alg.name);
}

/** RTMR0..3 from zeros: RTMR[i] = SHA-384(RTMR[i] || digest) for each extending event of MR index i+1. */
export async function replayCcel(log: ParsedLog, crypto: CryptoProvider): Promise<Registers> {
  const rtmr: Uint8Array[] = Array.from({ length: CC_MR_COUNT }, () => new Uint8Array(48));
  const extend = extender(crypto, 'SHA-384', 48);
  for (const e of log.events) {
    if (e.type === EV_NO_ACTION || e.index < 1 || e.index > CC_MR_COUNT) continue;
    const d = e.digests.find((x) => x.alg.name === 'SHA-384')!;
    rtmr[e.index - 1] = extend(rtmr[e.index - 1]!, d.digest);
  }
  return Object.fromEntries(rtmr.map((v, i) => [`rtmr${i}`, toHex(v)]));
}

/** One bank of a TPM log: each PCR that the log extends, from zeros (PCR0 from the startup locality). */
export async function replayBank(log: ParsedLog, alg: HashAlgorithm & { name: HashName }, crypto: CryptoProvider): Promise<Registers> {
  const pcrs = new Map<number, Uint8Array>();
  const locality = startupLocality(log.events);
  const extend = extender(crypto, alg.name, alg.size);
  for (const e of log.events) {
    if (e.type === EV_NO_ACTION) continue;
    const d = e.digests.find((x) => x.alg.id === alg.id)!;
    const old = pcrs.get(e.index) ?? initialPcr(e.index, alg.size, locality);
    pcrs.set(e.index, extend(old, d.digest));
  }
  const sorted = [...pcrs.entries()].sort((a, b) => a[0] - b[0]);
  return Object.fromEntries(sorted.map(([i, v]) => [`pcr${i}`, toHex(v)]));
}

/** extend(old, digest) = H(old || digest), through one scratch buffer: a log extends thousands of times. */
function extender(crypto: CryptoProvider, hash: HashName, size: number): (old: Uint8Array, digest: Uint8Array) => Uint8Array {
  const scratch = new Uint8Array(2 * size);
  return (old, digest) => {
    if (digest.length !== size) return digestSync(crypto, hash, concatBytes(old, digest));
    scratch.set(old, 0);
    scratch.set(digest, size);
    return digestSync(crypto, hash, scratch);
  };
}

function initialPcr(index: number, size: number, locality: number | undefined): Uint8Array {
  const v = new Uint8Array(size);
  if (index === 0 && locality !== undefined) v[size - 1] = locality;
  return v;
}

/** PFP spec 10.4.5.3: an EV_NO_ACTION "StartupLocality" event in PCR0 gives the locality PCR0 was reset in. */
export function startupLocality(events: LogEvent[]): number | undefined {
  for (const e of events) {
    if (e.type !== EV_NO_ACTION || e.index !== 0 || e.data.length !== STARTUP_LOCALITY.length + 1) continue;
    if (String.fromCharCode(...e.data.subarray(0, STARTUP_LOCALITY.length)) === STARTUP_LOCALITY) return e.data[STARTUP_LOCALITY.length];
  }
  return undefined;
}
