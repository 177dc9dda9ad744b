import { readPkcs8Key } from '../report/jws.js';
import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { TeeError } from '../../app/errors.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { SIGNED_REFERENCE_TYPE } from '../../app/appraisal/signed-reference.js';

/**
 * Signs a tee-inspect/reference/v1 file as a JWS compact serialization (docs/signed-references.md): the payload
 * is the file's UTF-8 bytes exactly as given, so the set that verifies is byte for byte the one that was signed.
 * A P-256 key signs ES256, a P-384 key ES384. The result has no trailing newline; a file may add one.
 */
const ALG_BY_CURVE: Readonly<Record<string, 'ES256' | 'ES384'>> = { prime256v1: 'ES256', secp384r1: 'ES384' };

export async function signReference(referenceJson: string, privateKeyPem: string): Promise<string> {
  checkReference(referenceJson);
  const { key, alg } = signingKey(privateKeyPem);
  return new CompactSign(new TextEncoder().encode(referenceJson)).setProtectedHeader({ alg, typ: SIGNED_REFERENCE_TYPE }).sign(key);
}

/** A malformed set is never signed: a signature would lend it trust it cannot use. */
function checkReference(referenceJson: string): void {
  let json: unknown;
  try {
    json = JSON.parse(referenceJson);
  } catch (e) {
    throw new TeeError('MALFORMED_REFERENCE', `the reference file to sign is not JSON: ${(e as Error).message}`, { field: '$' });
  }
  parseReferenceValues(json);
}

function signingKey(pem: string): { key: KeyObject; alg: 'ES256' | 'ES384' } {
  const key = readPkcs8Key(pem);
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  const alg = key.asymmetricKeyType === 'ec' && Object.hasOwn(ALG_BY_CURVE, curve) ? ALG_BY_CURVE[curve] : undefined;
  if (!alg)
    throw new TeeError(
      'USAGE_ERROR',
      `--sign-key must be an EC key on P-256 (ES256) or P-384 (ES384), not ${key.asymmetricKeyType ?? 'an unknown key'} ${curve}`.trim(),
    );
  return { key, alg };
}
