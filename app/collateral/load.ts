import { TeeError, toTeeError } from '../errors.js';
import { fromHex, latin1Key } from '../bytes/hex.js';
import { pemBlocks, looksLikePem } from '../pki/pem.js';
import type { PkiCache } from '../pki/cache.js';
import type { Certificate } from '../pki/x509.js';
import { topLevelSpans } from '../json/signed-spans.js';
import { parseTcbInfo } from '../tee/dcap/tcb-info.js';
import { parseQeIdentity } from '../tee/dcap/qe-identity.js';
import { looksLikeCertTable, parseCertTable } from '../tee/snp/cert-table.js';
import type { CollateralFile, CollateralSet, CollateralSource, SignedJson } from './types.js';
import { sniffBinary, sniffJson, unsupportedMessage } from '../evidence/sniff.js';
import { detectModule } from '../tee/registry.js';
import { emptyCollateral } from './types.js';
import { looksLikeEncodedPem, pemText, percentDecode } from './percent.js';

const MAX_FILE = 8 * 1024 * 1024;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * Recognises each collateral file by its content (dcap-qvl bundle JSON, raw Intel PCS bodies,
 * PEM or DER certificates and CRLs, hex DER as PCCS serves the root CA CRL) and parses it once.
 * Strict: throws TeeError MALFORMED_COLLATERAL naming the file when a file is not collateral (for
 * fetched answers, which must be what was asked for).
 */
export function loadCollateral(files: readonly CollateralFile[], cache: PkiCache, into: CollateralSet = emptyCollateral()): CollateralSet {
  for (const file of files) {
    const parsed = parseOrExplain(file, cache);
    if (parsed instanceof TeeError) throw parsed;
    addSet(into, parsed);
  }
  return into;
}

/**
 * The user's files, tolerantly: a file that is not collateral is recorded as `ignored` (with what it looks
 * like) and one that looks like collateral but does not parse as `broken`, each with a note; neither stops
 * the others from being used. The verifier reports both.
 */
export function loadSuppliedCollateral(files: readonly CollateralFile[], cache: PkiCache, into: CollateralSet = emptyCollateral()): CollateralSet {
  for (const file of files) {
    const parsed = parseOrExplain(file, cache);
    if (parsed instanceof TeeError) into.sources.push(unusable(file, parsed));
    else addSet(into, parsed);
  }
  return into;
}

function addSet(into: CollateralSet, parsed: CollateralSet): void {
  into.tcbInfos.push(...parsed.tcbInfos);
  into.qeIdentities.push(...parsed.qeIdentities);
  into.crls.push(...parsed.crls);
  into.certs.push(...parsed.certs);
  into.sources.push(...parsed.sources);
}

/** The file's parsed items, or the typed reason it gives none (bugs of ours stay INTERNAL_ERROR). */
function parseOrExplain(file: CollateralFile, cache: PkiCache): CollateralSet | TeeError {
  try {
    if (file.bytes.length > MAX_FILE) throw new TeeError('MALFORMED_COLLATERAL', `larger than ${MAX_FILE} bytes`);
    return parseFileOnce(file, cache);
  } catch (e) {
    const err = e instanceof SyntaxError ? new TeeError('MALFORMED_COLLATERAL', `JSON does not parse: ${e.message}`) : toTeeError(e);
    const code = err.code === 'MALFORMED_EVIDENCE' ? 'MALFORMED_COLLATERAL' : err.code;
    return new TeeError(code, `${file.name}: ${err.message}`, { ...err.detail, file: file.name });
  }
}

function unusable(file: CollateralFile, err: TeeError): CollateralSource {
  const base = { name: file.name, kinds: [], bytes: file.bytes };
  if (err.code === 'INTERNAL_ERROR') return { ...base, status: 'broken', code: err.code, note: err.message };
  if (err.detail['unrecognised'] !== true) return { ...base, status: 'broken', code: err.code, note: `looks like collateral but cannot be used: ${err.message}` };
  if (detectModule(file.bytes)) return { ...base, status: 'ignored', note: 'this is attestation evidence (a quote or report), not collateral: verify it on its own' };
  const looks = sniffCollateral(file.bytes);
  return { ...base, status: 'ignored', note: looks ? `not collateral: ${unsupportedMessage(looks)}` : 'not recognised as collateral (PCS/PCCS JSON, a collateral bundle, a certificate, a CRL or an SNP certificate table); not used' };
}

