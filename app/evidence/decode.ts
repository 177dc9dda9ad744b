import { TeeError } from '../errors.js';
import { fromHex } from '../bytes/hex.js';
import { fromBase64 } from '../bytes/base64.js';
import { detectModule, TEE_MODULES } from '../tee/registry.js';
import type { Evidence, EvidencePart, NeedKeyOptions, TeeModule } from '../tee/module.js';
import { sniffBinary, sniffJson, unsupportedMessage } from './sniff.js';
import type { Sniffed } from './sniff.js';

export type EvidenceEncoding = 'binary' | 'hex' | 'base64' | 'json';

export interface DecodedEvidence {
  /** The primary evidence, as its module verifies it. */
  bytes: Uint8Array;
  /** What travelled with it: an appended SNP certificate table, a trustee SnpEvidence cert_chain. */
  parts: EvidencePart[];
  encoding: EvidenceEncoding;
  module: TeeModule;
  /** The collateral parts as files (loaded beside the supplied collateral); absent when there are none. */
  certs?: { name: string; bytes: Uint8Array }[];
}

/** The evidence a module's verify() takes. */
export function evidenceOf(d: DecodedEvidence): Evidence {
  return { primary: d.bytes, parts: d.parts };
}

/**
 * What decides the collateral this evidence needs, as its module says (DCAP: the PCS URLs; SEV-SNP: chip,
 * reported TCB, key and product): equal keys need the same collateral, so a fleet can share one lookup.
 * Undefined when the module cannot read its evidence: the key only decides sharing, and the verifier
 * reports what is wrong with the evidence itself.
 */
export function collateralNeedKey(d: DecodedEvidence, o: NeedKeyOptions = {}): string | undefined {
  try {
    return `${d.module.id}:${d.module.collateralNeedKey(d.bytes, o)}`;
  } catch {
    return undefined;
  }
}

/**
 * JSON members that carry the evidence itself in the bundles we accept (ours, trustee, go-tdx-guest
 * tooling, dstack): generic names, with those the modules add (a technology's own, "tdQuote") after "quote".
 */
const EVIDENCE_KEYS = [
  'quote',
  ...TEE_MODULES.flatMap((m) => m.envelopes?.evidenceKeys ?? []),
  'evidence',
  'report',
  'attestationReport',
  'attestation_report',
];
/**
 * Wrappers around such a bundle: the modules' (GCP's `{"tdx": {"quote": …}}` / `{"sevSnp": {"report": …}}`,
 * go-tpm-tools' Attestation in JSON), then dstack's and Phala Cloud's `{"attestation": …}` / `{"instances": [ … ]}`.
 */
const WRAPPER_KEYS = [...TEE_MODULES.flatMap((m) => m.envelopes?.wrapperKeys ?? []), 'attestation', 'instances'];
const MAX_DEPTH = 3;
const MAX_EVIDENCE = 16 * 1024 * 1024;

/** Raw bytes, hex text, base64 text, or a JSON bundle holding one of them: detected, never guessed from a file name. */
export function decodeEvidence(input: Uint8Array): DecodedEvidence {
  if (input.length > MAX_EVIDENCE) throw new TeeError('MALFORMED_EVIDENCE', `evidence is larger than ${MAX_EVIDENCE} bytes`);
  const raw = detectModule(input);
  if (raw) return unwrapped(input, 'binary', raw);
  unsupported(sniffBinary(input));
  const text = new TextDecoder().decode(input).trim();
  const fromText = decodeText(text);
  if (fromText) return fromText;
  if (text.startsWith('{')) return decodeJson(text);
  throw new TeeError(
    'MALFORMED_EVIDENCE',
    'not recognised as attestation evidence: expected a binary quote or report, hex or base64 text of one, or a JSON evidence bundle',
    { field: 'evidence', offset: 0 },
  );
}

/** The evidence proper, and what travelled appended to it, as the module splits them. */
function unwrapped(bytes: Uint8Array, encoding: EvidenceEncoding, module: TeeModule): DecodedEvidence {
  return decoded(module.unwrap?.(bytes) ?? { primary: bytes, parts: [] }, encoding, module);
}

function decoded(e: Evidence, encoding: EvidenceEncoding, module: TeeModule): DecodedEvidence {
  const carried = e.parts.filter((p) => p.kind === 'collateral').map(({ name, bytes }) => ({ name, bytes }));
  return { bytes: e.primary, parts: [...e.parts], encoding, module, ...(carried.length ? { certs: carried } : {}) };
}

/** Throws UNSUPPORTED_EVIDENCE naming the format, when a sniffer recognised one. */
function unsupported(s: Sniffed | undefined): void {
  if (s) throw new TeeError('UNSUPPORTED_EVIDENCE', unsupportedMessage(s), { format: s.format });
}

/** What a text names, when it is hex or base64 of a format we recognise without supporting it. */
export function sniffText(text: string): Sniffed | undefined {
  const { hex, b64 } = textBytes(text);
  return (hex && sniffBinary(hex)) || (b64 && sniffBinary(b64)) || undefined;
}

function textBytes(text: string): { hex?: Uint8Array | undefined; b64?: Uint8Array | undefined } {
  const compact = text.replace(/\s+/g, '').replace(/^0x/i, '');
  const hex = /^[0-9a-fA-F]+$/.test(compact) ? fromHex(compact) : undefined;
  const b64 = /^[A-Za-z0-9+/_-]+=*$/.test(compact) ? fromBase64(compact) : undefined;
  return { hex, b64 };
}

function decodeText(text: string): DecodedEvidence | undefined {
  const { hex, b64 } = textBytes(text);
  const hexModule = hex && detectModule(hex);
  if (hex && hexModule) return unwrapped(hex, 'hex', hexModule);
  const b64Module = b64 && detectModule(b64);
  if (b64 && b64Module) return unwrapped(b64, 'base64', b64Module);
  unsupported(sniffText(text));
  return undefined;
}

function decodeJson(text: string): DecodedEvidence {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TeeError('MALFORMED_EVIDENCE', `evidence JSON does not parse: ${(e as Error).message}`);
  }
  const found = fromDoc(doc, 0);
  if (found) return found;
  throw new TeeError(
    'MALFORMED_EVIDENCE',
    `evidence JSON holds no recognised quote or report (looked for ${EVIDENCE_KEYS.join(', ')}, also inside ${WRAPPER_KEYS.join(', ')})`,
  );
}

function fromDoc(doc: unknown, depth: number): DecodedEvidence | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || depth > MAX_DEPTH) return undefined;
  unsupported(sniffJson(doc));
  for (const module of TEE_MODULES) {
    const e = module.envelopes?.decode?.(doc);
    if (e) return decoded(e, 'json', module);
  }
  const d = doc as Record<string, unknown>;
  for (const key of EVIDENCE_KEYS) {
    const v = d[key];
    const found = typeof v === 'string' ? decodeText(v.trim()) : undefined;
    if (found) return { ...found, encoding: 'json' };
  }
  for (const key of WRAPPER_KEYS) {
    const found = fromDoc(wrapped(d[key], key), depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A wrapper's inner object; a list (Phala Cloud's instances) is taken only when it holds exactly one. */
function wrapped(v: unknown, key: string): unknown {
  if (!Array.isArray(v)) return v;
  if (v.length > 1)
    throw new TeeError('USAGE_ERROR', `the evidence JSON's "${key}" lists ${v.length} instances: save one instance's evidence and verify it alone`);
  return v[0];
}
