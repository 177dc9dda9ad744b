import type { CryptoProvider } from '../../crypto/provider.js';
import { digestSync } from '../../crypto/digest-sync.js';
import { toHex } from '../../bytes/hex.js';
import { CLAIM_REGISTERS } from './decode/claim-rules.js';
import type { ClaimRegisters } from './decode/claim-rules.js';
import { digestCoversContent } from './decode/coverage.js';
import { EFI_GLOBAL_VARIABLE, EFI_IMAGE_SECURITY_DATABASE } from './decode/guid.js';
import { variableParts } from './decode/variable.js';
import type { Decoded } from './decode/types.js';
import type { LogEvent, ParsedLog } from './parse.js';
import type { LogFormat, Registers } from './replay.js';

export { EVENTLOG_CLAIMS } from './decode/claim-rules.js';
export type { EventLogClaimSpec } from './decode/claim-rules.js';

/**
 * Facts derived from an event log, and the rule that keeps them honest.
 *
 * The event TYPE and the event DATA are not covered by the digest; only the digest is extended into the
 * register (and only the register is signed). So:
 * 1. A fact read from event data ("digest-of-data": Secure Boot state, PK/KEK/db/dbx, the GRUB kernel command
 *    line and commands) is taken only when the event's digest, in every bank this program can hash, equals
 *    the hash of the content the spec says is measured (the data; GRUB: the text after its prefix). Data
 *    whose digest does not match is listed under `unverified` and never becomes a claim.
 * 2. Where the digest is of something the log does not carry (an EFI application's PE image, a file GRUB
 *    read, the initrd or load options the Linux EFI stub measured), the claim is the event's own digest:
 *    what the register holds ("logged-digest"). Which image it was (its path) comes from unverified event
 *    data and is shown as such, never as proven.
 * 3. Facts are taken only from the register they are measured into (decode/claim-rules.ts) and an event
 *    type must agree with the data; a type alone never makes a fact.
 * 4. None of this is worth more than the replay: claims hold only if the replayed `registers` equal signed
 *    ones (eventlog.replay), which is for the appraiser to require.
 */
export interface ClaimSource {
  claim: string;
  /** Position of the event in the log (0-based, as `tee-inspect eventlog` numbers them). */
  event: number;
  register: string;
  basis: 'digest-of-data' | 'logged-digest';
  /** For logged digests: what the unverified event data says it was (a path, a description). */
  unverifiedDetail?: string;
}

export interface UnverifiedClaim {
  claim: string;
  event: number;
  register?: string;
  /** What the event data says (not measured as far as this log shows). */
  says: string;
  reason: string;
}

export interface EventLogClaims {
  /** The bank register-digest values are in: SHA-384 (CC event log), SHA-256 (TPM) or the first hashable one. */
  bank?: string;
  secureBoot?: boolean;
  pk?: string;
  kek?: string;
  db?: string;
  dbx?: string;
  bootLoaderDigests?: string[];
  kernelDigest?: string;
  kernelCmdline?: string;
  kernelCmdlineDigest?: string;
  initrdDigest?: string;
  grubCommands?: string[];
  /** The replayed registers the claims rest on. */
  registers: Registers;
  sources: ClaimSource[];
  unverified: UnverifiedClaim[];
  notes: string[];
}

/** What claims need of each event: the parsed record, its decoded meaning and its register. */
export interface ClaimEvent {
  event: LogEvent;
  decoded: Decoded;
  register?: string;
}

type Claimable = Omit<EventLogClaims, 'registers' | 'sources' | 'unverified' | 'notes' | 'bank'>;

/** The claims of a parsed and decoded log, with the replayed registers they rest on. */
export async function eventLogClaims(
  log: ParsedLog,
  events: readonly ClaimEvent[],
  format: LogFormat,
  registers: Registers,
  bank: string | undefined,
  crypto: CryptoProvider,
): Promise<EventLogClaims> {
  const out: EventLogClaims = { ...(bank ? { bank } : {}), registers, sources: [], unverified: [], notes: [] };
  if (log.events.length !== events.length) throw new Error('claims: events and decoded events differ in number');
  const where = CLAIM_REGISTERS[format];
  await dataClaims(events, where, out, crypto);
  if (bank) await loggedDigestClaims(events, where, out, bank, crypto);
  return out;
}

const VARIABLE_CLAIMS: readonly { claim: 'secureBoot' | 'pk' | 'kek' | 'db' | 'dbx'; guid: string; name: string }[] = [
  { claim: 'secureBoot', guid: EFI_GLOBAL_VARIABLE, name: 'SecureBoot' },
  { claim: 'pk', guid: EFI_GLOBAL_VARIABLE, name: 'PK' },
  { claim: 'kek', guid: EFI_GLOBAL_VARIABLE, name: 'KEK' },
  { claim: 'db', guid: EFI_IMAGE_SECURITY_DATABASE, name: 'db' },
  { claim: 'dbx', guid: EFI_IMAGE_SECURITY_DATABASE, name: 'dbx' },
];

const EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001;
const EV_IPL = 0x0000000d;

