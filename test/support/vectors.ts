import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { equalBytes } from '../../app/bytes/hex.js';

/** Access to ../shared/vectors (beside the checkout, as in CI). Tests pin every verification to `expect.at`. */
export const VECTORS_DIR = fileURLToPath(new URL('../../../shared/vectors/', import.meta.url));

export interface VectorEntry {
  id: string;
  path: string;
  technology: string;
  collateral?: string;
  roots?: string[];
  expect: {
    verdict: 'verified' | 'rejected';
    errorClass?: string;
    cryptoValid?: boolean;
    tcbStatus?: string;
    advisories?: string[];
    platformTcb?: { status: string; tcbDate: string };
    qeTcb?: { status: string; isvSvn: number };
    tdxModuleTcb?: { identity: string; status: string };
    at: string;
    failingCheck?: string;
    checks?: Record<string, string>;
    fields?: Record<string, unknown>;
  };
}

export function vectorBytes(path: string): Uint8Array {
  const b = readFileSync(VECTORS_DIR + path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function manifest(): { vectors: VectorEntry[]; errorClasses: Record<string, string> } {
  const m = JSON.parse(readFileSync(VECTORS_DIR + 'manifest.json', 'utf8')) as { vectors: VectorEntry[]; errorClasses: Record<string, string> };
  for (const v of m.vectors) v.id ??= v.path.replace(/\.[^.]+$/, '');
  return m;
}

export function dcapVectors(): VectorEntry[] {
  return manifest().vectors.filter((v) => v.technology === 'sgx' || v.technology === 'tdx');
}

export function verifiedDcapVectors(): VectorEntry[] {
  return dcapVectors().filter((v) => v.expect.verdict === 'verified');
}

/** The collateral files of an entry, as the CLI would read them. */
export function collateralFiles(v: VectorEntry): { name: string; bytes: Uint8Array }[] {
  return v.collateral ? [{ name: v.collateral, bytes: vectorBytes(v.collateral) }] : [];
}

/** The entry's roots files (ASK/ASVK + ARK), each certificate asserted to be one of our pinned AMD roots. */
export function pinnedAmdRootsOf(v: VectorEntry): Uint8Array[] {
  const ders = (v.roots ?? []).flatMap((p) => pemBlocks(readFileSync(VECTORS_DIR + p, 'utf8')).map((b) => b.der));
  for (const der of ders)
    assert.ok(
      AMD_ROOTS.some((r) => equalBytes(r.der, der)),
      `${v.id}: root is pinned`,
    );
  return ders;
}
