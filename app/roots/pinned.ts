import { fromBase64 } from '../bytes/base64.js';

/** A certificate pinned by its bytes, with its name and SHA-256 fingerprint (asserted against the bytes by a unit test). */
export interface PinnedCert {
  cn: string;
  sha256: string;
  der: Uint8Array;
}

/** The base64 of a pinned certificate, decoded at load (the strings are constants, so they always decode). */
export const pinnedDer = (s: string): Uint8Array => fromBase64(s)!;
