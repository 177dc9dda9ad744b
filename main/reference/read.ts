import { TeeError, toTeeError } from '../../app/errors.js';
import type { ErrorCode } from '../../app/errors.js';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import type { ReferenceValues } from '../../app/appraisal/reference.js';
import { nodeCryptoProvider } from '../node-crypto.js';

/**
 * A reference file the user named (verify --reference, a fleet target's "reference", the app's golden file),
 * read with its key when one is named. Errors say which file; the caller refuses the run (exit 2, or the
 * target's error) before anything is verified, since verifying without the intended values would mislead.
 */
export async function readNamedReference(label: string, bytes: Uint8Array, publicKeyPem?: string): Promise<ReferenceValues> {
  try {
    return await readReferenceFile(bytes, { crypto: nodeCryptoProvider(), ...(publicKeyPem !== undefined ? { publicKeyPem } : {}) });
  } catch (e) {
    const err = toTeeError(e, 'MALFORMED_REFERENCE');
    throw new TeeError(err.code, `reference file ${label}: ${err.message}${HINT[err.code] ?? ''}`, { ...err.detail });
  }
}

const HINT: Partial<Record<ErrorCode, string>> = {
  MALFORMED_REFERENCE: ' (format: docs/reference-values.md; signed files: docs/signed-references.md)',
  REFERENCE_UNSIGNED: ' (docs/signed-references.md)',
  REFERENCE_SIGNATURE_INVALID: ' (docs/signed-references.md)',
};
