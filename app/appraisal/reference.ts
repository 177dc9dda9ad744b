import { TeeError } from '../errors.js';
import { JsonFields } from '../json/fields.js';
import { claimKinds, TECHNOLOGIES } from './catalogue.js';
import type { ClaimKind, Technology } from './catalogue.js';
import { parseMinimum } from './minimum.js';
import type { MinimumRule } from './minimum.js';
import { TCB_STATUSES } from '../tee/dcap/tcb-status.js';
import { attachmentRoleOf } from '../evidence/attachment-kind.js';
import type { ReferenceSignature } from '../report/result.js';

/**
 * Reference values ("golden values"), format tee-inspect/reference/v1 (docs/reference-values.md).
 * Written by hand by a security officer, so parsing is strict: unknown members, wrong lengths and
 * empty lists are errors naming their JSON path, never ignored, since an ignored line is an unenforced rule.
 */
export const REFERENCE_SCHEMA = 'tee-inspect/reference/v1';

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
const PROVENANCE_KEYS = ['claims', 'source', 'tool', 'createdAt', 'evidence', 'method', 'inputs', 'parameters', 'describes'];
const EVIDENCE_KEYS = ['sha256', 'bytes', 'format', 'at', 'verdict', 'tier'];
const INPUT_KEYS = ['role', 'name', 'sha256', 'bytes'];
const MAX_PROVENANCE = 1024;
const VERDICTS = ['verified', 'rejected'];
const TIERS = ['affirming', 'warning', 'contraindicated', 'none'];
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
  if (f.has('provenance')) set.provenance = f.objects('provenance', MAX_PROVENANCE).map((p) => parseProvenance(p, set));
  return set;
}

/**
 * One provenance entry. It may only vouch for values the set allows: an entry naming a value the set does not
 * list would describe a rule that is not there, so it is refused like any other malformed line.
 */
function parseProvenance(f: JsonFields, set: ReferenceSet): ValueProvenance {
  onlyKeys(f, PROVENANCE_KEYS);
  const source = oneOf(f, 'source', ['evidence', 'artefacts']) as ValueProvenance['source'];
  const out: ValueProvenance = { claims: provenanceClaims(f, set), source, tool: bounded(f, 'tool', 200), createdAt: isoTime(f, 'createdAt') };
  if (source === 'evidence') {
    if (!f.has('evidence')) f.fail('evidence', 'is required when source is "evidence": the digest of the evidence the values were measured from');
    out.evidence = provenanceEvidence(f.object('evidence'));
  } else if (f.has('evidence')) f.fail('evidence', 'belongs to source "evidence" only');
  if (source === 'artefacts' && !f.has('method')) f.fail('method', 'is required when source is "artefacts" (for example "measure snp")');
  if (f.has('method')) out.method = bounded(f, 'method', 1024);
  if (f.has('inputs')) out.inputs = f.objects('inputs', 64).map(provenanceInput);
  if (f.has('parameters')) out.parameters = parameters(f);
  if (f.has('describes')) out.describes = describes(f.object('describes'), out.claims);
  return out;
}

function provenanceClaims(f: JsonFields, set: ReferenceSet): Record<string, string> {
  const c = f.object('claims');
  const names = Object.keys(c.obj);
  if (names.length === 0) f.fail('claims', 'must name at least one claim value this entry accounts for');
  const kinds = claimKinds(set.technology);
  const out: Record<string, string> = {};
  for (const claim of names) {
    const allowed = Object.hasOwn(set.claims, claim) ? set.claims[claim] : undefined;
    const kind = Object.hasOwn(kinds, claim) ? kinds[claim] : undefined;
    if (!allowed || !kind) return c.fail(claim, `is not a claim of set "${set.name}"; a provenance entry can only account for the set's own values`);
    const value = claimValue(c, claim, c.obj[claim], kind);
    if (!allowed.includes(value)) c.fail(claim, `is a value set "${set.name}" does not allow; a provenance entry can only account for listed values`);
    out[claim] = value;
  }
  return out;
}

