/** The trust boundary's words and value formats (renderer/src/diagram/boundary-format.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATE_MEANING, STATE_TONE, STATE_WORDS, formatValue } from '../../renderer/src/diagram/boundary-format.js';

test('measured is said "measured, not compared" and never coloured like proven', () => {
  assert.equal(STATE_WORDS.measured, 'measured, not compared');
  assert.equal(STATE_TONE.measured, 'neutral');
  assert.equal(STATE_TONE.proven, 'good');
  assert.equal(STATE_TONE.matched, 'good');
  assert.equal(STATE_TONE.failed, 'bad');
  assert.equal(STATE_TONE['not-measured'], 'none');
  assert.equal(STATE_TONE.excluded, 'none');
  for (const s of Object.keys(STATE_WORDS)) assert.ok(STATE_MEANING[s as keyof typeof STATE_MEANING].length > 10, s);
});

test('long hex is shortened with its length, the full value kept to copy', () => {
  const hex = '91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a35873118b7e4d8e1e5e1742d4bb02dd6ddd551862a0b7f2c'.slice(0, 96);
  const f = formatValue(hex);
  assert.equal(f.kind, 'hex');
  if (f.kind !== 'hex') return;
  assert.equal(f.full, hex);
  assert.equal(f.bytes, 48);
  assert.equal(f.zero, false);
  assert.equal(`${f.head}…${f.tail}`, `${hex.slice(0, 16)}…${hex.slice(-8)}`);
  const zero = formatValue('0'.repeat(96));
  assert.ok(zero.kind === 'hex' && zero.zero);
});

test('a JSON object reads as key value pairs, never raw JSON; short text stays text', () => {
  const f = formatValue('{"bootloader":3,"tee":0,"snp":8,"microcode":115,"raw":"0300000000000873"}');
  assert.deepEqual(f, {
    kind: 'pairs',
    pairs: [
      ['bootloader', '3'],
      ['tee', '0'],
      ['snp', '8'],
      ['microcode', '115'],
      ['raw', '0300000000000873'],
    ],
  });
  assert.deepEqual(formatValue('false'), { kind: 'text', text: 'false' });
  assert.deepEqual(formatValue('vcek'), { kind: 'text', text: 'vcek' });
  assert.deepEqual(formatValue('{not json'), { kind: 'text', text: '{not json' });
});
