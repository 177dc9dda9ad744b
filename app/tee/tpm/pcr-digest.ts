import type { Check } from '../../check.js';
import { fail, pass, skip } from '../../check.js';
import type { CryptoProvider, HashName } from '../../crypto/provider.js';
import { concatBytes, equalBytes, fromHex, toHex } from '../../bytes/hex.js';
import { TPM_CHECKS } from './checks.js';
import { hex16 } from './algorithms.js';
import type { PcrSelection } from './attest.js';

/** PCR values by bank name (sha256) and index, as hex: the shape of `--tpm-quote` JSON once read. */
export type PcrValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

const SPEC = TPM_CHECKS.pcrDigest;
const mismatch = (explain: string) => fail(SPEC, explain, 'PCR_DIGEST_MISMATCH');

export interface PcrDigestOutcome {
  check: Check;
  /** Only the PCR values the signed digest covers, and only when it matched: these are attested. */
  attested: PcrValues;
}

/**
 * pcrDigest = H(PCR values concatenated bank by bank in selection order, ascending index within a bank)
 * (Part 3, 18.4 TPM2_Quote; Part 1, 17.6.4), where H is the signing scheme's hash, not the bank's.
 */
export async function checkPcrDigest(
  crypto: CryptoProvider,
  selections: readonly PcrSelection[],
  signed: Uint8Array,
  hash: HashName | undefined,
  pcrs?: PcrValues,
): Promise<PcrDigestOutcome> {
  const none = (check: Check) => ({ check, attested: {} });
  if (!pcrs) return none(skip(SPEC, 'no PCR values were supplied, so no PCR is attested.'));
  if (!hash) return none(skip(SPEC, 'the signing hash is not supported, so the PCR digest cannot be computed.'));
  const chosen = selectedValues(selections, pcrs);
  if (typeof chosen === 'string') return none(mismatch(chosen));
  const digest = await crypto.digest(hash, concatBytes(...chosen.map((c) => c.value)));
  if (!equalBytes(digest, signed)) {
    return none(
      mismatch(
        `${hash} of the ${chosen.length} supplied PCR values is ${toHex(digest)}, but the TPM signed ${toHex(signed)}: a PCR value differs from what the TPM held.`,
      ),
    );
  }
  // Values the quote does not select (another bank, a PCR left out) are not an error: they are just not attested.
  const extra = unselected(selections, pcrs);
  const note = extra.length ? ` Not attested, as the quote does not select them: ${extra.slice(0, 8).join(', ')}${extra.length > 8 ? ', …' : ''}.` : '';
  return {
    check: pass(SPEC, `${hash} of the ${chosen.length} supplied PCR values (${describeSelection(selections)}) equals the signed pcrDigest.${note}`),
    attested: attestedMap(chosen),
  };
}

interface ChosenPcr {
  bank: string;
  index: number;
  value: Uint8Array;
}

/** The supplied values in digest order, or why they do not cover exactly the selection. */
function selectedValues(selections: readonly PcrSelection[], pcrs: PcrValues): ChosenPcr[] | string {
  const out: ChosenPcr[] = [];
  for (const sel of selections) {
    if (!sel.hash) return `the quote selects bank ${hex16(sel.hashAlg)}, an algorithm this verifier does not know`;
    const bank = pcrs[sel.hash.bank] ?? {};
    for (const index of sel.indices) {
      const text = bank[String(index)];
      if (text === undefined) return `the quote selects ${sel.hash.bank} PCR ${index}, but no value was supplied for it`;
      const value = fromHex(text);
      if (!value || value.length !== sel.hash.size) return `${sel.hash.bank} PCR ${index} is not ${sel.hash.size} bytes of hex`;
      out.push({ bank: sel.hash.bank, index, value });
    }
  }
  return out;
}

/** Supplied values outside the selection, as "sha1 PCR 0". */
function unselected(selections: readonly PcrSelection[], pcrs: PcrValues): string[] {
  return Object.entries(pcrs).flatMap(([bank, values]) => {
    const sel = selections.find((s) => s.hash?.bank === bank);
    return Object.keys(values)
      .filter((i) => !sel?.indices.includes(Number(i)) || String(Number(i)) !== i)
      .map((i) => `${bank} PCR ${i}`);
  });
}

function attestedMap(chosen: readonly ChosenPcr[]): PcrValues {
  const out: Record<string, Record<string, string>> = {};
  for (const c of chosen) (out[c.bank] ??= {})[String(c.index)] = toHex(c.value);
  return out;
}

export function describeSelection(selections: readonly PcrSelection[]): string {
  return selections.map((s) => `${s.hash?.bank ?? hex16(s.hashAlg)}: ${ranges(s.indices)}`).join('; ');
}

/** 0-23, or 0-7,10 */
function ranges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(j > i ? `${indices[i]}-${indices[j]}` : `${indices[i]}`);
    i = j;
  }
  return parts.length ? parts.join(',') : 'none';
}
