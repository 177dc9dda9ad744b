import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from './run.js';

test('fuzz sample: 3000 random and mutated inputs give typed errors, never crashes', async () => {
  const failures = await fuzz(3000, 20261123, () => {});
  assert.deepEqual(failures, []);
});
