import { TeeError } from '../../errors.js';
import { fromHex } from '../../bytes/hex.js';
import { looksLikePem, pemBlocks } from '../../pki/pem.js';
import { pemText } from '../../collateral/percent.js';
import { MAX_COLLATERAL_FILE, pemCertificates } from '../../collateral/recognise.js';
import type { CollateralRecogniser, RecogniseContext } from '../../collateral/recognise.js';
import type { SignedJson } from '../../collateral/types.js';
import { parseTcbInfo } from './tcb-info.js';
import { parseQeIdentity } from './qe-identity.js';
import { qeIdentityDocument, tcbInfoDocument } from './documents.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * Intel's JSON collateral: raw PCS bodies (`{"tcbInfo": …, "signature": …}`, `{"enclaveIdentity": …}`)
 * and dcap-qvl's bundle (QuoteCollateralV3). The signed part of a body is cut from the file's own bytes.
 */
export const dcapJsonCollateral: CollateralRecogniser = {
  json({ doc, bytes, spans }, ctx) {
    const signature = () => hexField(doc, 'signature', 64);
    // The body is parsed from the very bytes whose signature is checked, so the two can never disagree.
    const signedPart = <T>(key: string, parse: (v: unknown) => T): SignedJson<T> => {
      const signed = bytes.subarray(spans.get(key)!.start, spans.get(key)!.end);
      return { body: parse(JSON.parse(text.decode(signed))), signed, signature: signature(), chain: [], source: ctx.source };
    };
    if (spans.has('tcbInfo')) {
      ctx.into.documents.push(tcbInfoDocument(signedPart('tcbInfo', parseTcbInfo)));
      return ['tcb-info'];
    }
    const idKey = spans.has('enclaveIdentity') ? 'enclaveIdentity' : spans.has('qeIdentity') ? 'qeIdentity' : undefined;
    if (idKey) {
      ctx.into.documents.push(qeIdentityDocument(signedPart(idKey, parseQeIdentity)));
      return ['qe-identity'];
    }
    if ('tcb_info' in doc || 'qe_identity' in doc || 'pck_crl' in doc) return addBundle(doc, ctx);
    return undefined;
  },
};

/** dcap-qvl's QuoteCollateralV3 layout: signed JSON as strings, signatures and CRLs as hex, chains as PEM. */
function addBundle(doc: Record<string, unknown>, ctx: RecogniseContext): string[] {
  const { into: set, source, cache } = ctx;
  const kinds: string[] = [];
  const str = (key: string) => (typeof doc[key] === 'string' ? (doc[key] as string) : undefined);
  // Issuer chains may be PEM or, copied from PCS response headers, URL-encoded PEM.
  const chain = (key: string) => (str(key) ? pemCertificates(pemText(str(key)!, key), cache) : []);
  const signedJson = <T>(key: string, parse: (v: unknown) => T): SignedJson<T> | undefined => {
    const body = str(key);
    if (body === undefined) return undefined;
    return {
      body: parse(JSON.parse(body)),
      signed: utf8.encode(body),
      signature: hexField(doc, `${key}_signature`, 64),
      chain: chain(`${key}_issuer_chain`),
      source,
    };
  };
  const tcb = signedJson('tcb_info', parseTcbInfo);
  if (tcb) {
    set.documents.push(tcbInfoDocument(tcb));
    kinds.push('tcb-info');
  }
  const qe = signedJson('qe_identity', parseQeIdentity);
  if (qe) {
    set.documents.push(qeIdentityDocument(qe));
    kinds.push('qe-identity');
  }
  for (const key of ['root_ca_crl', 'pck_crl']) {
    const der = bytesField(doc, key);
    if (!der) continue;
    set.crls.push({ crl: cache.crl(der), source: `${source}#${key}`, role: key === 'pck_crl' ? 'pck-crl' : 'root-ca-crl' });
    kinds.push(key);
  }
  set.certs.push(...chain('pck_crl_issuer_chain'));
  // The PCK chain of a quote whose certification data (types 1-4) does not carry it.
  const pck = chain('pck_certificate_chain');
  if (pck.length > 0) {
    set.certs.push(...pck);
    kinds.push('pck-certificate-chain');
  }
  return kinds;
}

function hexField(doc: Record<string, unknown>, key: string, length: number): Uint8Array {
  const v = doc[key];
  const bytes = typeof v === 'string' ? fromHex(v) : undefined;
  if (!bytes || bytes.length !== length) throw new TeeError('MALFORMED_COLLATERAL', `"${key}" must be ${length} bytes of hex`, { field: key });
  return bytes;
}

/** A DER blob given as hex, PEM or an array of byte values. */
function bytesField(doc: Record<string, unknown>, key: string): Uint8Array | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const hex = fromHex(v.trim());
    if (hex) return hex;
    const pem = looksLikePem(v) ? pemBlocks(v, 'MALFORMED_COLLATERAL')[0]?.der : undefined;
    if (pem) return pem;
  }
  if (Array.isArray(v) && v.length <= MAX_COLLATERAL_FILE && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Uint8Array.from(v as number[]);
  throw new TeeError('MALFORMED_COLLATERAL', `"${key}" must be DER as hex, PEM or a byte array`, { field: key });
}
