import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Throwaway keys and hand-made JWS tokens for the signed-reference tests (nothing here is a real signer's key). */
export const EXAMPLE_PATH = fileURLToPath(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url));
export const EXAMPLE_JSON = readFileSync(EXAMPLE_PATH, 'utf8');

export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
  /** SHA-256 of the SPKI DER, hex: what the report records as keySha256. */
  spkiSha256: string;
}

export function testKey(curve: 'P-256' | 'P-384' = 'P-256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    spkiSha256: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  };
}

export const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
export const bytes = (s: string) => new TextEncoder().encode(s);
export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A compact JWS with any header, signed (raw r||s) with `key`'s curve hash; `alg` in the header is not checked here. */
export function compactJws(header: string | Record<string, unknown>, payload: Uint8Array | string, key: KeyObject): string {
  const h = b64url(typeof header === 'string' ? header : JSON.stringify(header));
  const input = `${h}.${b64url(payload)}`;
  const hash = key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256';
  return `${input}.${b64url(sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

export const HEADER = { alg: 'ES256', typ: 'tee-inspect-reference+jws' };
