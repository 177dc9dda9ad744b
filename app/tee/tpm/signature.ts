import type { HashName } from '../../crypto/provider.js';
import { BigEndianReader } from './be-reader.js';
import { TPM_ALG_ECDSA, TPM_ALG_RSAPSS, TPM_ALG_RSASSA, hex16, tpmHashById, tpmHashByName } from './algorithms.js';

export type TpmSignatureScheme = 'rsassa' | 'rsapss' | 'ecdsa';

/** A quote signature: its scheme, its hash (TPM_ALG_ID, with the provider's name when supported) and the value. */
export type TpmSignature =
  | { scheme: 'rsassa' | 'rsapss'; hashAlg: number; hash?: HashName; sig: Uint8Array; encoding: 'tpmt' | 'raw' }
  | { scheme: 'ecdsa'; hashAlg: number; hash?: HashName; r: Uint8Array; s: Uint8Array; encoding: 'tpmt' };

const RSA_MAX = 512; // TPM2B_PUBLIC_KEY_RSA: MAX_RSA_KEY_BYTES (4096-bit keys)
const ECC_MAX = 66; // TPM2B_ECC_PARAMETER: MAX_ECC_KEY_BYTES (P-521)

/**
 * TPMT_SIGNATURE (Part 2, 11.3.4): sigAlg, then TPMU_SIGNATURE for it, which starts with the hash. Only the
 * schemes a quote may carry are read; anything else (HMAC, SM2, EC-Schnorr, NULL) is a ParseError naming sigAlg.
 */
export function parseTpmtSignature(bytes: Uint8Array): TpmSignature {
  const r = new BigEndianReader(bytes);
  const sigAlg = r.u16('sigAlg');
  const hashAlg = r.u16('hash');
  const hash = tpmHashById(hashAlg)?.hash;
  const named = hash ? { hashAlg, hash } : { hashAlg };
  if (sigAlg === TPM_ALG_RSASSA || sigAlg === TPM_ALG_RSAPSS) {
    const sig = r.tpm2b('sig', RSA_MAX);
    r.done('sig');
    return { scheme: sigAlg === TPM_ALG_RSASSA ? 'rsassa' : 'rsapss', ...named, sig, encoding: 'tpmt' };
  }
  if (sigAlg === TPM_ALG_ECDSA) {
    const sr = r.tpm2b('signatureR', ECC_MAX);
    const ss = r.tpm2b('signatureS', ECC_MAX);
    r.done('signatureS');
    return { scheme: 'ecdsa', ...named, r: sr, s: ss, encoding: 'tpmt' };
  }
  return r.fail(`sigAlg ${hex16(sigAlg)} is not RSASSA (0x0014), RSAPSS (0x0016) or ECDSA (0x0018)`, 'sigAlg', 0);
}

/**
 * A bare RSA signature, as Azure's vTPM tooling stores it: the scheme is not in the bytes but is the AK's,
 * which for Azure's AK is RSASSA with SHA-256; a caller that knows otherwise says so.
 */
export function rawRsaSignature(sig: Uint8Array, scheme: 'rsassa' | 'rsapss' = 'rsassa', hash: HashName = 'SHA-256'): TpmSignature {
  return { scheme, hashAlg: tpmHashByName(hash).id, hash, sig, encoding: 'raw' };
}

/** r || s, each left-padded to the curve's field size (a TPM drops leading zero bytes); undefined if one is longer. */
export function ecdsaRawSignature(sig: { r: Uint8Array; s: Uint8Array }, size: number): Uint8Array | undefined {
  if (sig.r.length > size || sig.s.length > size) return undefined;
  const out = new Uint8Array(2 * size);
  out.set(sig.r, size - sig.r.length);
  out.set(sig.s, 2 * size - sig.s.length);
  return out;
}
