import { ByteReader } from '../../../bytes/reader.js';
import { EFI_CERT_SHA256, EFI_CERT_X509, guidText } from './guid.js';
import type { SignatureCounts } from './types.js';

/** EFI_SIGNATURE_LIST header: SignatureType GUID, ListSize, HeaderSize, SignatureSize (UEFI 2.10, 32.4.1). */
const LIST_HEADER = 28;
/** EFI_SIGNATURE_DATA starts with the owner GUID. */
const OWNER = 16;

/**
 * Counts the entries of a signature database (PK, KEK, db, dbx): X.509 certificates, SHA-256 hashes and
 * others. Every list size is checked against what remains; a list whose sizes do not add up is a ParseError.
 */
export function countSignatures(data: Uint8Array): SignatureCounts {
  const r = new ByteReader(data);
  const counts: SignatureCounts = { x509: 0, sha256: 0, other: 0, lists: 0 };
  while (r.remaining > 0) {
    const at = r.offset;
    const type = guidText(r.take(16, 'signatureList.type'));
    const listSize = r.u32('signatureList.listSize');
    const headerSize = r.u32('signatureList.headerSize');
    const size = r.u32('signatureList.signatureSize');
    if (listSize < LIST_HEADER + headerSize)
      r.fail(`signature list of ${listSize} bytes cannot hold its ${headerSize}-byte header`, 'signatureList.listSize', at);
    if (size < OWNER) r.fail(`signature size ${size} is smaller than its owner GUID`, 'signatureList.signatureSize', at);
    r.take(listSize - LIST_HEADER, 'signatureList.signatures');
    const body = listSize - LIST_HEADER - headerSize;
    if (body % size !== 0) r.fail(`signature list body of ${body} bytes is not a whole number of ${size}-byte signatures`, 'signatureList.signatureSize', at);
    const n = body / size;
    if (type === EFI_CERT_X509) counts.x509 += n;
    else if (type === EFI_CERT_SHA256) counts.sha256 += n;
    else counts.other += n;
    counts.lists++;
  }
  return counts;
}

/** The X.509 certificates (DER, views into the data) of a signature database, in order. */
export function x509Signatures(data: Uint8Array): Uint8Array[] {
  const r = new ByteReader(data);
  const out: Uint8Array[] = [];
  while (r.remaining > 0) {
    const type = guidText(r.take(16, 'signatureList.type'));
    const listSize = r.u32('signatureList.listSize');
    const headerSize = r.u32('signatureList.headerSize');
    const size = r.u32('signatureList.signatureSize');
    const list = new ByteReader(r.take(listSize - LIST_HEADER, 'signatureList.signatures'));
    list.take(headerSize, 'signatureList.header');
    while (type === EFI_CERT_X509 && list.remaining >= size && size > OWNER) out.push(list.take(size, 'signature').subarray(OWNER));
  }
  return out;
}

export function describeCounts(c: SignatureCounts): string {
  const parts = [`${c.x509} X.509 certificate${c.x509 === 1 ? '' : 's'}`, `${c.sha256} SHA-256 hash${c.sha256 === 1 ? '' : 'es'}`];
  if (c.other) parts.push(`${c.other} other`);
  return parts.join(', ');
}
