import { TeeError } from '../errors.js';
import { REFERENCE_SCHEMA } from './reference.js';
import type { MinimumJsonValue, ReferenceFileJson, ReferenceJsonValue, ReferenceSetJson } from './create-reference.js';

/**
 * Adding values to a reference file (`reference create --into`): a set named like one in the file gives that set
 * more allowed values (two builds during a rollout); a new name adds a set (one per environment). Pure.
 *
 * A merge only ever adds allowed values. It never loosens or tightens a rule silently: a set that differs in its
 * debug, revocation or TCB-status rules, or in which claims it names, is refused; a differing minimum is kept as
 * the file has it and a note says so.
 */
export interface MergeOptions {
  /** The file's name (a new file: default from the set); given with an existing file, it replaces the name. */
  name?: string;
  /** The file's note; given with an existing file, it replaces the note. */
  note?: string;
}

export interface MergeOutcome {
  file: ReferenceFileJson;
  /** Values the merge added, per claim, in reference form; empty when all were already allowed. */
  added: Record<string, ReferenceJsonValue[]>;
  /** Sentences for the user: what was kept rather than changed. */
  notes: string[];
}

export function mergeReference(base: ReferenceFileJson | undefined, set: ReferenceSetJson, opts: MergeOptions = {}): ReferenceFileJson {
  return mergeReferenceWithNotes(base, set, opts).file;
}

export function mergeReferenceWithNotes(base: ReferenceFileJson | undefined, set: ReferenceSetJson, opts: MergeOptions = {}): MergeOutcome {
  const file: ReferenceFileJson = base
    ? clone(base)
    : { schema: REFERENCE_SCHEMA, name: opts.name ?? `Golden values: ${set.name}`, ...(opts.note !== undefined ? { note: opts.note } : {}), sets: [] };
  if (base && opts.name !== undefined) file.name = opts.name;
  if (base && opts.note !== undefined) file.note = opts.note;
  const index = file.sets.findIndex((s) => s.name === set.name);
  if (index < 0) {
    file.sets.push(clone(set));
    return { file, added: clone(set.claims), notes: [] };
  }
  const { merged, added, notes } = mergeSet(file.sets[index]!, set);
  file.sets[index] = merged;
  return { file, added, notes };
}

function mergeSet(old: ReferenceSetJson, add: ReferenceSetJson): { merged: ReferenceSetJson; added: Record<string, ReferenceJsonValue[]>; notes: string[] } {
  const where = `set "${old.name}"`;
  if (old.technology !== add.technology)
    throw usage(`${where} is for ${old.technology} evidence; these values are ${add.technology}: name another set (--set)`);
  sameRules(old, add, where);
  sameClaimNames(old, add, where);
  const merged = clone(old);
  const added: Record<string, ReferenceJsonValue[]> = {};
  for (const [claim, values] of Object.entries(add.claims)) {
    const list = merged.claims[claim]!;
    const fresh = values.filter((v, i) => !list.some((w) => sameValue(w, v)) && values.findIndex((w) => sameValue(w, v)) === i);
    list.push(...fresh);
    if (fresh.length) added[claim] = fresh;
  }
  if (add.provenance?.length) merged.provenance = [...(merged.provenance ?? []), ...clone(add.provenance)];
  return { merged, added, notes: minimumNotes(old, add, where) };
}

/** The rules beside the values must agree: merging is adding values, not changing what a set accepts otherwise. */
function sameRules(old: ReferenceSetJson, add: ReferenceSetJson, where: string): void {
  const rules: [string, unknown, unknown][] = [
    ['allowDebug', old.allowDebug ?? false, add.allowDebug ?? false],
    ['requireRevocation', old.requireRevocation ?? false, add.requireRevocation ?? false],
    ['allowedTcbStatuses', statuses(old), statuses(add)],
  ];
  for (const [rule, a, b] of rules)
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw usage(
        `${where} has ${rule} ${JSON.stringify(a)}, the new values ${JSON.stringify(b)}: a merge does not change a set's rules; edit the file or name another set (--set)`,
      );
}

const statuses = (s: ReferenceSetJson) => (s.allowedTcbStatuses ? [...s.allowedTcbStatuses].sort() : 'the default policy');

/**
 * A set requires every claim it names: a claim only one side names would reject the other build (its value is
 * not listed), so the two cannot share a set.
 */
function sameClaimNames(old: ReferenceSetJson, add: ReferenceSetJson, where: string): void {
  const onlyOld = Object.keys(old.claims).filter((c) => !Object.hasOwn(add.claims, c));
  const onlyNew = Object.keys(add.claims).filter((c) => !Object.hasOwn(old.claims, c));
  if (onlyOld.length === 0 && onlyNew.length === 0) return;
  const says = [onlyOld.length ? `only the file names ${onlyOld.join(', ')}` : '', onlyNew.length ? `only the new values name ${onlyNew.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  throw usage(
    `${where} and the new values name different claims (${says}): every claim a set names is required, so one of the two would be rejected; name another set (--set)`,
  );
}

/** Hex compares without case; numbers and flags as they are. */
function sameValue(a: ReferenceJsonValue, b: ReferenceJsonValue): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function minimumNotes(old: ReferenceSetJson, add: ReferenceSetJson, where: string): string[] {
  const a = old.minimum ?? {};
  const b = add.minimum ?? {};
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names
    .filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]))
    .map((n) => `${where}: kept the file's minimum ${n} ${show(a[n])}; the new values measured ${show(b[n])} (a merge changes no minimum: edit it by hand)`);
}

const show = (v: MinimumJsonValue | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));
/** The values are JSON (they came from a file or were made for one), so a JSON round trip is a deep copy. */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const usage = (message: string) => new TeeError('USAGE_ERROR', message);
