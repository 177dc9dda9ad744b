import { TeeError } from '../errors.js';
import { JsonFields } from '../json/fields.js';
import { REPORT_SCHEMA } from './report.js';
import type { ReportV2 } from './report.js';
import { boundDepth, bool, CODE, INPUT_ROLES, oneOf, parseResult, sha, short } from './parse-result.js';

/**
 * Strict, bounded reading of a tee-inspect/report/v2. A report comes from someone else (that is its
 * point), so every member is checked and unknown top-level members are refused: an ignored member would
 * be one the reader believes was rechecked. Every failure is MALFORMED_REPORT naming the JSON path.
 * The inputs' data is only checked to be text here; whether it decodes and matches its digest is what
 * recheck reports, naming the input, since that is an altered report rather than an unreadable one.
 */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;
const MAX_INPUTS = 64;
const MAX_DEPTH = 24;
const KEYS = ['schema', 'tool', 'createdAt', 'result', 'nonce', 'product', 'requireRevocation', 'inputs', 'collateral', 'trustBoundary', 'threats'];
const INPUT_KEYS = ['name', 'role', 'sha256', 'bytes', 'data', 'note'];

export function parseReportBytes(bytes: Uint8Array): ReportV2 {
  if (bytes.length > MAX_REPORT_BYTES) throw new TeeError(CODE, `the report is ${bytes.length} bytes; a report is at most ${MAX_REPORT_BYTES}`, { field: '$' });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TeeError(CODE, `the file is not UTF-8 JSON, so not a tee-inspect report: ${(e as Error).message}`, { field: '$' });
  }
  return parseReport(json);
}

export function parseReport(json: unknown): ReportV2 {
  boundDepth(json, MAX_DEPTH);
  const f = JsonFields.of(json, '$', CODE);
  if (f.obj['schema'] !== REPORT_SCHEMA)
    f.fail(
      'schema',
      `must be "${REPORT_SCHEMA}": this is not a tee-inspect report v2${typeof f.obj['schema'] === 'string' ? ` but "${(f.obj['schema'] as string).slice(0, 40)}"` : ''}`,
    );
  onlyKeys(f, KEYS);
  const tool = f.object('tool');
  short(tool, 'name');
  short(tool, 'version');
  f.time('createdAt');
  parseResult(f.object('result'));
  if (f.has('nonce') && !/^([0-9a-f]{2}){1,64}$/.test(f.str('nonce'))) f.fail('nonce', 'must be 1 to 64 bytes of lower-case hex');
  if (f.has('product')) oneOf(f, 'product', ['Milan', 'Genoa', 'Turin']);
  if (f.has('requireRevocation')) bool(f, 'requireRevocation');
  const inputs = f.objects('inputs', MAX_INPUTS);
  inputs.forEach(input);
  if (inputs.filter((i) => i.obj['role'] === 'evidence').length !== 1) f.fail('inputs', 'must hold exactly one input with role "evidence"');
  for (const c of f.objects('collateral', 4096)) strs(c, ['kind', 'label', 'status']);
  boundary(f.object('trustBoundary'));
  for (const t of f.objects('threats', 1024)) {
    strs(t, ['id', 'title', 'status', 'because']);
    strs(t.object('source'), ['title', 'author']);
  }
  return f.obj as unknown as ReportV2;
}

function input(i: JsonFields): void {
  onlyKeys(i, INPUT_KEYS);
  short(i, 'name', 1024);
  oneOf(i, 'role', INPUT_ROLES);
  sha(i, 'sha256', false);
  i.int('bytes');
  i.str('data');
  if (i.has('note')) i.str('note');
}

function boundary(b: JsonFields): void {
  short(b, 'technology');
  for (const l of b.objects('layers', 64)) {
    l.str('id');
    bool(l, 'inside');
    l.str('state');
    for (const it of l.objects('items', 64)) strs(it, ['claim', 'state']);
  }
}

function onlyKeys(f: JsonFields, allowed: readonly string[]): void {
  for (const k of Object.keys(f.obj))
    if (!allowed.includes(k)) f.fail(k, `is not a member of a tee-inspect report v2 (${f.path} may hold ${allowed.join(', ')})`);
}

function strs(f: JsonFields, keys: readonly string[]): void {
  for (const k of keys) f.str(k);
}
