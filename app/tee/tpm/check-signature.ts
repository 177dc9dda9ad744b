import type { Check } from '../../check.js';
import { fail, pass } from '../../check.js';
import type { CryptoProvider, HashName } from '../../crypto/provider.js';
import { CURVE_FIELD_BYTES } from '../../crypto/provider.js';
import type { PublicKeyInfo } from '../../pki/algorithms.js';
import { TPM_CHECKS } from './checks.js';
import { hex16 } from './algorithms.js';
import { ecdsaRawSignature } from './signature.js';
import type { TpmSignature } from './signature.js';

const HASH_BYTES: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const SPEC = TPM_CHECKS.quoteSignature;
const bad = (explain: string) => fail(SPEC, explain, 'TPM_SIGNATURE_INVALID');

/** Verifies that the AK signed `message` (the TPMS_ATTEST bytes; the provider hashes them with the scheme's hash). */
export async function checkQuoteSignature(crypto: CryptoProvider, message: Uint8Array, sig: TpmSignature, ak: PublicKeyInfo): Promise<Check> {
  const hash = sig.hash;
  if (!hash) return bad(`The signature's hash ${hex16(sig.hashAlg)} is not supported (SHA-256, SHA-384 and SHA-512 are); it was not verified.`);
  try {
    if (sig.scheme === 'ecdsa') return await verifyEcdsa(crypto, message, sig, hash, ak);
    return await verifyRsa(crypto, message, sig, hash, ak);
  } catch (e) {
    return bad(`The crypto provider "${crypto.name}" failed: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

async function verifyEcdsa(crypto: CryptoProvider, message: Uint8Array, sig: TpmSignature & { scheme: 'ecdsa' }, hash: HashName, ak: PublicKeyInfo) {
  if (ak.algorithm !== 'ec' || !ak.curve || !ak.point) return bad('The signature is ECDSA but the AK is not an uncompressed P-256 or P-384 key.');
  const raw = ecdsaRawSignature(sig, CURVE_FIELD_BYTES[ak.curve]);
  if (!raw) return bad(`The ECDSA r or s is longer than the ${ak.curve} field.`);
  const ok = await crypto.verifyEcdsa({ curve: ak.curve, hash, publicKey: ak.point, signature: raw, message });
  return ok
    ? pass(SPEC, `The AK (${ak.curve}) signed this TPMS_ATTEST with ECDSA and ${hash}.`)
    : bad(`The ECDSA ${hash} signature does not match the ${ak.curve} AK.`);
}

async function verifyRsa(crypto: CryptoProvider, message: Uint8Array, sig: TpmSignature & { scheme: 'rsassa' | 'rsapss' }, hash: HashName, ak: PublicKeyInfo) {
  const fits = ak.algorithm === 'rsa' || (ak.algorithm === 'rsa-pss' && sig.scheme === 'rsapss');
  if (!fits) return bad(`The signature is ${sig.scheme.toUpperCase()} but the AK is not an RSA key that can make it.`);
  const input = { hash, spki: ak.spki, signature: sig.sig, message };
  const from = sig.encoding === 'raw' ? " (a bare signature: scheme taken as the AK's)" : '';
  if (sig.scheme === 'rsassa') {
    if (!crypto.verifyRsaPkcs1) return bad(`The crypto provider "${crypto.name}" has no RSA PKCS#1 v1.5; the signature was not verified.`);
    const ok = await crypto.verifyRsaPkcs1(input);
    return ok
      ? pass(SPEC, `The AK signed this TPMS_ATTEST with RSASSA-PKCS1-v1_5 and ${hash}${from}.`)
      : bad(`The RSASSA ${hash} signature does not match the AK${from}.`);
  }
  if (!crypto.verifyRsaPss) return bad(`The crypto provider "${crypto.name}" has no RSA-PSS; the signature was not verified.`);
  for (const [saltLength, name] of pssSalts(sig.sig.length, hash)) {
    if (await crypto.verifyRsaPss({ ...input, saltLength }))
      return pass(SPEC, `The AK signed this TPMS_ATTEST with RSASSA-PSS, ${hash} and the ${name} salt (${saltLength} bytes).`);
  }
  return bad(`The RSASSA-PSS ${hash} signature does not match the AK with a salt of the hash length or the maximum length.`);
}

/** TPMs differ: the TPM 2.0 spec asks for the hash length, many use the largest salt the key allows (RFC 8017 9.1.1). */
function pssSalts(modulusBytes: number, hash: HashName): [number, string][] {
  const h = HASH_BYTES[hash];
  const max = modulusBytes - h - 2;
  return max > h
    ? [
        [h, 'hash-length'],
        [max, 'maximum'],
      ]
    : [[h, 'hash-length']];
}
