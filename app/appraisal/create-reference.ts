import { TeeError } from '../errors.js';
import type { VerificationResult } from '../report/result.js';
import { actualValue, claimKinds, minimumKinds } from './catalogue.js';
import type { ClaimKind, MinimumKind, Technology } from './catalogue.js';
import { isTechnology } from '../tee/registry.js';
import { REFERENCE_SCHEMA } from './reference.js';
import type { ValueProvenance } from './reference.js';

/**
 * Golden values from a verified result: a tee-inspect/reference/v1 file (docs/reference-values.md) naming every
 * claim of the evidence that its module's schema allows, each with its one measured value, and the measured
 * security versions as minimums. Pure, so the app's "Save these measurements" and the CLI write the same file.
 */
export type ReferenceJsonValue = string | number | boolean;
export type MinimumJsonValue = number | string | number[] | Record<string, number>;

/** A provenance entry as the file holds it: claim values in the form `claims` lists them. */
export type ValueProvenanceJson = Omit<ValueProvenance, 'claims'> & { claims: Record<string, ReferenceJsonValue> };

/** A set as JSON: the ones made here, and (for merging) any set a parsed file holds. */
export interface ReferenceSetJson {
  name: string;
  note?: string;
  technology: Technology;
  claims: Record<string, ReferenceJsonValue[]>;
  /** Integers, 32 hex digits (a 16-byte security version, each byte a minimum) or per-component integers, as the schema's minimums take them. */
  minimum?: Record<string, MinimumJsonValue>;
  allowedTcbStatuses?: string[];
  allowDebug?: boolean;
  requireRevocation?: boolean;
  provenance?: ValueProvenanceJson[];
}

export interface ReferenceFileJson {
  schema: typeof REFERENCE_SCHEMA;
  name: string;
  note?: string;
  sets: ReferenceSetJson[];
}

/** What createReference makes: one set, with a note on file and set. */
export type CreatedReferenceJson = ReferenceFileJson & { note: string; sets: [ReferenceSetJson & { note: string }] };

export interface ReferenceProvenance {
  /** The tool's version ("0.9.0"), as appInfo() or the CLI reports it. */
  toolVersion: string;
  /**
   * When the values were taken (ISO-8601 UTC), from the caller's clock: the core never reads one. Given, the set
   * records a provenance entry (docs/reference-values.md); absent, the provenance is in the notes only.
   */
  createdAt?: string;
  /** Who saved it and when, or any other words for the file's reader. */
  note?: string;
  /** The file's name (what the reference checks call it); default from the evidence. */
  name?: string;
}

/**
 * Claims that differ in every quote (the nonce-carrying report data), every launch (report id) or every chip:
 * a set naming them would approve this one instance only, so they are left out and the note says so.
 */
const PER_INSTANCE_CLAIMS: readonly string[] = ['reportData', 'reportId', 'chipId'];
const MAX_NAME = 200;

export function createReference(result: VerificationResult, p: ReferenceProvenance): CreatedReferenceJson {
  const technology = result.technology;
  if (!isTechnology(technology)) throw new TeeError('USAGE_ERROR', `no golden values can be made for ${technology} evidence: no module reads its claims`);
  if (!result.cryptoValid)
    throw new TeeError('USAGE_ERROR', 'the evidence signatures and certificate chains did not verify, so its measurements cannot be golden values');
  const claims = measuredClaims(result.claims, technology);
  if (Object.keys(claims).length === 0) throw new TeeError('USAGE_ERROR', `the ${result.format} carries none of the claims a reference set names`);
  const minimum = measuredMinimums(result.claims, technology);
  const sha = result.evidence.sha256;
  const left = PER_INSTANCE_CLAIMS.filter((c) => Object.hasOwn(claimKinds(technology), c) && actualValue(result.claims, c) !== null);
  const set: ReferenceSetJson & { note: string } = {
    name: `${technology}-${sha.slice(0, 12)}`,
    note: [
      `Every claim of this ${result.format} as measured${Object.keys(minimum).length ? ', its security versions as the minimum' : ''}.`,
      left.length ? `Left out: ${left.join(', ')} (they differ per quote, launch or chip).` : '',
      'TCB status: the default policy (any but Revoked). Debug is not allowed.',
    ]
      .filter(Boolean)
      .join(' '),
    technology,
    claims,
    ...(Object.keys(minimum).length ? { minimum } : {}),
    allowDebug: false,
    ...(p.createdAt !== undefined ? { provenance: [evidenceProvenance(result, claims, p.toolVersion, p.createdAt)] } : {}),
  };
  const provenance = `Measured by TEE Inspector ${p.toolVersion} from evidence sha256 ${sha} (${result.format}), verified as of ${result.at}: verdict ${result.verdict}, appraisal ${result.appraisal.tier}.`;
  return {
    schema: REFERENCE_SCHEMA,
    name: (p.name?.trim() || `Golden values of ${technology} evidence ${sha.slice(0, 12)}`).slice(0, MAX_NAME),
    note: p.note?.trim() ? `${provenance} ${p.note.trim()}` : provenance,
    sets: [set],
  };
}

/** One entry for every value taken: they all came from this one evidence. */
function evidenceProvenance(
  result: VerificationResult,
  claims: Record<string, ReferenceJsonValue[]>,
  toolVersion: string,
  createdAt: string,
): ValueProvenanceJson {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(createdAt) || Number.isNaN(Date.parse(createdAt)))
    throw new TeeError('USAGE_ERROR', `createdAt must be an ISO-8601 UTC time, not "${createdAt.slice(0, 40)}"`);
  const { sha256, bytes } = result.evidence;
  return {
    claims: Object.fromEntries(Object.entries(claims).map(([name, values]) => [name, values[0]!])),
    source: 'evidence',
    tool: `tee-inspect ${toolVersion}`,
    createdAt,
    evidence: { sha256, bytes, format: result.format, at: result.at, verdict: result.verdict, tier: result.appraisal.tier },
  };
}

function measuredClaims(claims: Record<string, unknown>, technology: Technology): Record<string, ReferenceJsonValue[]> {
  const out: Record<string, ReferenceJsonValue[]> = {};
  for (const [name, kind] of Object.entries(claimKinds(technology))) {
    if (PER_INSTANCE_CLAIMS.includes(name)) continue;
    const value = actualValue(claims, name, kind);
    if (value !== null) out[name] = [asJson(value, kind)];
  }
  return out;
}

/** actualValue gives reference form as text; the file wants integers as numbers and flags as booleans. */
function asJson(value: string, kind: ClaimKind): ReferenceJsonValue {
  return kind.kind === 'int' ? Number(value) : kind.kind === 'bool' ? value === 'true' : value;
}

function measuredMinimums(claims: Record<string, unknown>, technology: Technology): Record<string, MinimumJsonValue> {
  const out: Record<string, MinimumJsonValue> = {};
  for (const [name, kind] of Object.entries(minimumKinds(technology))) {
    const value = minimumValue(claims[name], kind);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function minimumValue(v: unknown, kind: MinimumKind): MinimumJsonValue | undefined {
  if (kind.kind === 'int') return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= kind.max ? v : undefined;
  if (kind.kind === 'svn16') return typeof v === 'string' && /^[0-9a-fA-F]{32}$/.test(v) ? v.toLowerCase() : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const parts = Object.fromEntries(
    kind.parts.flatMap((part) => {
      const n = (v as Record<string, unknown>)[part];
      return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= 255 ? [[part, n]] : [];
    }),
  );
  return Object.keys(parts).length ? parts : undefined;
}