/** Rule 1: facts read from data, only where the digest covers what the data says. */
async function dataClaims(events: readonly ClaimEvent[], where: ClaimRegisters, out: EventLogClaims, crypto: CryptoProvider): Promise<void> {
  for (const [i, c] of events.entries()) {
    const d = c.decoded;
    if (d.kind === 'efi-variable' && c.event.type === EV_EFI_VARIABLE_DRIVER_CONFIG && c.register === where.secureBoot) {
      const spec = VARIABLE_CLAIMS.find((v) => v.guid === d.vendorGuid && v.name === d.name);
      if (spec) await variableClaim(spec.claim, i, c, out, crypto);
    }
    if (d.kind === 'grub' && c.event.type === EV_IPL && c.register === where.grubCommands && d.role !== 'module-cmdline') {
      const claim = d.role === 'kernel-cmdline' ? 'kernelCmdline' : 'grubCommands';
      if (!(await admit(claim, i, c, d.summary, out, crypto))) continue;
      if (claim === 'kernelCmdline') setOnce(out, 'kernelCmdline', d.text, i);
      else (out.grubCommands ??= []).push(d.text);
    }
  }
}

async function variableClaim(
  claim: (typeof VARIABLE_CLAIMS)[number]['claim'],
  i: number,
  c: ClaimEvent,
  out: EventLogClaims,
  crypto: CryptoProvider,
): Promise<void> {
  if (c.decoded.kind !== 'efi-variable') return;
  if (claim === 'secureBoot' && c.decoded.enabled === undefined) {
    out.notes.push(`event ${i}: SecureBoot ${c.decoded.summary.replace(/^SecureBoot: /, '')}, so no Secure Boot state is claimed`);
    return;
  }
  if (!(await admit(claim, i, c, c.decoded.summary, out, crypto))) return;
  if (claim === 'secureBoot') setOnce(out, 'secureBoot', c.decoded.enabled!, i);
  else setOnce(out, claim, toHex(digestSync(crypto, 'SHA-256', variableParts(c.event.data).data)), i);
}

/** Records the source when the digest covers the content; otherwise lists the event as unverified. */
async function admit(claim: string, i: number, c: ClaimEvent, says: string, out: EventLogClaims, crypto: CryptoProvider): Promise<boolean> {
  if (await digestCoversContent(c.event, crypto)) {
    out.sources.push({ claim, event: i, register: c.register!, basis: 'digest-of-data' });
    return true;
  }
  const reason = 'its digest is not the hash of what the data says was measured: the data is not what was extended';
  out.unverified.push({ claim, event: i, ...(c.register ? { register: c.register } : {}), says, reason });
  return false;
}

/** A single-valued claim keeps its first value; a later different one is a note (the first is what the firmware saw first). */
function setOnce<K extends keyof Claimable>(out: EventLogClaims, claim: K, value: NonNullable<Claimable[K]>, i: number): void {
  if (out[claim] === undefined) out[claim] = value as EventLogClaims[K];
  else if (out[claim] !== value) out.notes.push(`event ${i}: a second ${claim} (${String(value)}) differs from the first; the first is kept`);
}

const EXIT_BOOT_SERVICES = 'Exit Boot Services Invocation';
const KERNEL_NAME = /(vmlinu[xz]|bzimage|\bkernel$)/i;
const INITRD_NAME = /(initrd|initramfs)/i;

/** Rule 2: the register holds these digests; what they are comes from unverified type and data. */
async function loggedDigestClaims(
  events: readonly ClaimEvent[],
  where: ClaimRegisters,
  out: EventLogClaims,
  bank: string,
  crypto: CryptoProvider,
): Promise<void> {
  const digestOf = (c: ClaimEvent) => toHex(c.event.digests.find((d) => d.alg.name === bank)?.digest ?? new Uint8Array());
  const exit = await exitBootServices(events, where, crypto);
  for (const [i, c] of events.entries()) {
    const d = c.decoded;
    const source = (claim: string, detail: string) =>
      out.sources.push({ claim, event: i, register: c.register!, basis: 'logged-digest', unverifiedDetail: detail });
    if (c.event.type === 0x80000003 && c.register === where.bootApplications && (exit < 0 || i < exit) && d.kind === 'image-load') {
      (out.bootLoaderDigests ??= []).push(digestOf(c));
      source('bootLoaderDigests', `path (from unverified event data): ${d.devicePath}`);
      if (KERNEL_NAME.test(d.devicePath)) {
        out.kernelDigest = digestOf(c);
        source('kernelDigest', `path (from unverified event data): ${d.devicePath}`);
      }
    }
    if (c.event.type === EV_IPL && c.register === where.grubFiles && d.kind === 'text') grubFile(out, d.text, digestOf(c), source);
    if (c.event.type === 0x00000006 && c.register === where.stubTags && d.kind === 'tagged' && d.tag) {
      const claim = d.tag === 'initrd' ? 'initrdDigest' : 'kernelCmdlineDigest';
      out[claim] = digestOf(c);
      source(claim, `tag 0x${d.tagId.toString(16)} "${d.description}" (from unverified event data)`);
    }
  }
  if (exit < 0 && out.bootLoaderDigests) out.notes.push('no "Exit Boot Services Invocation" event: boot applications listed up to the end of the log');
}

/** The first ExitBootServices action whose digest is that string's hash: boot applications after it are not the boot loader's. */
async function exitBootServices(events: readonly ClaimEvent[], where: ClaimRegisters, crypto: CryptoProvider): Promise<number> {
  for (const [i, c] of events.entries()) {
    const d = c.decoded;
    if (c.register === where.exitBootServices && d.kind === 'text' && d.text === EXIT_BOOT_SERVICES && (await digestCoversContent(c.event, crypto))) return i;
  }
  return -1;
}

function grubFile(out: EventLogClaims, name: string, digest: string, source: (claim: string, detail: string) => void): void {
  if (KERNEL_NAME.test(name)) {
    out.kernelDigest = digest;
    source('kernelDigest', `file (from unverified event data): ${name}`);
  } else if (INITRD_NAME.test(name)) {
    out.initrdDigest = digest;
    source('initrdDigest', `file (from unverified event data): ${name}`);
  }
}
