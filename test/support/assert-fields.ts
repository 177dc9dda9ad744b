import assert from 'node:assert/strict';

/** Every expected (manifest) field must be present with the same value; extra decoded fields are fine. */
export function assertFields(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual && typeof actual === 'object', `${path} is an object`);
    for (const [k, v] of Object.entries(expected)) assertFields((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}
