import { pemBlocks } from '../pki/pem.js';
import type { PkiCache } from '../pki/cache.js';
import type { Certificate } from '../pki/x509.js';
import type { Span } from '../json/signed-spans.js';
import type { CollateralSet } from './types.js';

/** Largest collateral file (and byte array inside one) the loader reads. */
export const MAX_COLLATERAL_FILE = 8 * 1024 * 1024;

/** A JSON collateral file: its exact bytes, the byte span of each top-level member (for signed parts), and its parsed JSON value. */
export interface JsonFile {
  bytes: Uint8Array;
  spans: ReadonlyMap<string, Span>;
  doc: Record<string, unknown>;
}

/** Where a recogniser puts what it parsed: the file's name, the verifier's parse cache, the set being filled. */
export interface RecogniseContext {
  source: string;
  cache: PkiCache;
  into: CollateralSet;
}

/**
 * A technology module's knowledge of its own collateral files (load.ts asks every module's, in registry
 * order, and handles certificates and CRLs in DER, PEM and hex itself). Each returns the kinds it added
 * (for the report), or undefined when the file is not of its format; it throws TeeError when the file
 * is of its format but malformed.
 */
export interface CollateralRecogniser {
  /** A JSON file (an object). */
  json?(file: JsonFile, ctx: RecogniseContext): string[] | undefined;
  /** A binary file that is not DER: tried before PEM and hex text. */
  binary?(bytes: Uint8Array, ctx: RecogniseContext): string[] | undefined;
}

/** The certificates of a PEM text, parsed through the verifier's cache. */
export function pemCertificates(pem: string, cache: PkiCache): Certificate[] {
  return pemBlocks(pem, 'MALFORMED_COLLATERAL')
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => cache.cert(b.der, 'MALFORMED_COLLATERAL'));
}
