import { readFile, rename, writeFile } from 'node:fs/promises';
import { privateDir } from '../private-dir.js';
import { dirname, resolve } from 'node:path';
import { TeeError } from '../../app/errors.js';
import type { EvidenceSource } from '../../app/acquire/target.js';
import { parseTargetsBytes, serializeTargets, targetSource } from '../../app/acquire/targets-file.js';
import type { TargetSpec as Target } from '../../app/acquire/targets-file.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SecretKind, TargetInput } from './validate-acquire.js';

/**
 * Saved targets, in the targets-file format the CLI reads (`tee-inspect fleet verify`), one file in the
 * app's data folder. Writes are serialised and atomic (temporary file, then rename). Secrets live in the
 * SecretStore under the target's name, never in this file.
 */
export type { Target };

export class TargetStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly secrets: SecretStore,
  ) {}

  async list(): Promise<Target[]> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new TeeError('FILE_UNREADABLE', `the saved targets cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return parseTargetsBytes(bytes).targets;
  }

  async get(name: string): Promise<Target> {
    const t = (await this.list()).find((x) => x.name === name);
    if (!t) throw new TeeError('USAGE_ERROR', `no saved target named "${name}"`);
    return t;
  }

  /** Adds or replaces a target; a rename (previous) moves its secrets. File-only settings of the old entry are kept. */
  save(input: TargetInput, previous?: string): Promise<Target> {
    return this.serial(async () => {
      const all = await this.list();
      const old = all.find((t) => t.name === (previous ?? input.name));
      if (previous !== undefined && !old) throw new TeeError('USAGE_ERROR', `no saved target named "${previous}"`);
      if (input.name !== (previous ?? input.name) && all.some((t) => t.name === input.name))
        throw new TeeError('USAGE_ERROR', `a target named "${input.name}" already exists`);
      const target = merge(old, input);
      const next = old ? all.map((t) => (t === old ? target : t)) : [...all, target];
      await this.write(next);
      if (old && old.name !== target.name) await this.moveSecrets(old.name, target.name);
      return target;
    });
  }

  remove(name: string): Promise<void> {
    return this.serial(async () => {
      const all = await this.list();
      if (!all.some((t) => t.name === name)) throw new TeeError('USAGE_ERROR', `no saved target named "${name}"`);
      await this.write(all.filter((t) => t.name !== name));
      for (const kind of ['passphrase', 'token'] as const) await this.secrets.delete(secretId(name, kind));
    });
  }

  private async write(targets: Target[]): Promise<void> {
    await privateDir(dirname(this.path));
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, serializeTargets(targets), { mode: 0o600 });
    await rename(tmp, this.path);
  }

  private async moveSecrets(from: string, to: string): Promise<void> {
    for (const kind of ['passphrase', 'token'] as const) {
      const value = await this.secrets.get(secretId(from, kind));
      if (value !== undefined) await this.secrets.set(secretId(to, kind), value);
      await this.secrets.delete(secretId(from, kind));
    }
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export function secretId(name: string, kind: SecretKind): string {
  return `target:${name}:${kind}`;
}

/** The evidence source a saved target describes; a relative identity path is relative to the targets file, as for the CLI. */
export function sourceOf(t: Target, targetsPath: string): EvidenceSource {
  return targetSource(t, (p) => resolve(dirname(targetsPath), p));
}

/** What the Connect view edits replaces the old entry's fields; what it does not show (reference, collateral, product) stays. */
function merge(old: Target | undefined, input: TargetInput): Target {
  const kept: Partial<Target> = old ? { ...old } : {};
  for (const k of ['url', 'adapter', 'identity', 'collector', 'nonce'] as const) delete kept[k];
  return { ...kept, ...input } as Target;
}
