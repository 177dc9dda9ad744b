import { basename, resolve } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import type { ReferenceValues } from '../../app/appraisal/reference.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import { readInput } from '../read-input.js';
import { readNamedReference } from '../reference/read.js';

/**
 * The files a targets file names (reference values, collateral), resolved against its directory and read
 * once per run however many targets share them. A missing or malformed file fails only the targets naming it.
 */
/** A PEM public key is well under a kilobyte; a larger "key" file is a mistake. */
const KEY_LIMIT = 64 * 1024;

export class TargetInputs {
  private readonly files = new Map<string, Promise<Uint8Array>>();
  private readonly references = new Map<string, Promise<ReferenceValues>>();

  constructor(readonly baseDir: string) {}

  path(p: string): string {
    return resolve(this.baseDir, p);
  }

  async collateral(t: TargetSpec): Promise<CollateralFile[]> {
    return Promise.all((t.collateral ?? []).map(async (p) => ({ name: basename(p), bytes: await this.read(this.path(p)) })));
  }

  /** The reference file with its bytes (for its digest in the result and the report) and parsed values. */
  async referenceFile(t: TargetSpec): Promise<{ name: string; bytes: Uint8Array; values: ReferenceValues } | undefined> {
    const values = await this.reference(t);
    if (!values || t.reference === undefined) return undefined;
    return { name: basename(t.reference), bytes: await this.read(this.path(t.reference)), values };
  }

  /** Read once per file and key: the same file may be named with a key by one target and without by another. */
  reference(t: TargetSpec): Promise<ReferenceValues> | undefined {
    if (t.reference === undefined) return undefined;
    const path = this.path(t.reference);
    const keyPath = t.referenceKey === undefined ? undefined : this.path(t.referenceKey);
    const id = `${path}\u0000${keyPath ?? ''}`;
    let p = this.references.get(id);
    if (!p) {
      p = this.readReference(t.reference, path, keyPath);
      this.references.set(id, p);
    }
    return p;
  }

  private async readReference(name: string, path: string, keyPath: string | undefined): Promise<ReferenceValues> {
    const [bytes, key] = await Promise.all([this.read(path), keyPath === undefined ? undefined : this.read(keyPath, 'reference key', KEY_LIMIT)]);
    try {
      return await readNamedReference(name, bytes, key === undefined ? undefined : new TextDecoder().decode(key));
    } catch (e) {
      const err = toTeeError(e, 'MALFORMED_REFERENCE');
      throw new TeeError(err.code, err.message, { ...err.detail, file: name });
    }
  }

  private read(path: string, what?: string, limit?: number): Promise<Uint8Array> {
    let p = this.files.get(path);
    if (!p) {
      p = readInput(path, what, limit === undefined ? {} : { limit });
      this.files.set(path, p);
    }
    return p;
  }
}
