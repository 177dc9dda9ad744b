import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeReference, mergeReferenceWithNotes } from '../../app/appraisal/merge-reference.js';
import type { ReferenceFileJson, ReferenceSetJson } from '../../app/appraisal/create-reference.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { TeeError } from '../../app/errors.js';

/** Merging values into a reference file: more values per claim, more sets per file, never a silently changed rule. */
const A = 'aa'.repeat(48);
const B = 'bb'.repeat(48);
const prov = (m: string) => ({
  claims: { measurement: m },
  source: 'artefacts' as const,
  tool: 't 1',
  createdAt: '2026-01-02T03:04:05Z',
  method: 'measure snp',
});
const build = (m: string, o: Partial<ReferenceSetJson> = {}): ReferenceSetJson => ({
  name: 'prod',
  technology: 'sev-snp',
  claims: { measurement: [m] },
  allowDebug: false,
  provenance: [prov(m)],
  ...o,
});
const usageError = (message: RegExp) => (e: unknown) => e instanceof TeeError && e.code === 'USAGE_ERROR' && message.test(e.message);

test('no file yet: a new file with the one set, which parses', () => {
  const file = mergeReference(undefined, build(A), { name: 'payments', note: 'from CI' });
  assert.equal(file.name, 'payments');
  assert.equal(file.note, 'from CI');
  assert.deepEqual(
    file.sets.map((s) => s.name),
    ['prod'],
  );
  assert.equal(parseReferenceValues(file).sets[0]!.provenance!.length, 1);
});

test('two builds into one set: two values, both provenance entries, and the result parses', () => {
  const one = mergeReference(undefined, build(A), {});
  const m = mergeReferenceWithNotes(one, build(B.toUpperCase()), {});
  assert.deepEqual(m.file.sets[0]!.claims.measurement, [A, B.toUpperCase()]);
  assert.deepEqual(m.added, { measurement: [B.toUpperCase()] });
  assert.equal(m.file.sets[0]!.provenance!.length, 2);
  const parsed = parseReferenceValues(m.file);
  assert.deepEqual(parsed.sets[0]!.claims.measurement, [A, B]);
  assert.deepEqual(one.sets[0]!.claims.measurement, [A], 'the base is not changed');
});

test('a value already allowed (in any case) is not added twice', () => {
  const one = mergeReference(undefined, build(A), {});
  const m = mergeReferenceWithNotes(one, build(A.toUpperCase()), {});
  assert.deepEqual(m.file.sets[0]!.claims.measurement, [A]);
  assert.deepEqual(m.added, {});
  assert.doesNotThrow(() => parseReferenceValues(m.file));
});

test('another set name: a set per environment, appended', () => {
  const file = mergeReference(mergeReference(undefined, build(A), {}), build(B, { name: 'staging' }), {});
  assert.deepEqual(
    file.sets.map((s) => s.name),
    ['prod', 'staging'],
  );
  assert.equal(parseReferenceValues(file).sets.length, 2);
});

test('another technology under the same set name is refused', () => {
  const base = mergeReference(undefined, build(A), {});
  assert.throws(
    () => mergeReference(base, { name: 'prod', technology: 'tdx', claims: { mrTd: [A] } }, {}),
    usageError(/is for sev-snp evidence; these values are tdx/),
  );
});

test('differing rules are refused, not merged: debug, revocation, TCB statuses', () => {
  const base: ReferenceFileJson = { schema: 'tee-inspect/reference/v1', name: 'x', sets: [build(A, { allowDebug: true, provenance: [] })] };
  assert.throws(() => mergeReference(base, build(B), {}), usageError(/allowDebug true, the new values false/));
  const strict: ReferenceFileJson = { ...base, sets: [build(A, { requireRevocation: true })] };
  assert.throws(() => mergeReference(strict, build(B), {}), usageError(/requireRevocation/));
  const narrowed: ReferenceFileJson = { ...base, sets: [build(A, { allowedTcbStatuses: ['UpToDate'] })] };
  assert.throws(() => mergeReference(narrowed, build(B), {}), usageError(/allowedTcbStatuses \["UpToDate"\]/));
});

test('a claim only one side names is refused: it would reject the other build', () => {
  const base = mergeReference(undefined, build(A, { claims: { measurement: [A], hostData: ['00'.repeat(32)] } }), {});
  assert.throws(() => mergeReference(base, build(B), {}), usageError(/only the file names hostData/));
  const plain = mergeReference(undefined, build(A), {});
  assert.throws(() => mergeReference(plain, build(B, { claims: { measurement: [B], vmpl: [0] } }), {}), usageError(/only the new values name vmpl/));
});

test("a differing minimum: the file's is kept, and a note says so", () => {
  const base = mergeReference(undefined, build(A, { minimum: { reportedTcb: { snp: 20 } } }), {});
  const m = mergeReferenceWithNotes(base, build(B, { minimum: { reportedTcb: { snp: 10 } } }), {});
  assert.deepEqual(m.file.sets[0]!.minimum, { reportedTcb: { snp: 20 } });
  assert.equal(m.notes.length, 1);
  assert.match(m.notes[0]!, /kept the file's minimum reportedTcb \{"snp":20\}; the new values measured \{"snp":10\}/);
  const none = mergeReferenceWithNotes(mergeReference(undefined, build(A), {}), build(B, { minimum: { reportedTcb: { snp: 10 } } }), {});
  assert.equal(none.file.sets[0]!.minimum, undefined, 'a merge does not add a minimum either');
  assert.match(none.notes[0]!, /kept the file's minimum reportedTcb \(none\)/);
});

test('name and note given with an existing file replace its own', () => {
  const base = mergeReference(undefined, build(A), { name: 'old', note: 'n' });
  const file = mergeReference(base, build(B), { name: 'new' });
  assert.equal(file.name, 'new');
  assert.equal(file.note, 'n');
});
