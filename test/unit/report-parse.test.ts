import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TeeError } from '../../app/errors.js';
import { parseReport, parseReportBytes } from '../../app/report/parse.js';
import { parseRecheckInput } from '../../app/report/ear-read.js';
import { earClaims } from '../../app/report/ear.js';
import type { ReportV2 } from '../../app/report/report.js';
import { TDX, vectorReport } from '../support/report-fixture.js';

const report = await vectorReport(TDX);
const json = () => JSON.parse(JSON.stringify(report)) as Record<string, any>;

function rejects(value: unknown, field: RegExp | string): void {
  assert.throws(
    () => parseReport(value),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REPORT' && (typeof field === 'string' ? e.detail['field'] === field : field.test(e.message)),
    `expected MALFORMED_REPORT at ${field}`,
  );
}

test('a report as written parses back to the same object', () => {
  assert.deepEqual(parseReportBytes(new TextEncoder().encode(JSON.stringify(report))), json());
});

test('not a report: bad JSON, another schema, a v1 export; each MALFORMED_REPORT naming where', () => {
  assert.throws(
    () => parseReportBytes(new TextEncoder().encode('{"schema":')),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REPORT' && /not UTF-8 JSON/.test(e.message),
  );
  rejects([], '$');
  rejects({ ...json(), schema: 'tee-inspect/report/v1' }, /not a tee-inspect report v2 but "tee-inspect\/report\/v1"/);
  rejects(json().result, '$.schema');
});

test('strict: unknown members, wrong types and out-of-range values are refused with their JSON path', () => {
  const cases: [(r: Record<string, any>) => void, string][] = [
    [(r) => (r.extra = 1), '$.extra'],
    [(r) => (r.inputs[0].extra = 1), '$.inputs[0].extra'],
    [(r) => (r.inputs[0].sha256 = 'ABC'), '$.inputs[0].sha256'],
    [(r) => (r.inputs[1].role = 'evidence'), '$.inputs'],
    [(r) => (r.inputs[0].bytes = -1), '$.inputs[0].bytes'],
    [(r) => (r.result.verdict = 'maybe'), '$.result.verdict'],
    [(r) => (r.result.cryptoValid = 'true'), '$.result.cryptoValid'],
    [(r) => (r.result.errors = [{ code: 'NOT_A_CODE', message: 'x' }]), '$.result.errors[0].code'],
    [(r) => (r.result.checks[0].status = 'ok'), '$.result.checks[0].status'],
    [(r) => (r.result.at = 'yesterday'), '$.result.at'],
    [(r) => (r.nonce = 'xyz'), '$.nonce'],
    [(r) => (r.createdAt = 5), '$.createdAt'],
    [(r) => (r.threats[0].source = 'me'), '$.threats[0].source'],
  ];
  for (const [edit, field] of cases) {
    const r = json();
    edit(r);
    rejects(r, field);
  }
});

test('bounded: deep nesting and too many inputs are refused before anything recursive meets them', () => {
  const r = json();
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  r.result.claims.deep = deep;
  rejects(r, /nests JSON deeper than/);
  const many = json();
  many.inputs = Array.from({ length: 65 }, () => many.inputs[1]);
  rejects(many, /more than 64 entries/);
});

test('recheck input: a report, a token, or neither', () => {
  const bytes = new TextEncoder().encode(`  ${JSON.stringify(report)}`);
  assert.equal(parseRecheckInput(bytes).kind, 'report');
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'ES256' })}.${b64(earClaims(report as ReportV2, 1700000000))}.c2ln`;
  const t = parseRecheckInput(new TextEncoder().encode(`${token}\n`));
  assert.equal(t.kind, 'token');
  if (t.kind === 'token') assert.equal(t.token.ear.report.result.verdict, 'verified');
  const none = `${b64({ alg: 'none' })}.${b64({})}.`;
  assert.throws(
    () => parseRecheckInput(new TextEncoder().encode(none)),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REPORT',
  );
  assert.throws(() => parseRecheckInput(new TextEncoder().encode(`${b64({ alg: 'HS256' })}.${b64({})}.c2ln`)), /must be ES256 or ES384/);
  assert.throws(() => parseRecheckInput(new TextEncoder().encode(`${b64({ alg: 'ES256' })}.${b64({ submods: {} })}.c2ln`)), /carries no tee-inspect report/);
  assert.throws(() => parseRecheckInput(new Uint8Array([0xff, 0xfe, 0x00])), /neither a tee-inspect report/);
});
