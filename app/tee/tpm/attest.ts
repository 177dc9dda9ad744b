import { BigEndianReader } from './be-reader.js';
import { tpmHashById } from './algorithms.js';
import type { TpmHash } from './algorithms.js';

/** TPM_GENERATED_VALUE: every TPMS_ATTEST the TPM signs starts with it (Part 2, 6.2), so it cannot sign a look-alike. */
export const TPM_GENERATED_VALUE = 0xff544347;
/** TPM_ST_ATTEST_QUOTE (Part 2, 6.9): the attested structure is a TPMS_QUOTE_INFO. */
export const TPM_ST_ATTEST_QUOTE = 0x8018;

/** Sizes the TPM's own types bound: TPMU_NAME and TPMT_HA are at most a u16 algorithm and a SHA-512 digest. */
const NAME_MAX = 2 + 64;
const DIGEST_MAX = 64;
/** HASH_COUNT and PCR_SELECT_MAX are implementation-dependent; these bounds admit every real TPM (24 PCRs, 3 bytes). */
const BANKS_MAX = 16;
const SELECT_MAX = 8;

export interface PcrSelection {
  /** TPM_ALG_ID of the bank. */
  hashAlg: number;
  /** Undefined for a bank algorithm this verifier does not know. */
  hash?: TpmHash;
  /** Selected PCR indices, ascending (bit j of pcrSelect[i] selects PCR 8i + j). */
  indices: number[];
}

export interface TpmQuoteAttest {
  magic: number;
  type: number;
  qualifiedSigner: Uint8Array;
  extraData: Uint8Array;
  clock: bigint;
  resetCount: number;
  restartCount: number;
  safe: boolean;
  firmwareVersion: bigint;
  pcrSelections: PcrSelection[];
  pcrDigest: Uint8Array;
}

/**
 * TPMS_ATTEST of a TPM2_Quote (Part 2, 10.12.12) with its TPMS_QUOTE_INFO (10.12.4). Throws ParseError
 * (MALFORMED_EVIDENCE) naming the field: a wrong magic or type, any size past the end, trailing bytes.
 */
export function parseTpmsAttest(bytes: Uint8Array): TpmQuoteAttest {
  const r = new BigEndianReader(bytes);
  const magic = r.u32('magic');
  if (magic !== TPM_GENERATED_VALUE) r.fail(`magic is 0x${magic.toString(16)}, not TPM_GENERATED_VALUE 0xff544347`, 'magic', 0);
  const type = r.u16('type');
  if (type !== TPM_ST_ATTEST_QUOTE) r.fail(`type is 0x${type.toString(16)}, not TPM_ST_ATTEST_QUOTE 0x8018`, 'type', 4);
  const qualifiedSigner = r.tpm2b('qualifiedSigner', NAME_MAX);
  const extraData = r.tpm2b('extraData', DIGEST_MAX + 2);
  const clockInfo = readClockInfo(r);
  const firmwareVersion = r.u64('firmwareVersion');
  const pcrSelections = readPcrSelections(r);
  const pcrDigest = r.tpm2b('pcrDigest', DIGEST_MAX);
  r.done('pcrDigest');
  return { magic, type, qualifiedSigner, extraData, ...clockInfo, firmwareVersion, pcrSelections, pcrDigest };
}

/** TPMS_CLOCK_INFO (Part 2, 10.11.1); `safe` is a TPMI_YES_NO, so only 0 or 1. */
function readClockInfo(r: BigEndianReader) {
  const clock = r.u64('clockInfo.clock');
  const resetCount = r.u32('clockInfo.resetCount');
  const restartCount = r.u32('clockInfo.restartCount');
  const at = r.offset;
  const safe = r.u8('clockInfo.safe');
  if (safe > 1) r.fail(`clockInfo.safe is ${safe}, not YES (1) or NO (0)`, 'clockInfo.safe', at);
  return { clock, resetCount, restartCount, safe: safe === 1 };
}

/** TPML_PCR_SELECTION (Part 2, 10.9.7): a count, then TPMS_PCR_SELECTION per bank; a bank named twice is ambiguous. */
function readPcrSelections(r: BigEndianReader): PcrSelection[] {
  const at = r.offset;
  const count = r.u32('pcrSelect.count');
  if (count > BANKS_MAX) r.fail(`pcrSelect.count is ${count}, more than ${BANKS_MAX} banks`, 'pcrSelect.count', at);
  const out: PcrSelection[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.offset;
    const sel = readPcrSelection(r, `pcrSelect[${i}]`);
    if (out.some((s) => s.hashAlg === sel.hashAlg)) r.fail(`bank 0x${sel.hashAlg.toString(16)} is selected twice`, `pcrSelect[${i}].hash`, start);
    out.push(sel);
  }
  return out;
}

function readPcrSelection(r: BigEndianReader, field: string): PcrSelection {
  const hashAlg = r.u16(`${field}.hash`);
  const at = r.offset;
  const size = r.u8(`${field}.sizeofSelect`);
  if (size > SELECT_MAX) r.fail(`${field}.sizeofSelect is ${size}, more than ${SELECT_MAX}`, `${field}.sizeofSelect`, at);
  const bitmap = r.take(size, `${field}.pcrSelect`);
  const indices: number[] = [];
  for (let i = 0; i < 8 * size; i++) if (bitmap[i >> 3]! & (1 << (i & 7))) indices.push(i);
  const hash = tpmHashById(hashAlg);
  return hash ? { hashAlg, hash, indices } : { hashAlg, indices };
}
