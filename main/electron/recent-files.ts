import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { privateDirSync } from '../private-dir.js';

/** Recently opened files, kept in the app's data folder (paths only; no file content is stored). */
export class RecentFiles {
  private items: string[];

  constructor(
    private readonly path: string,
    private readonly max = 10,
  ) {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      this.items = Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, max) : [];
    } catch {
      this.items = [];
    }
  }

  list(): string[] {
    return [...this.items];
  }

  add(file: string): void {
    this.items = [file, ...this.items.filter((p) => p !== file)].slice(0, this.max);
    privateDirSync(dirname(this.path));
    writeFileSync(this.path, JSON.stringify(this.items, null, 2), { mode: 0o600 });
  }
}
