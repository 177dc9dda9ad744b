import type { Check } from '../../../app/check.js';
import { moduleFor, technologyName } from '../../../app/tee/registry.js';
import type { Tone } from './measured-boot.js';

/**
 * Evidence made of three linked parts (Azure confidential VMs): a hardware report, the runtime data its
 * REPORT_DATA binds (azure.hcl.binding), and a vTPM quote signed by the AK that runtime data names
 * (azure.ak.binding). Each link's state is its check's status; a link whose check did not pass is never
 * drawn as bound.
 */

export const HCL_BINDING = 'azure.hcl.binding';
export const AK_BINDING = 'azure.ak.binding';
/** TDX only: the HCL's TDREPORT is the one the TD quote was made from. */
const TD_REPORT = 'azure.td-report';
/** Where the composite keeps the vTPM quote's own fields (PCRs, event logs). */
const VTPM_KEY = 'tpm';

export type LinkState = 'bound' | 'broken' | 'not-established' | 'not-run';
export type PartState = 'verified' | 'failed' | 'not-verified';

export interface Link {
  checkId: string;
  state: LinkState;
  /** "bound (check passed)": the state in words, never in colour only. */
  words: string;
  tone: Tone;
  what: string;
  explain: string;
}

export interface Part {
  title: string;
  state: PartState;
  words: string;
  tone: Tone;
  /** What the part holds, as short label/value lines. */
  facts: [string, string][];
  /** The checks this part's state comes from. */
  checkIds: string[];
}

export interface LinkedParts {
  hardware: Part;
  runtime: Part;
  vtpm: Part;
  hardwareToRuntime: Link;
  runtimeToVtpm: Link;
}

const LINK_WORDS: Record<LinkState, { words: string; tone: Tone }> = {
  bound: { words: 'bound (check passed)', tone: 'good' },
  broken: { words: 'NOT bound (check failed)', tone: 'bad' },
  'not-established': { words: 'not established (warning)', tone: 'warn' },
  'not-run': { words: 'not run', tone: 'none' },
};

const PART_WORDS: Record<PartState, { words: string; tone: Tone }> = {
  verified: { words: 'checks passed', tone: 'good' },
  failed: { words: 'FAILED', tone: 'bad' },
  'not-verified': { words: 'not verified', tone: 'warn' },
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function hasLinkedParts(checks: readonly Check[]): boolean {
  return checks.some((c) => c.id === HCL_BINDING || c.id === AK_BINDING);
}

export function linkOf(checks: readonly Check[], checkId: string, what: string): Link {
  const c = checks.find((x) => x.id === checkId);
  const state: LinkState = !c
    ? 'not-run'
    : c.status === 'pass'
      ? 'bound'
      : c.status === 'fail'
        ? 'broken'
        : c.status === 'warn'
          ? 'not-established'
          : 'not-run';
  const explain = c ? c.explain : `No ${checkId} check in this result, so this link was not checked.`;
  return { checkId, state, ...LINK_WORDS[state], what, explain };
}

/** A part is verified only when every check it depends on ran and passed, and at least one did. */
export function partState(checks: readonly Check[], ids: readonly string[]): PartState {
  const mine = checks.filter((c) => ids.includes(c.id));
  if (mine.some((c) => c.status === 'fail')) return 'failed';
  return mine.length > 0 && ids.every((id) => mine.some((c) => c.id === id && c.status === 'pass')) ? 'verified' : 'not-verified';
}

/** A part whose state is that of its checks; the checks are named beside it, as the words alone do not say which. */
function part(title: string, checks: readonly Check[], checkIds: string[], facts: [string, string][]): Part {
  const state = partState(checks, checkIds);
  const by: [string, string] = ['checked by', checkIds.length ? checkIds.join(', ') : 'no check ran'];
  return { title, state, ...PART_WORDS[state], facts: [...facts, by], checkIds };
}

/** The hardware report's key in fields ("snp", "tdx"): the technology its own module verified. */
function hardwareKey(fields: Record<string, unknown>): string | undefined {
  return Object.keys(fields).find((k) => k !== VTPM_KEY && isObject(fields[k]) && moduleFor(k) !== undefined);
}

/** The signature and chain checks of the hardware report's own module that this result ran. */
function hardwareCryptoChecks(key: string | undefined, checks: readonly Check[]): string[] {
  const m = key ? moduleFor(key) : undefined;
  if (!m) return [];
  const ran = new Set(checks.map((c) => c.id));
  return m.checks.filter((s) => s.crypto && ran.has(s.id)).map((s) => s.id);
}

/** A field as one line of words: lists joined, settings as "name: value". */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(text).join(', ');
  if (isObject(v))
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${text(x)}`)
      .join(', ');
  return String(v);
}

export function linkedParts(fields: Record<string, unknown>, checks: readonly Check[]): LinkedParts | undefined {
  if (!hasLinkedParts(checks)) return undefined;
  const hcl = isObject(fields.hcl) ? fields.hcl : {};
  const runtime = isObject(fields.runtimeData) ? fields.runtimeData : {};
  const tpm = isObject(fields[VTPM_KEY]) ? fields[VTPM_KEY] : {};
  const key = hardwareKey(fields);
  const hwName = key ? technologyName(key) : text(hcl.hardware) || 'hardware';
  const hwCrypto = hardwareCryptoChecks(key, checks);
  const tdReport = checks.some((c) => c.id === TD_REPORT) ? [TD_REPORT] : [];
  const pcrs = Array.isArray(tpm.pcrs) ? tpm.pcrs.length : 0;
  return {
    hardware: part(
      `Hardware report (${hwName})`,
      checks,
      [...hwCrypto, ...tdReport],
      [['what', `${text(hcl.hardware) || 'report'} signed by the CPU vendor's key; covers the paravisor and firmware, not the guest OS`]],
    ),
    runtime: part(
      'Runtime data (HCL)',
      checks,
      ['azure.hcl.format', HCL_BINDING],
      [
        ['keys', text(runtime.keys)],
        ['AK public key SHA-256', text(runtime.akSpkiSha256)],
        ...(runtime.vmConfiguration !== undefined ? [['vm-configuration', text(runtime.vmConfiguration)] as [string, string]] : []),
        ...(runtime.userData !== undefined ? [['user-data', text(runtime.userData)] as [string, string]] : []),
      ],
    ),
    vtpm: part(
      'vTPM quote',
      checks,
      ['tpm.quote.signature', 'tpm.pcr-digest', AK_BINDING],
      [
        ['what', 'TPM quote over the guest PCRs, signed by the AK the runtime data names'],
        ['PCRs', pcrs ? `${pcrs} values (see the PCR table)` : 'none'],
        ['nonce', nonceWords(checks)],
      ],
    ),
    hardwareToRuntime: linkOf(checks, HCL_BINDING, 'REPORT_DATA[0:32] is the SHA-256 of the runtime data'),
    runtimeToVtpm: linkOf(checks, AK_BINDING, 'the quote is signed by the AK named in the runtime data (HCLAkPub)'),
  };
}

/** Freshness comes only from the vTPM quote's nonce (the HCL report is written at boot). */
function nonceWords(checks: readonly Check[]): string {
  const c = checks.find((x) => x.id === 'tpm.nonce');
  if (!c) return 'not checked: freshness not established';
  if (c.status === 'pass') return 'matches the verifier’s nonce (fresh)';
  if (c.status === 'fail') return 'DOES NOT match the verifier’s nonce';
  return 'not checked: freshness not established';
}