function sniffCollateral(bytes: Uint8Array) {
  const binary = sniffBinary(bytes);
  if (binary) return binary;
  const str = text.decode(bytes.subarray(0, 1 << 20)).trim();
  if (!str.startsWith('{')) return undefined;
  try {
    return sniffJson(JSON.parse(str));
  } catch {
    return undefined;
  }
}

/**
 * Collateral files recur verbatim across verifications (a fleet shares one FMSPC's TCB info), so each
 * distinct file is parsed once per process, keyed by name and content. The parsed items are immutable;
 * signatures over them are still verified by each verifier.
 */
const parsedFiles = new Map<string, CollateralSet>();
const PARSED_FILES_LIMIT = 256;

function parseFileOnce(file: CollateralFile, cache: PkiCache): CollateralSet {
  const key = `${file.name}\u0000${latin1Key(file.bytes)}`;
  const hit = parsedFiles.get(key);
  if (hit) return hit;
  const set = emptyCollateral();
  const kinds = addFile(set, file, cache);
  set.sources.push({ name: file.name, kinds, bytes: file.bytes, items: [...set.tcbInfos, ...set.qeIdentities, ...set.crls.map((c) => c.crl), ...set.certs] });
  if (parsedFiles.size >= PARSED_FILES_LIMIT) parsedFiles.clear();
  parsedFiles.set(key, set);
  return set;
}

export function clearCollateralParseCache(): void {
  parsedFiles.clear();
}

function addFile(set: CollateralSet, file: CollateralFile, cache: PkiCache): string[] {
  const bytes = file.bytes;
  const first = firstNonSpace(bytes);
  if (first === 0x7b) return addJson(set, bytes, file.name, cache);
  if (first === 0x30 && bytes[0] === 0x30) return [addDer(set, bytes, file.name, cache)];
  if (looksLikeCertTable(bytes)) return addCertTable(set, bytes, cache);
  const str = text.decode(bytes).replace(/\0+$/, '').trim();
  // Binary files that merely embed PEM (a quote carries its PCK chain) are not collateral files.
  if (isPlainText(str) && looksLikePem(str)) return addPem(set, str, file.name, cache);
  // An issuer chain saved from a PCS response header is URL-encoded PEM; decoded strictly.
  if (looksLikeEncodedPem(str)) return addPem(set, percentDecode(str, file.name), file.name, cache);
  const der = fromHex(str);
  if (der && der[0] === 0x30) return [addDer(set, der, file.name, cache)];
  throw new TeeError('MALFORMED_COLLATERAL', 'not recognised as collateral (expected PCS/PCCS JSON, a collateral bundle, or a PEM/DER certificate or CRL)', { unrecognised: true });
}

function addDer(set: CollateralSet, der: Uint8Array, source: string, cache: PkiCache): string {
  // A CRL's TBSCertList has no [0] version wrapper and its second element is an AlgorithmIdentifier; try CRL first, then certificate.
  try {
    set.crls.push({ crl: cache.crl(der), source });
    return 'crl';
  } catch {
    set.certs.push(cache.cert(der, 'MALFORMED_COLLATERAL'));
    return 'certificate';
  }
}

/** An AMD SEV-SNP certificate table (SNP_GET_EXT_REPORT): its VCEK/VLEK, ASK and ARK join the pool. */
function addCertTable(set: CollateralSet, bytes: Uint8Array, cache: PkiCache): string[] {
  const entries = parseCertTable(bytes);
  if (entries.length === 0) throw new TeeError('MALFORMED_COLLATERAL', 'the certificate table holds no known certificate');
  for (const e of entries) set.certs.push(cache.cert(e.der, 'MALFORMED_COLLATERAL'));
  return entries.map((e) => `cert-table:${e.kind}`);
}

function addPem(set: CollateralSet, pem: string, source: string, cache: PkiCache): string[] {
  const kinds: string[] = [];
  for (const block of pemBlocks(pem, 'MALFORMED_COLLATERAL')) {
    if (block.label === 'X509 CRL') {
      set.crls.push({ crl: cache.crl(block.der), source });
      kinds.push('crl');
    } else if (block.label === 'CERTIFICATE') {
      set.certs.push(cache.cert(block.der, 'MALFORMED_COLLATERAL'));
      kinds.push('certificate');
    }
  }
  if (kinds.length === 0) throw new TeeError('MALFORMED_COLLATERAL', 'PEM file holds no certificate or CRL');
  return kinds;
}

