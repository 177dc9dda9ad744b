import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** app/ is the pure, isomorphic core: no I/O, no clock, no randomness, no platform imports. */
const APP = fileURLToPath(new URL('../../app/', import.meta.url));
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'node: import'],
  [/from\s+['"](fs|path|os|crypto|child_process|net|http|https|electron)['"]/, 'Node/Electron import'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew Date\(\s*\)/, 'new Date() (the clock)'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bfetch\s*\(/, 'fetch()'],
  [/\b(window|document|localStorage)\./, 'DOM global'],
  [/\bBuffer\./, 'Node Buffer'],
  [/\bprocess\./, 'Node process'],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('app/ has no Node, Electron, DOM, clock or randomness', () => {
  const found: string[] = [];
  for (const file of files(APP)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const [re, what] of FORBIDDEN) if (re.test(line)) found.push(`${file.slice(APP.length)}:${i + 1} ${what}`);
    });
  }
  assert.deepEqual(found, []);
});

test('app/ files stay small (400 lines at most)', () => {
  const big = files(APP).filter((f) => readFileSync(f, 'utf8').split('\n').length > 400);
  assert.deepEqual(big, []);
});
