export { authenticodeDigest, authenticodeDigestSync, authenticodeRanges } from './authenticode.js';
export type { AuthenticodeAlgorithm } from './authenticode.js';
export { parsePeLayout, MAX_SECTIONS } from './headers.js';
export type { PeLayout } from './headers.js';
