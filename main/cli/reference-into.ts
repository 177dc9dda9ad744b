import { readReferenceFile, MAX_REFERENCE_BYTES } from '../../app/appraisal/signed-reference.js';
import type { ReferenceFileJson } from '../../app/appraisal/create-reference.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { fromBase64Compact } from '../../app/bytes/base64.js';
import { TeeError, toTeeError } from '../../app/errors.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { usage } from './reference-args.js';

/**
 * The file `--into` names, as JSON to merge into. It must parse as a reference file. A signed one (JWS) is read
 * only when its signature verifies with --into-key: merging into an unverified file and signing the result would
 * put a fresh signature on values nobody checked.
 */
export async function readInto(path: string, keyPath: string | undefined): Promise<{ json: ReferenceFileJson; signed: boolean }> {
  const bytes = await readInput(path, 'reference file', { limit: MAX_REFERENCE_BYTES });
  const key = keyPath !== undefined ? new TextDecoder().decode(await readInput(keyPath, 'public key', { limit: 64 * 1024 })) : undefined;
  let values;
  try {
    values = await readReferenceFile(bytes, { crypto: nodeCryptoProvider(), ...(key !== undefined ? { publicKeyPem: key } : {}) });
  } catch (e) {
    const err = toTeeError(e, 'MALFORMED_REFERENCE');
    throw new TeeError(err.code, `--into ${path}: ${err.message}`, { ...err.detail });
  }
  if (values.knownGoodLog) throw usage(`--into ${path} is an event log, not a tee-inspect/reference/v1 file: values cannot be merged into it`);
  if (values.signature && !values.signature.verified)
    throw usage(
      `--into ${path} is a signed reference file: give its signer's public key with --into-key PUB.pem, so that only values whose signature verifies are merged and signed again`,
    );
  const text = new TextDecoder().decode(values.signature ? payload(bytes) : bytes);
  const json: unknown = JSON.parse(text);
  parseReferenceValues(json);
  return { json: json as ReferenceFileJson, signed: values.signature !== undefined };
}

/** The payload of a compact JWS whose form and signature readReferenceFile has already checked. */
function payload(bytes: Uint8Array): Uint8Array {
  const parts = new TextDecoder().decode(bytes).trim().split('.');
  const out = fromBase64Compact(parts[1] ?? '');
  if (!out) throw new TeeError('MALFORMED_REFERENCE', 'the signed reference payload is not base64url');
  return out;
}
