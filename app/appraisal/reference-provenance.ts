import type { JsonFields } from '../json/fields.js';
import { claimKinds } from './catalogue.js';
import type { ProvenanceInput, ReferenceSet, ValueProvenance } from './reference.js';
import { claimValue, onlyKeys } from './reference-fields.js';

/** A set's `provenance` member (docs/reference-values.md): where its values came from, parsed as strictly as the rest. */
const PROVENANCE_KEYS = ['claims', 'source', 'tool', 'createdAt', 'evidence', 'method', 'inputs', 'parameters', 'describes'];
const EVIDENCE_KEYS = ['sha256', 'bytes', 'format', 'at', 'verdict', 'tier'];
const INPUT_KEYS = ['role', 'name', 'sha256', 'bytes'];
const MAX_PROVENANCE = 1024;
const VERDICTS = ['verified', 'rejected'];
const TIERS = ['affirming', 'warning', 'contraindicated', 'none'];

export function parseProvenanceList(f: JsonFields, set: ReferenceSet): ValueProvenance[] {
  return f.objects('provenance', MAX_PROVENANCE).map((p) => parseProvenance(p, set));
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
