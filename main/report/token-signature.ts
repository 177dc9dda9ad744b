import { toTeeError } from '../../app/errors.js';
import { exampleKeyOf } from './example-keys.js';
import { publicJwk, verifyJws } from './jws.js';

/**
 * What can be said of an EAR token's signature. Only a key the user gives ever verifies it: a `jwk` in the
 * token's own header was chosen by whoever made the token, so it is reported but never used. A key (given or in
 * the header) that is a published example key is named, since anyone holds its private half.
 */
export type SignatureState = 'verified' | 'no-key' | 'header-key-only' | 'does-not-verify';

export interface TokenSignature {
  state: SignatureState;
  alg: 'ES256' | 'ES384';
  /** The state in plain words. */
  message: string;
  /** Set when the key given or the header's key is a published example key: which one, in plain words. */
  exampleKey?: string;
}

export interface SignedToken {
  text: string;
  header: Record<string, unknown>;
  alg: 'ES256' | 'ES384';
}

const MESSAGES: Record<Exclude<SignatureState, 'does-not-verify'>, string> = {
  verified: 'The signature verifies with the public key given.',
  'no-key': 'No public key was given, so the claims are shown as the token states them and nothing in them is trusted.',
  'header-key-only':
    "The only key is the one in the token's own header, which whoever made the token chose, so it proves nothing. Give the signer's public key.",
};

/** The signature state and, when it verifies, the payload as signed (re-read from the verified bytes). */
export async function checkTokenSignature(token: SignedToken, keyPem?: string): Promise<{ signature: TokenSignature; payload?: unknown }> {
  const example = exampleWarning(token, keyPem);
  const base = { alg: token.alg, ...(example ? { exampleKey: example } : {}) };
  if (keyPem === undefined) {
    const state = headerJwk(token) ? 'header-key-only' : 'no-key';
    return { signature: { ...base, state, message: MESSAGES[state] } };
  }
  try {
    const payload = await verifyJws(token, keyPem);
    return { signature: { ...base, state: 'verified', message: MESSAGES.verified }, payload };
  } catch (e) {
    const err = toTeeError(e);
    if (err.code !== 'EAR_UNVERIFIED') throw err;
    return { signature: { ...base, state: 'does-not-verify', message: err.message } };
  }
}

function headerJwk(token: SignedToken): Record<string, unknown> | undefined {
  const jwk = token.header['jwk'];
  return typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk) ? (jwk as Record<string, unknown>) : undefined;
}

function exampleWarning(token: SignedToken, keyPem: string | undefined): string | undefined {
  const given = keyPem !== undefined ? exampleKeyOf(publicJwk(keyPem)) : undefined;
  if (given) return `The public key given is ${given.source}, a published example key: anyone can sign with it, so its signature proves nothing.`;
  const inHeader = exampleKeyOf(headerJwk(token));
  if (inHeader) return `The key in the token's header is ${inHeader.source}, a published example key: anyone can sign with it, so the token proves nothing.`;
  return undefined;
}
