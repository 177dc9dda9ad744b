import { TeeError } from '../errors.js';
import { JsonFields } from '../json/fields.js';
import { claimKinds, TECHNOLOGIES } from './catalogue.js';
import type { Technology } from './catalogue.js';
import { parseMinimum } from './minimum.js';
import type { MinimumRule } from './minimum.js';
import { TCB_STATUSES } from '../tee/dcap/tcb-status.js';
import { attachmentRoleOf } from '../evidence/attachment-kind.js';
import type { ReferenceSignature } from '../report/result.js';
import { claimValue, onlyKeys, REFERENCE_SCHEMA } from './reference-fields.js';
import { parseProvenanceList } from './reference-provenance.js';

/**
 * Reference values ("golden values"), format tee-inspect/reference/v1 (docs/reference-values.md).
 * Written by hand by a security officer, so parsing is strict: unknown members, wrong lengths and
 * empty lists are errors naming their JSON path, never ignored, since an ignored line is an unenforced rule.
 */
export { REFERENCE_SCHEMA };

export interface ReferenceSet {
  name: string;
  note?: string;
  technology: Technology;
  /** Claim name -> allowed values: lower-case hex, or decimal for integer claims. */
  claims: Record<string, string[]>;
  minimum: MinimumRule[];
  /** Absent: the default policy (any status but Revoked). */
  allowedTcbStatuses?: string[];
  allowDebug: boolean;
  /** A CRL that could not be checked fails the verdict instead of warning. */
  requireRevocation: boolean;
  /** Where the values came from (`reference create`): absent in hand-written sets. */
  provenance?: ValueProvenance[];
}

/** A file that went into a derived value: its role in the measurement ("ovmf", "kernel", "initrd", "evidence"). */
export interface ProvenanceInput {
  role: string;
  name: string;
  sha256: string;
  bytes: number;
}

/**
 * How some of a set's values were obtained. `claims` names the values this entry accounts for (claim -> value,
 * normalised as in ReferenceSet.claims); each must be one of the set's allowed values for that claim.
 */
export interface ValueProvenance {
  claims: Record<string, string>;
  /** 'evidence': measured by a verified report; 'artefacts': predicted from build artefacts by `measure`. */
  source: 'evidence' | 'artefacts';
  /** "tee-inspect 0.9.0". */
  tool: string;
  createdAt: string;
  /** source 'evidence': the evidence and the verdict it had when its values were taken. */
  evidence?: { sha256: string; bytes: number; format: string; at: string; verdict: string; tier: string };
  /** source 'artefacts': how the values were computed ("measure snp", "measure tdx", "boot events"). */
  method?: string;
  inputs?: ProvenanceInput[];
  parameters?: Record<string, string | number | boolean>;
  /**
   * For event-level values (boot.*): what each claim measures, in words ("kernel image", "initrd",
   * "kernel command line"), keyed by claim, so a mismatch can name the input.
   */
  describes?: Record<string, string>;
}

export interface ReferenceValues {
  schema: typeof REFERENCE_SCHEMA;
  name: string;
  note?: string;
  sets: ReferenceSet[];
  /**
   * A known-good event log given as the reference (a TCG or CC log, not JSON): the evidence's replayed log
   * is compared with it event by event (appraisal/event-log.ts). Then `sets` is empty.
   */
  knownGoodLog?: Uint8Array;
  /** SHA-256 of the file as given; set by whoever read the bytes. */
  sha256?: string;
  /** A signed file (JWS): set by the reader that checked it (main/reference/), never by parsing alone. */
  signature?: ReferenceSignature;
}

const CODE = 'MALFORMED_REFERENCE';
const FILE_KEYS = ['schema', 'name', 'note', 'sets'];
const SET_KEYS = ['name', 'note', 'technology', 'claims', 'minimum', 'allowedTcbStatuses', 'allowDebug', 'requireRevocation', 'provenance'];
/** Revoked is refused by the default policy before any reference applies, so a set cannot allow it. */
const ALLOWABLE_STATUSES = TCB_STATUSES.filter((s) => s !== 'Revoked');

/** Decodes UTF-8 JSON text and validates it; a TCG or CC event log is taken as a known-good log. */
export function parseReferenceBytes(bytes: Uint8Array): ReferenceValues {
  if (attachmentRoleOf(bytes) === 'eventlog') return { schema: REFERENCE_SCHEMA, name: 'known-good event log', sets: [], knownGoodLog: bytes };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TeeError(CODE, `the reference file is not UTF-8 JSON: ${(e as Error).message}`, { field: '$' });
  }
  return parseReferenceValues(json);
}

