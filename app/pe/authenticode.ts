import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { CryptoProvider, HashName } from '../crypto/provider.js';
import { digestSync } from '../crypto/digest-sync.js';
import { ParseError } from '../errors.js';
import { parsePeLayout } from './headers.js';
import type { PeLayout } from './headers.js';

export type AuthenticodeAlgorithm = 'sha256' | 'sha384';

const HASHES = { sha256, sha384 } as const;

/** The file ranges the Authenticode digest covers, in hashing order. */
export function authenticodeRanges(file: Uint8Array, layout: PeLayout = parsePeLayout(file)): [number, number][] {
  const ranges = headerRanges(layout);
  let hashed = layout.sizeOfHeaders;
  for (const s of layout.sections) {
    ranges.push([s.offset, s.offset + s.size]);
    hashed += s.size;
  }
  // The remainder after the sections, less the certificate table (Authenticode spec step 14; edk2 measures the same).
  const end = file.length - layout.cert.size;
  if (hashed < end) ranges.push([hashed, end]);
  return ranges;
}

/** Checksum and certificate directory skipped; then the rest of the headers. */
function headerRanges(layout: PeLayout): [number, number][] {
  const { checksumAt, certDirAt, sizeOfHeaders } = layout;
  if (certDirAt === undefined)
    return [
      [0, checksumAt],
      [checksumAt + 4, sizeOfHeaders],
    ];
  if (certDirAt + 8 > sizeOfHeaders) throw new ParseError('certificate directory lies beyond SizeOfHeaders', { field: 'SizeOfHeaders', offset: certDirAt });
  return [
    [0, checksumAt],
    [checksumAt + 4, certDirAt],
    [certDirAt + 8, sizeOfHeaders],
  ];
}

/**
 * The Authenticode digest of a PE/COFF image (Windows Authenticode PE Signature Format, "Calculating the
 * PE image hash"): what UEFI firmware measures for an EFI application or a Linux EFI-stub kernel.
 */
export function authenticodeDigest(file: Uint8Array, algorithm: AuthenticodeAlgorithm): Uint8Array {
  const h = HASHES[algorithm].create();
  for (const [from, to] of authenticodeRanges(file)) h.update(file.subarray(from, to));
  return h.digest();
}

/**
 * The same digest through a crypto provider (node's is several times faster than @noble on a 15 MB kernel).
 * The ranges are joined first: edk2's MeasurePeImageAndExtend hashes exactly these bytes, with no padding.
 */
export function authenticodeDigestSync(file: Uint8Array, crypto: CryptoProvider, hash: HashName): Uint8Array {
  const ranges = authenticodeRanges(file);
  const joined = new Uint8Array(ranges.reduce((n, [from, to]) => n + to - from, 0));
  let at = 0;
  for (const [from, to] of ranges) {
    joined.set(file.subarray(from, to), at);
    at += to - from;
  }
  return digestSync(crypto, hash, joined);
}