function pemCerts(pem: string, cache: PkiCache): Certificate[] {
  return pemBlocks(pem, 'MALFORMED_COLLATERAL').filter((b) => b.label === 'CERTIFICATE').map((b) => cache.cert(b.der, 'MALFORMED_COLLATERAL'));
}

function addJson(set: CollateralSet, bytes: Uint8Array, source: string, cache: PkiCache): string[] {
  const spans = topLevelSpans(bytes);
  const doc = JSON.parse(text.decode(bytes)) as Record<string, unknown>;
  const signature = () => hexField(doc, 'signature', 64);
  const cut = (key: string) => bytes.subarray(spans.get(key)!.start, spans.get(key)!.end);
  // The body is parsed from the very bytes whose signature is checked, so the two can never disagree.
  const signedPart = <T>(key: string, parse: (v: unknown) => T): SignedJson<T> => {
    const signed = cut(key);
    return { body: parse(JSON.parse(text.decode(signed))), signed, signature: signature(), chain: [], source };
  };
  if (spans.has('tcbInfo')) {
    set.tcbInfos.push(signedPart('tcbInfo', parseTcbInfo));
    return ['tcb-info'];
  }
  const idKey = spans.has('enclaveIdentity') ? 'enclaveIdentity' : spans.has('qeIdentity') ? 'qeIdentity' : undefined;
  if (idKey) {
    set.qeIdentities.push(signedPart(idKey, parseQeIdentity));
    return ['qe-identity'];
  }
  if ('tcb_info' in doc || 'qe_identity' in doc || 'pck_crl' in doc) return addBundle(set, doc, source, cache);
  throw new TeeError('MALFORMED_COLLATERAL', 'JSON is neither an Intel PCS TCB info / QE identity body nor a collateral bundle', { unrecognised: true });
}

/** dcap-qvl's QuoteCollateralV3 layout: signed JSON as strings, signatures and CRLs as hex, chains as PEM. */
function addBundle(set: CollateralSet, doc: Record<string, unknown>, source: string, cache: PkiCache): string[] {
  const kinds: string[] = [];
  const str = (key: string) => (typeof doc[key] === 'string' ? (doc[key] as string) : undefined);
  // Issuer chains may be PEM or, copied from PCS response headers, URL-encoded PEM.
  const chain = (key: string) => (str(key) ? pemCerts(pemText(str(key)!, key), cache) : []);
  const signedJson = <T>(key: string, parse: (v: unknown) => T): SignedJson<T> | undefined => {
    const body = str(key);
    if (body === undefined) return undefined;
    return { body: parse(JSON.parse(body)), signed: utf8.encode(body), signature: hexField(doc, `${key}_signature`, 64), chain: chain(`${key}_issuer_chain`), source };
  };
  const tcb = signedJson('tcb_info', parseTcbInfo);
  if (tcb) set.tcbInfos.push(tcb), kinds.push('tcb-info');
  const qe = signedJson('qe_identity', parseQeIdentity);
  if (qe) set.qeIdentities.push(qe), kinds.push('qe-identity');
  for (const key of ['root_ca_crl', 'pck_crl']) {
    const der = bytesField(doc, key);
    if (der) set.crls.push({ crl: cache.crl(der), source: `${source}#${key}`, role: key === 'pck_crl' ? 'pck-crl' : 'root-ca-crl' }), kinds.push(key);
  }
  set.certs.push(...chain('pck_crl_issuer_chain'));
  // The PCK chain of a quote whose certification data (types 1-4) does not carry it.
  const pck = chain('pck_certificate_chain');
  if (pck.length > 0) set.certs.push(...pck), kinds.push('pck-certificate-chain');
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
  if (Array.isArray(v) && v.length <= MAX_FILE && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Uint8Array.from(v as number[]);
  throw new TeeError('MALFORMED_COLLATERAL', `"${key}" must be DER as hex, PEM or a byte array`, { field: key });
}

function isPlainText(s: string): boolean {
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(s);
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}
