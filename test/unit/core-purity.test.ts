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
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
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

test("tsconfig.app.json makes purity the compiler's job: DOM and Node globals do not type-check in app/", async () => {
  const ts = (await import('typescript')).default;
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'tee-purity-'));
  const probe = join(dir, 'probe.ts');
  writeFileSync(
    probe,
    'export const a = document.title;\nexport const b = Buffer.from("x");\nexport const c = process.env;\nexport const d = new TextDecoder().decode(new Uint8Array(1));\n',
  );
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('../../tsconfig.app.json', import.meta.url)),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const program = ts.createProgram([probe, fileURLToPath(new URL('../../app/platform.d.ts', import.meta.url))], { ...config.options, noEmit: true });
  const missing = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))
    .filter((m) => /Cannot find name/.test(m));
  assert.equal(missing.length, 3, missing.join('\n'));
  for (const name of ['document', 'Buffer', 'process'])
    assert.ok(
      missing.some((m) => m.includes(`'${name}'`)),
      name,
    );
});
