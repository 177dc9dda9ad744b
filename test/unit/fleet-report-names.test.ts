import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportFileNames } from '../../main/cli/fleet-reports.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';

const named = (...names: string[]) => names.map((name) => ({ name, url: 'ssh://h' }) as TargetSpec);

test('fleet report files are named after their targets and never leave the report folder', () => {
  assert.deepEqual(reportFileNames(named('td-1', 'sgx.enclave', 'snp_2')), ['td-1.report.json', 'sgx.enclave.report.json', 'snp_2.report.json']);
  const hostile = reportFileNames(named('../../etc/passwd', '..', '/abs', 'a b\u0000c', 'x'.repeat(300), ''));
  for (const f of hostile) assert.match(f, /^[A-Za-z0-9_][A-Za-z0-9._-]*\.report\.json$/, f);
  assert.equal(hostile[0], '__.._etc_passwd.report.json');
  assert.ok(hostile[4]!.length <= 120 + '.report.json'.length);
  // Two names that become one (or differ only in case, as on macOS) both get their position.
  assert.deepEqual(reportFileNames(named('a/b', 'a_b', 'Td', 'td', 'c')), [
    'a_b-1.report.json',
    'a_b-2.report.json',
    'Td-3.report.json',
    'td-4.report.json',
    'c.report.json',
  ]);
});