/** Validates a parsed JSON value; throws TeeError MALFORMED_REFERENCE naming the offending path. */
export function parseReferenceValues(json: unknown): ReferenceValues {
  const f = JsonFields.of(json, '$', CODE);
  onlyKeys(f, FILE_KEYS);
  const schema = f.str('schema');
  if (schema !== REFERENCE_SCHEMA) f.fail('schema', `must be "${REFERENCE_SCHEMA}", not "${schema.slice(0, 60)}"`);
  const sets = f.objects('sets', 256).map(parseSet);
  if (sets.length === 0) f.fail('sets', 'must hold at least one reference set');
  sets.forEach((s, i) => {
    if (sets.findIndex((t) => t.name === s.name) !== i) f.fail(`sets[${i}].name`, `repeats the set name "${s.name}"; each set needs its own name`);
  });
  return { schema: REFERENCE_SCHEMA, name: name(f), ...note(f), sets };
}

function parseSet(f: JsonFields): ReferenceSet {
  onlyKeys(f, SET_KEYS);
  const tech = f.str('technology');
  if (!(TECHNOLOGIES as readonly string[]).includes(tech)) f.fail('technology', `must be one of ${TECHNOLOGIES.join(', ')}, not "${tech.slice(0, 40)}"`);
  const technology = tech as Technology;
  const set: ReferenceSet = {
    name: name(f),
    ...note(f),
    technology,
    claims: parseClaims(f, technology),
    minimum: parseMinimum(f, technology),
    allowDebug: bool(f, 'allowDebug'),
    requireRevocation: bool(f, 'requireRevocation'),
  };
  if (f.has('allowedTcbStatuses')) set.allowedTcbStatuses = tcbStatuses(f);
  if (f.has('provenance')) set.provenance = parseProvenanceList(f, set);
  return set;
}

function parseClaims(f: JsonFields, tech: Technology): Record<string, string[]> {
  const c: JsonFields = f.object('claims');
  const kinds = claimKinds(tech);
  const names = Object.keys(c.obj);
  // A set that names no claim would accept any workload of its technology.
  if (names.length === 0) f.fail('claims', 'must name at least one claim (for example a measurement); a set without claims would accept any workload');
  const out: Record<string, string[]> = {};
  for (const claim of names) {
    // Own members only: "__proto__" or "toString" must not find Object.prototype.
    const kind = Object.hasOwn(kinds, claim) ? kinds[claim] : undefined;
    if (!kind) c.fail(claim, `is not a ${tech} claim; use one of ${Object.keys(kinds).join(', ')}`);
    const values = c.obj[claim];
    if (!Array.isArray(values)) c.fail(claim, 'must be an array of allowed values, e.g. ["ab12…"], even for a single value');
    if (values.length === 0 || values.length > 1024) c.fail(claim, 'must list 1 to 1024 allowed values');
    const list = values.map((v, i) => claimValue(c, `${claim}[${i}]`, v, kind));
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) c.fail(`${claim}[${i}]`, 'repeats an earlier value');
    });
    out[claim] = list;
  }
  return out;
}

function tcbStatuses(f: JsonFields): string[] {
  const list = f.strings('allowedTcbStatuses');
  if (list.length === 0)
    f.fail('allowedTcbStatuses', `must list at least one status (or be left out for the default policy): ${ALLOWABLE_STATUSES.join(', ')}`);
  list.forEach((s, i) => {
    if (s === 'Revoked') f.fail(`allowedTcbStatuses[${i}]`, 'cannot be Revoked: a revoked TCB is always rejected');
    if (!(ALLOWABLE_STATUSES as readonly string[]).includes(s))
      f.fail(`allowedTcbStatuses[${i}]`, `must be one of ${ALLOWABLE_STATUSES.join(', ')}, not "${s.slice(0, 40)}"`);
  });
  return list;
}

function name(f: JsonFields): string {
  const n = f.str('name');
  if (n.trim() === '' || n.length > 200) f.fail('name', 'must be a non-empty string of at most 200 characters');
  return n;
}

function note(f: JsonFields): { note?: string } {
  return f.has('note') ? { note: f.str('note') } : {};
}

function bool(f: JsonFields, key: string): boolean {
  const v = f.obj[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') f.fail(key, 'must be true or false');
  return v;
}