function provenanceEvidence(f: JsonFields): NonNullable<ValueProvenance['evidence']> {
  onlyKeys(f, EVIDENCE_KEYS);
  return {
    sha256: sha256Hex(f, 'sha256'),
    bytes: byteCount(f, 'bytes'),
    format: bounded(f, 'format', 200),
    at: isoTime(f, 'at'),
    verdict: oneOf(f, 'verdict', VERDICTS),
    tier: oneOf(f, 'tier', TIERS),
  };
}

function provenanceInput(f: JsonFields): ProvenanceInput {
  onlyKeys(f, INPUT_KEYS);
  return { role: bounded(f, 'role', 64), name: bounded(f, 'name', 1024), sha256: sha256Hex(f, 'sha256'), bytes: byteCount(f, 'bytes') };
}

function parameters(parent: JsonFields): Record<string, string | number | boolean> {
  const f = parent.object('parameters');
  const keys = Object.keys(f.obj);
  if (keys.length > 64) parent.fail('parameters', 'has more than 64 parameters');
  // fromEntries, not assignment: a parameter named "__proto__" stays an own member.
  const out: [string, string | number | boolean][] = [];
  for (const key of keys) {
    if (key.length === 0 || key.length > 64) f.fail(key, 'is not a parameter name of 1 to 64 characters');
    const v = f.obj[key];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return f.fail(key, 'must be a string, a number or true/false');
    if (typeof v === 'string' && v.length > 4096) f.fail(key, 'must be at most 4096 characters');
    if (typeof v === 'number' && !Number.isFinite(v)) f.fail(key, 'must be a finite number');
    out.push([key, v]);
  }
  return Object.fromEntries(out);
}

function describes(f: JsonFields, claims: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(f.obj)) {
    if (!Object.hasOwn(claims, key)) f.fail(key, "is not one of this entry's claims");
    out[key] = bounded(f, key, 200);
  }
  return out;
}

function bounded(f: JsonFields, key: string, max: number): string {
  const v = f.str(key);
  if (v.length === 0 || v.length > max) f.fail(key, `must be a non-empty string of at most ${max} characters`);
  return v;
}

function oneOf(f: JsonFields, key: string, allowed: readonly string[]): string {
  const v = f.str(key);
  if (!allowed.includes(v)) f.fail(key, `must be one of ${allowed.join(', ')}, not "${v.slice(0, 40)}"`);
  return v;
}

/** Kept as written (the time is shown, not computed with), but only once it is a real ISO-8601 UTC time. */
function isoTime(f: JsonFields, key: string): string {
  f.time(key);
  return f.str(key);
}

function sha256Hex(f: JsonFields, key: string): string {
  const v = f.str(key);
  if (!/^[0-9a-fA-F]{64}$/.test(v)) f.fail(key, 'must be a SHA-256 digest: 64 hex digits');
  return v.toLowerCase();
}

function byteCount(f: JsonFields, key: string): number {
  const v = f.obj[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) f.fail(key, 'must be a byte count: a non-negative integer');
  return v;
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

function claimValue(c: JsonFields, path: string, v: unknown, kind: ClaimKind): string {
  if (kind.kind === 'bool') {
    if (typeof v !== 'boolean') c.fail(path, 'must be true or false');
    return String(v);
  }
  if (kind.kind === 'int') {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > kind.max) c.fail(path, `must be an integer from 0 to ${kind.max}`);
    return String(v);
  }
  if (kind.kind === 'text') {
    if (typeof v !== 'string' || v.length > kind.max) c.fail(path, `must be a string of at most ${kind.max} characters, compared exactly`);
    return v;
  }
  if (typeof v !== 'string') c.fail(path, `must be a string of ${kind.bytes * 2} hex digits`);
  if (/^0x/i.test(v)) c.fail(path, 'must be plain hex, without a 0x prefix');
  if (!/^[0-9a-fA-F]*$/.test(v)) c.fail(path, 'must contain only hex digits (no spaces, colons or other separators)');
  if (v.length !== kind.bytes * 2) c.fail(path, `must be ${kind.bytes} bytes (${kind.bytes * 2} hex digits), not ${v.length} digits`);
  return v.toLowerCase();
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

function onlyKeys(f: JsonFields, allowed: readonly string[]): void {
  for (const key of Object.keys(f.obj)) if (!allowed.includes(key)) f.fail(key, `is not a ${REFERENCE_SCHEMA} member here; expected ${allowed.join(', ')}`);
}
