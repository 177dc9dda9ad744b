import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appraiseReference } from '../../app/appraisal/appraise.js';
import type { ReferenceSet } from '../../app/appraisal/reference.js';
import { tdxReferenceValues } from '../../app/tee/tdx/measure/reference-values.js';
import { artefactSet } from '../../app/appraisal/artefact-set.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { mergeReference } from '../../app/appraisal/merge-reference.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';

/** A launch measurement that differs from one predicted from artefacts names those artefacts and parameters. */
const ACTUAL = 'f'.repeat(96);
const input = (claims: Record<string, unknown>) => ({ technology: 'tdx', format: 'tdx-quote-v4', claims: { debug: false, ...claims }, tcb: null, checks: [] });

function predicted(): ReferenceSet {
  const values = tdxReferenceValues(
    { ovmf: { name: 'OVMF.fd', bytes: sampleTdvf() }, pageAddOrder: 'two-pass' },
    'tee-inspect 0.9.0',
    '2026-12-01T00:00:00Z',
    nodeCryptoProvider(),
  );
  return parseReferenceValues(mergeReference(undefined, artefactSet(values, 'tee-inspect 0.9.0', 'prod'))).sets[0]!;
}

test('an MRTD predicted from artefacts: the mismatch names the firmware file, its digest and the page-add order', () => {
  const s = predicted();
  const a = appraiseReference(input({ mrTd: ACTUAL }), { schema: 'tee-inspect/reference/v1', name: 'golden', sets: [s] });
  const d = a.diffs.find((x) => x.claim === 'mrTd')!;
  assert.equal(d.match, false);
  assert.match(
    d.explainedBy!,
    /^TD firmware \(TDVF\/OVMF\) image: expected [0-9a-f]{96} \(from ovmf OVMF\.fd, sha256 [0-9a-f]{64}; pageAddOrder two-pass; measure tdx/,
  );
  assert.match(d.explainedBy!, new RegExp(`found ${ACTUAL}: this guest was not launched from these inputs`));
  const check = a.checks.find((c) => c.id === 'reference.claims')!;
  assert.equal(check.status, 'fail');
  assert.match(check.explain, /mrTd: TD firmware \(TDVF\/OVMF\) image: expected/);
});

test('a match carries no explanation; a set without provenance keeps the plain message', () => {
  const s = predicted();
  const a = appraiseReference(input({ mrTd: s.claims.mrTd![0] }), { schema: 'tee-inspect/reference/v1', name: 'golden', sets: [s] });
  assert.equal(a.diffs[0]!.match, true);
  assert.equal(a.diffs[0]!.explainedBy, undefined);
  const { provenance: _p, ...plain } = s;
  const b = appraiseReference(input({ mrTd: ACTUAL }), { schema: 'tee-inspect/reference/v1', name: 'golden', sets: [plain] });
  assert.equal(b.diffs[0]!.explainedBy, undefined);
  assert.match(b.checks.find((c) => c.id === 'reference.claims')!.explain, new RegExp(`mrTd is ${ACTUAL}, but the set allows only`));
});

test('a value taken from a verified report: the mismatch names that evidence', () => {
  const ref = JSON.parse(readFileSync('docs/examples/tdx-dcapqvl-v4.reference.json', 'utf8'));
  const mrTd = ref.sets[0].claims.mrTd[0];
  ref.sets[0].provenance = [
    {
      claims: { mrTd },
      source: 'evidence',
      tool: 'tee-inspect 0.9.0',
      createdAt: '2026-12-01T00:00:00Z',
      evidence: { sha256: 'e'.repeat(64), bytes: 5006, format: 'tdx-quote-v4', at: '2025-07-19T10:00:34Z', verdict: 'verified', tier: 'affirming' },
    },
  ];
  const s = parseReferenceValues(ref).sets[0]!;
  const a = appraiseReference(input({ mrTd: ACTUAL }), { schema: 'tee-inspect/reference/v1', name: 'golden', sets: [s] });
  assert.match(a.diffs.find((d) => d.claim === 'mrTd')!.explainedBy!, /measured in evidence sha256 e{64} \(tdx-quote-v4\) as of 2025-07-19T10:00:34Z/);
});
