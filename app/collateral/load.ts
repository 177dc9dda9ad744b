import { TeeError, toTeeError } from '../errors.js';
import { fromHex } from '../bytes/hex.js';
import { pemBlocks, looksLikePem } from '../pki/pem.js';
import type { PkiCache } from '../pki/cache.js';
import { topLevelSpans } from '../json/signed-spans.js';
import type { CollateralFile, CollateralSet, CollateralSource } from './types.js';
import { sniffBinary, sniffJson, unsupportedMessage } from '../evidence/sniff.js';
import { detectModule, TEE_MODULES } from '../tee/registry.js';
import { emptyCollateral } from './types.js';
import { looksLikeEncodedPem, percentDecode } from './percent.js';
import { MAX_COLLATERAL_FILE as MAX_FILE } from './recognise.js';
import type { CollateralRecogniser, RecogniseContext } from './recognise.js';

const text = new TextDecoder();

/**
 * Recognises each collateral file by its content (each module's own formats, see TeeModule.collateral;
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
  into.documents.push(...parsed.documents);
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
  if (err.detail['unrecognised'] !== true)
    return { ...base, status: 'broken', code: err.code, note: `looks like collateral but cannot be used: ${err.message}` };
  if (detectModule(file.bytes))
    return { ...base, status: 'ignored', note: 'this is attestation evidence (a quote or report), not collateral: verify it on its own' };
  const looks = sniffCollateral(file.bytes);
  return {
    ...base,
    status: 'ignored',
    note: looks
      ? `not collateral: ${unsupportedMessage(looks)}`
      : 'not recognised as collateral (PCS/PCCS JSON, a collateral bundle, a certificate, a CRL or an SNP certificate table); not used',
  };
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
 * distinct file is parsed once per set of parse caches (the verifier's, or ones it shares), keyed by name
 * and content. The parsed items are immutable; signatures over them are still verified by each verifier.
 */
function parseFileOnce(file: CollateralFile, cache: PkiCache): CollateralSet {
  const hit = cache.parsed.collateralFiles.get(file.bytes, file.name);
  if (hit) return hit;
  const set = emptyCollateral();
  const kinds = addFile(set, file, cache);
  set.sources.push({ name: file.name, kinds, bytes: file.bytes, items: [...set.documents, ...set.crls.map((c) => c.crl), ...set.certs] });
  cache.parsed.collateralFiles.set(file.bytes, set, file.name);
  return set;
}

/** Every module's collateral recognisers, in registry order (read per call: the registry imports this file's importers). */
function recognisers(): CollateralRecogniser[] {
  return TEE_MODULES.flatMap((m) => m.collateral ?? []);
}

function addFile(set: CollateralSet, file: CollateralFile, cache: PkiCache): string[] {
  const bytes = file.bytes;
  const ctx: RecogniseContext = { source: file.name, cache, into: set };
  const first = firstNonSpace(bytes);
  if (first === 0x7b) return addJson(bytes, ctx);
  if (first === 0x30 && bytes[0] === 0x30) return [addDer(set, bytes, file.name, cache)];
  for (const r of recognisers()) {
    const kinds = r.binary?.(bytes, ctx);
    if (kinds) return kinds;
  }
  const str = text.decode(bytes).replace(/\0+$/, '').trim();
  // Binary files that merely embed PEM (a quote carries its PCK chain) are not collateral files.
  if (isPlainText(str) && looksLikePem(str)) return addPem(set, str, file.name, cache);
  // An issuer chain saved from a PCS response header is URL-encoded PEM; decoded strictly.
  if (looksLikeEncodedPem(str)) return addPem(set, percentDecode(str, file.name), file.name, cache);
  const der = fromHex(str);
  if (der && der[0] === 0x30) return [addDer(set, der, file.name, cache)];
  throw new TeeError('MALFORMED_COLLATERAL', 'not recognised as collateral (expected PCS/PCCS JSON, a collateral bundle, or a PEM/DER certificate or CRL)', {
    unrecognised: true,
  });
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

function addJson(bytes: Uint8Array, ctx: RecogniseContext): string[] {
  const spans = topLevelSpans(bytes);
  const doc = JSON.parse(text.decode(bytes)) as Record<string, unknown>;
  for (const r of recognisers()) {
    const kinds = r.json?.({ bytes, spans, doc }, ctx);
    if (kinds) return kinds;
  }
  throw new TeeError(
    'MALFORMED_COLLATERAL',
    'JSON is not collateral that any module recognises (such as a PCS TCB info or QE identity body, or a collateral bundle)',
    { unrecognised: true },
  );
}

function isPlainText(s: string): boolean {
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(s);
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}
