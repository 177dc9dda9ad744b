import { mkdir } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';

/**
 * Folders holding pins, targets, history, secrets or the collateral cache are the user's alone: created
 * with mode 0700 (every missing level), so other local users can neither read nor plant files in them.
 */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

export function privateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
