import { basename, resolve } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import { parseReferenceBytes } from '../../app/appraisal/reference.js';
import type { ReferenceValues } from '../../app/appraisal/reference.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import { readInput } from '../read-input.js';

/**
 * The files a targets file names (reference values, collateral), resolved against its directory and read
 * once per run however many targets share them. A missing or malformed file fails only the targets naming it.
 */
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

  reference(t: TargetSpec): Promise<ReferenceValues> | undefined {
    if (t.reference === undefined) return undefined;
    const path = this.path(t.reference);
    let p = this.references.get(path);
    if (!p) {
      p = this.read(path).then((bytes) => {
        try {
          return parseReferenceBytes(bytes);
        } catch (e) {
          const err = toTeeError(e, 'MALFORMED_REFERENCE');
          throw new TeeError(err.code, `reference file ${t.reference}: ${err.message}`, { ...err.detail, file: t.reference });
        }
      });
      this.references.set(path, p);
    }
    return p;
  }

  private read(path: string): Promise<Uint8Array> {
    let p = this.files.get(path);
    if (!p) {
      p = readInput(path);
      this.files.set(path, p);
    }
    return p;
  }
}
