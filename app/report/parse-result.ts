import { NOT_ESTABLISHED } from '../check.js';
import { ERROR_CODES, TeeError } from '../errors.js';
import { JsonFields } from '../json/fields.js';
import { RESULT_SCHEMA } from './result.js';
import type { VerificationResult } from './result.js';

/**
 * Validation of the tee-inspect/result/v1 object inside a report. The result schema is additive, so members
 * this version does not know are kept; every member recheck compares is checked for its type and range, so
 * that a tampered report fails here with the JSON path instead of misleading the comparison.
 */
export const CODE = 'MALFORMED_REPORT';

const VERDICTS = ['verified', 'rejected'];
const TIERS = ['affirming', 'warning', 'contraindicated', 'none'];
const STATUSES = ['pass', 'fail', 'warn', 'skip'];
export const INPUT_ROLES = ['evidence', 'collateral', 'reference', 'eventlog', 'tpm-quote', 'td-quote', 'ignored', 'unused'];

export function parseResult(f: JsonFields): VerificationResult {
  if (f.str('schema') !== RESULT_SCHEMA) f.fail('schema', `must be "${RESULT_SCHEMA}"`);
  const ev = f.object('evidence');
  sha(ev, 'sha256', false);
  ev.int('bytes');
  short(f, 'technology');
  short(f, 'format');
  oneOf(f, 'verdict', VERDICTS);
  bool(f, 'cryptoValid');
  f.time('at');
  if (f.obj['tcb'] !== null) tcb(f.object('tcb'));
  appraisal(f.object('appraisal'));
  f.object('claims');
  f.object('fields');
  for (const c of f.objects('checks', 1024)) check(c);
  for (const e of f.objects('errors', 1024)) {
    oneOf(e, 'code', ERROR_CODES);
    e.str('message');
    if (e.has('check')) e.str('check');
  }
  f.objects('collateral', 1024).forEach((c) => c.str('name'));
  for (const i of f.objects('inputs', 256)) resultInput(i);
  f.strings('notEstablished').forEach((s, i) => {
    if (!(NOT_ESTABLISHED as readonly string[]).includes(s)) f.fail(`notEstablished[${i}]`, `must be one of ${NOT_ESTABLISHED.join(', ')}`);
  });
  return f.obj as unknown as VerificationResult;
}

function tcb(t: JsonFields): void {
  short(t, 'status');
  t.strings('advisories');
}

function appraisal(a: JsonFields): void {
  oneOf(a, 'tier', TIERS);
  for (const d of a.objects('diffs', 1024)) {
    d.str('claim');
    d.strings('expected');
    d.str('actual');
    bool(d, 'match');
  }
}

function check(c: JsonFields): void {
  c.str('id');
  oneOf(c, 'status', STATUSES);
  c.str('title');
  c.str('explain');
  if (c.has('code')) oneOf(c, 'code', ERROR_CODES);
}

export function resultInput(i: JsonFields): void {
  i.str('name');
  oneOf(i, 'role', INPUT_ROLES);
  sha(i, 'sha256', true);
  i.int('bytes');
  if (i.has('note')) i.str('note');
}

/** A lower-case SHA-256; the verifier writes '' for an input it could not size (no bytes at all). */
export function sha(f: JsonFields, key: string, emptyOk: boolean): string {
  const s = f.str(key);
  if (!/^[0-9a-f]{64}$/.test(s) && !(emptyOk && s === '')) f.fail(key, 'must be a SHA-256 in 64 lower-case hex digits');
  return s;
}

export function bool(f: JsonFields, key: string): boolean {
  const v = f.obj[key];
  if (typeof v !== 'boolean') f.fail(key, 'must be true or false');
  return v;
}

export function oneOf(f: JsonFields, key: string, allowed: readonly string[]): string {
  const s = f.str(key);
  if (!allowed.includes(s)) f.fail(key, `must be one of ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', ...' : ''}, not "${s.slice(0, 40)}"`);
  return s;
}

export function short(f: JsonFields, key: string, max = 128): string {
  const s = f.str(key);
  if (s.length > max) f.fail(key, `is longer than ${max} characters`);
  return s;
}

/**
 * Nesting deeper than this is no report tee-inspect wrote (claims nest two levels), and recursive code
 * later (comparison, printing) must not meet it: checked with an explicit stack, never by recursion.
 */
export function boundDepth(value: unknown, max: number): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) throw new TeeError(CODE, `the report nests JSON deeper than ${max} levels`, { field: '$' });
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
