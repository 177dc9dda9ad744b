import type { HashName } from '../../crypto/provider.js';

/** TPM_ALG_ID values (TCG Algorithm Registry, table 3) for the hashes a PCR bank, a signature or an event log digest may use. */
export interface TpmHash {
  readonly id: number;
  /** The bank name as tpm2-tools and the JSON inputs spell it: sha256. */
  readonly bank: string;
  /** The name event logs and reports show: SHA-256. */
  readonly name: string;
  readonly size: number;
  /** Set when the crypto provider can compute or verify with it (SHA-1 and SM3 banks can be parsed, not checked). */
  readonly hash?: HashName;
}

const HASHES: readonly TpmHash[] = [
  { id: 0x0004, bank: 'sha1', name: 'SHA-1', size: 20 },
  { id: 0x000b, bank: 'sha256', name: 'SHA-256', size: 32, hash: 'SHA-256' },
  { id: 0x000c, bank: 'sha384', name: 'SHA-384', size: 48, hash: 'SHA-384' },
  { id: 0x000d, bank: 'sha512', name: 'SHA-512', size: 64, hash: 'SHA-512' },
  { id: 0x0012, bank: 'sm3_256', name: 'SM3-256', size: 32 },
];

export function tpmHashById(id: number): TpmHash | undefined {
  return HASHES.find((h) => h.id === id);
}

export function tpmHashByName(hash: HashName): TpmHash {
  return HASHES.find((h) => h.hash === hash)!;
}

/** TPM_ALG_ID of the signature schemes a quote may carry (Part 2, 11.3.4 TPMU_SIGNATURE). */
export const TPM_ALG_RSASSA = 0x0014;
export const TPM_ALG_RSAPSS = 0x0016;
export const TPM_ALG_ECDSA = 0x0018;

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}
