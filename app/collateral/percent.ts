import { TeeError } from '../errors.js';

/**
 * Intel PCS sends issuer chains in response headers (TCB-Info-Issuer-Chain,
 * SGX-Enclave-Identity-Issuer-Chain, SGX-PCK-CRL-Issuer-Chain) as URL-encoded PEM. Encoders differ on
 * "-" (unreserved, RFC 3986 2.3), so a saved header begins "%2D%2D%2D%2D%2DBEGIN" or "-----BEGIN%20";
 * either hex case. Plain PEM never contains "%" (not in base64), so it is never mistaken for this.
 */
export function looksLikeEncodedPem(text: string): boolean {
  const t = text.trimStart();
  return /^(?:-|%2D){5}BEGIN(?: |%20)/i.test(t) && t.includes('%');
}

/**
 * RFC 3986 2.1 percent-decoding, strictly: every "%" must start a two-hex-digit escape, the result must
 * be UTF-8 (PEM is ASCII), and "+" stays "+" (it is base64, not a form-encoded space). Anything else is
 * MALFORMED_COLLATERAL naming the offset, never a best guess.
 */
export function percentDecode(text: string, field = 'issuer chain'): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        throw new TeeError('MALFORMED_COLLATERAL', `${field}: malformed percent escape "${text.slice(i, i + 3)}" at offset ${i}`, { field, offset: i });
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)) {
      throw new TeeError('MALFORMED_COLLATERAL', `${field}: character U+${c.toString(16).padStart(4, '0')} at offset ${i} cannot appear in URL-encoded text`, {
        field,
        offset: i,
      });
    } else {
      bytes.push(c);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    throw new TeeError('MALFORMED_COLLATERAL', `${field}: the percent-decoded bytes are not UTF-8`, { field });
  }
}

/** PEM text as given, or decoded when it is URL-encoded as PCS headers carry it. */
export function pemText(text: string, field?: string): string {
  return looksLikeEncodedPem(text) ? percentDecode(text.trim(), field) : text;
}
