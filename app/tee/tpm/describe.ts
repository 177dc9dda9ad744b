import { toHex } from '../../bytes/hex.js';
import type { TpmQuoteAttest } from './attest.js';
import { describeSelection } from './pcr-digest.js';
import type { PcrValues } from './pcr-digest.js';
import type { TpmSignature } from './signature.js';

/** One PCR value as the views list it: `attested` only when the signed digest covers it and the signature verified. */
export interface PcrRow {
  bank: string;
  index: number;
  value: string;
  attested: boolean;
}

const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;
/** trustee's claim names: pcr00 ... pcr23 for the SHA-256 bank; other banks keep their name in front. */
const pcrField = (bank: string, index: number) => `${bank === 'sha256' ? '' : bank}pcr${String(index).padStart(2, '0')}`;

/** Every decoded field of a quote, in the vector manifest's names (attestType, extraData, pcrSelection, pcr00, ...). */
export function describeTpmQuote(attest: TpmQuoteAttest, signature: TpmSignature | undefined, supplied: PcrValues | undefined, attested: PcrValues) {
  const rows = pcrRows(supplied, attested);
  return {
    magic: `0x${attest.magic.toString(16)}`,
    attestType: `0x${attest.type.toString(16)} (TPM_ST_ATTEST_QUOTE)`,
    qualifiedSigner: toHex(attest.qualifiedSigner),
    extraData: toHex(attest.extraData),
    clock: attest.clock.toString(),
    resetCount: attest.resetCount,
    restartCount: attest.restartCount,
    safe: attest.safe,
    firmwareVersion: hex64(attest.firmwareVersion),
    pcrSelection: describeSelection(attest.pcrSelections),
    pcrDigest: toHex(attest.pcrDigest),
    ...(signature
      ? { signatureScheme: signature.scheme.toUpperCase(), signatureHash: signature.hash ?? 'unsupported', signatureEncoding: signature.encoding }
      : {}),
    ...Object.fromEntries(rows.map((r) => [pcrField(r.bank, r.index), r.value])),
    pcrs: rows,
  };
}

function pcrRows(supplied: PcrValues | undefined, attested: PcrValues): PcrRow[] {
  return Object.entries(supplied ?? {}).flatMap(([bank, values]) =>
    Object.entries(values)
      .map(([index, value]) => ({ bank, index: Number(index), value: value.toLowerCase(), attested: attested[bank]?.[index] !== undefined }))
      .sort((a, b) => a.index - b.index),
  );
}

/**
 * Claims a reference set may name: only ATTESTED values, as `pcrs` {pcr0: hex} for the SHA-256 bank and
 * `pcrs<Bank>` for others, so a value the TPM did not sign can never match a golden value.
 */
export function tpmPcrClaims(attested: PcrValues): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [bank, values] of Object.entries(attested)) {
    const key = bank === 'sha256' ? 'pcrs' : `pcrs${bank[0]!.toUpperCase()}${bank.slice(1)}`;
    out[key] = Object.fromEntries(Object.entries(values).map(([i, v]) => [`pcr${i}`, v]));
  }
  return out;
}

/** The attested SHA-256 values as the event-log replay takes them ({pcr0: hex}). */
export function attestedSha256(attested: PcrValues): Record<string, string> {
  return Object.fromEntries(Object.entries(attested.sha256 ?? {}).map(([i, v]) => [`pcr${i}`, v]));
}
