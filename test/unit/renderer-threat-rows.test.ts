/** Threat rows as the matrix shows them (renderer/src/threats/threat-rows.ts): duplicates merged, the worse status kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThreatView } from '../../app/report/report.js';
import { countByStatus, mergeThreats, statusLabel } from '../../renderer/src/threats/threat-rows.js';
import { citeSource, citeThreatSource } from '../../renderer/src/threats/cite.js';

const row = (id: string, title: string, status: ThreatView['status'], because: string, locator = 'slide 3'): ThreatView => ({
  id,
  title,
  status,
  because,
  source: { title: 'Chains of trust', author: 'Christophe de Dinechin', locator },
  basis: [],
});

test('the same id or the same title shown twice becomes one row citing both sources, with the worse status', () => {
  const lines = mergeThreats([
    row('a.replay', 'Replay of old evidence', 'mitigated', 'A nonce matched.'),
    row('b.other', 'Crashes', 'no-tee-mitigates', 'No TEE mitigates this.'),
    row('c.replay', 'Replay of OLD evidence', 'open-by-policy', 'No nonce was checked.', 'slide 9'),
    row('b.other', 'Crashes', 'no-tee-mitigates', 'No TEE mitigates this.'),
  ]);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0]!.ids, ['a.replay', 'c.replay']);
  assert.equal(lines[0]!.status, 'open-by-policy');
  assert.deepEqual(lines[0]!.because, ['A nonce matched.', 'No nonce was checked.']);
  assert.equal(lines[0]!.sources.length, 2);
  assert.deepEqual(lines[1]!.ids, ['b.other']);
  assert.deepEqual(countByStatus(lines), [
    ['open-by-policy', 1],
    ['no-tee-mitigates', 1],
  ]);
});

test('labels: open is "not established"; a row the report folded from "not established" says so', () => {
  const [open] = mergeThreats([row('x', 'X', 'open-by-policy', 'mrTd is signed, but no reference value was given.')]);
  assert.equal(statusLabel(open!), 'open: not established');
  const [unknown] = mergeThreats([row('y', 'Y', 'not-mitigated', 'Not established by this evidence: the option may be off.')]);
  assert.equal(statusLabel(unknown!), 'not established (counted as NOT mitigated)');
});

test('sources are cited by title and author, never by file name', () => {
  const text = citeSource({ file: '003_9e0cb27a51a6d34f.txt', locator: 'Problem Statement' });
  assert.match(text, /^Chains of trust in Confidential Computing .* — Christophe de Dinechin, Problem Statement$/);
  assert.doesNotMatch(text, /\.txt/);
  assert.equal(citeThreatSource({ title: 'TEE Inspector', author: 'TEE Inspector' }), 'TEE Inspector (not in the source documents)');
});
