/** The renderer's glossary has plain words for every tier, TCB status and gap the core can emit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NOT_ESTABLISHED } from '../../app/check.js';
import { TCB_STATUSES } from '../../app/tee/dcap/tcb-status.js';
import { FIELD_GLOSSARY, NOT_ESTABLISHED_GLOSSARY, TCB_GLOSSARY, TIER_GLOSSARY, fieldGloss, tcbGloss } from '../../renderer/src/verdict/glossary.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** PascalCase string literals on lines that speak of a status: how the core writes TCB statuses (e.g. 'NotEvaluated'). */
function statusLiteralsInCore(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sources('app/tee'), ...sources('app/appraisal'), ...sources('app/report')]) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/status/i.test(line)) continue;
      for (const m of line.matchAll(/'([A-Z][a-z]+(?:[A-Z][a-z]+)*)'/g)) found.add(m[1]!);
    }
  }
  return found;
}

test('every TCB status the core can emit has plain words', () => {
  const emitted = new Set<string>([...TCB_STATUSES, ...statusLiteralsInCore()]);
  assert.ok(emitted.has('NotEvaluated') && emitted.has('UpToDate'), 'the scan finds the statuses the modules return');
  for (const s of emitted) {
    const g = tcbGloss(s);
    assert.ok(g, `no glossary entry for TCB status ${s}`);
    assert.ok(g.short.length > 3 && g.explain.startsWith(`${s}:`), `${s}: short words and an explanation naming it`);
  }
  assert.equal(TCB_GLOSSARY.NotEvaluated!.short, 'not evaluated (no minimum TCB given)');
});

test('every appraisal tier and every notEstablished gap has words', () => {
  for (const tier of ['affirming', 'warning', 'contraindicated', 'none'] as const) assert.ok(TIER_GLOSSARY[tier].explain.length > 20, tier);
  for (const gap of NOT_ESTABLISHED) assert.ok(NOT_ESTABLISHED_GLOSSARY[gap]?.length > 20, gap);
  assert.match(NOT_ESTABLISHED_GLOSSARY.freshness, /no nonce was given, so this could be a replay of an old quote/);
});

test('field names are explained by their last part, else their parent', () => {
  assert.match(fieldGloss('body.rtmr1') ?? '', /^RTMR1:/);
  assert.match(fieldGloss('reportedTcb.microcode') ?? '', /^REPORTED_TCB:/);
  assert.equal(fieldGloss('no.such.field'), undefined);
  for (const [k, v] of Object.entries(FIELD_GLOSSARY)) assert.ok(v.includes(':'), `${k} explains itself`);
});
