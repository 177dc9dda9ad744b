import { TEE_MODULES } from '../tee/registry.js';
/**
 * Cheap sniffers for evidence formats that are recognised but not verified yet (Azure HCL reports, trustee's
 * az-*-vtpm and TPM evidence JSON are modules' now: app/tee/azure-vtpm, app/tee/tpm), so that the user is told
 * what the file is ("an Azure HCL report: not supported yet") instead of "malformed" or "not recognised".
 * Each looks at a few fixed bytes or JSON member names only; none of them parses or trusts anything.
 */

export interface Sniffed {
  /** Stable id of the format, for tests and the report. */
  format: string;
  /** What the user is told the file is. */
  name: string;
}

const ascii = (b: Uint8Array, at: number, s: string) => s.length <= b.length - at && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

type BinarySniffer = [Sniffed, (b: Uint8Array) => boolean];

const BINARY: readonly BinarySniffer[] = [
  // TPM 2.0 TPMS_ATTEST: TPM_GENERATED_VALUE 0xFF544347 ("\xffTCG"), bare or inside a TPM2B (2-byte size first).
  [{ format: 'tpm-attest', name: 'a TPM 2.0 quote (TPMS_ATTEST)' }, (b) => (b[0] === 0xff && ascii(b, 1, 'TCG')) || (b[2] === 0xff && ascii(b, 3, 'TCG'))],
  // ACPI CCEL table (the pointer to a TDX guest's CC event log).
  [{ format: 'acpi-ccel', name: 'an ACPI CCEL table (it points to a TDX CC event log)' }, (b) => ascii(b, 0, 'CCEL')],
  // TCG PC Client log: a SHA-1 TCG_PCR_EVENT header (EV_NO_ACTION, zero digest) holding the Spec ID event.
  [{ format: 'tcg-eventlog', name: 'a TCG / CC event log (TPM measured boot or TDX CCEL)' }, isTcgLog],
  // SPDM GET_MEASUREMENTS request (version 1.0 to 1.3, code 0xE0), as NVIDIA GPU attestation reports begin.
  [
    { format: 'spdm-measurements', name: 'an SPDM measurement report (e.g. an NVIDIA GPU attestation report)' },
    (b) => b.length > 40 && b[0]! >= 0x10 && b[0]! <= 0x13 && b[1] === 0xe0,
  ],
  // Arm CCA attestation token: CBOR tag 399 (0xd9 0x01 0x8f).
  [{ format: 'cca-token', name: 'an Arm CCA attestation token' }, (b) => b[0] === 0xd9 && b[1] === 0x01 && b[2] === 0x8f],
  // AWS Nitro Enclaves attestation document: a COSE_Sign1 whose payload names module_id and cabundle.
  [
    { format: 'nitro-document', name: 'an AWS Nitro Enclaves attestation document' },
    (b) => isCoseSign1(b) && contains(b, 'module_id') && contains(b, 'cabundle'),
  ],
  [{ format: 'cose-sign1', name: 'a COSE_Sign1 token (as Arm CCA, PSA or Nitro evidence is signed)' }, isCoseSign1],
];

function isTcgLog(b: Uint8Array): boolean {
  return tcgLogSignature(b)?.startsWith('Spec ID Event') === true;
}

/**
 * The signature of a TCG log's Spec ID event ("Spec ID Event03" for crypto-agile logs), when the bytes begin
 * with a SHA-1 TCG_PCR_EVENT header (EV_NO_ACTION, zero digest); undefined otherwise.
 */
export function tcgLogSignature(b: Uint8Array): string | undefined {
  if (b.length < 48 || u32le(b, 4) !== 3) return undefined;
  for (let i = 8; i < 28; i++) if (b[i] !== 0) return undefined;
  return String.fromCharCode(...b.subarray(32, 47));
}

/** COSE_Sign1: tag 18 (0xd2) before a 4-element array, or the bare array with a byte-string protected header. */
function isCoseSign1(b: Uint8Array): boolean {
  const at = b[0] === 0xd2 ? 1 : 0;
  return b.length > 16 && b[at] === 0x84 && b[at + 1]! >= 0x40 && b[at + 1]! <= 0x5b;
}

function contains(b: Uint8Array, s: string): boolean {
  const limit = Math.min(b.length, 64 * 1024);
  for (let i = 0; i + s.length <= limit; i++) if (ascii(b, i, s)) return true;
  return false;
}

export function sniffBinary(bytes: Uint8Array): Sniffed | undefined {
  return BINARY.find(([, test]) => test(bytes))?.[0];
}

type Doc = Record<string, unknown>;
const has = (d: Doc, ...keys: string[]) => keys.every((k) => k in d);
const obj = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

const JSON_SNIFFERS: readonly [Sniffed, (d: Doc) => boolean][] = [
  // go-tpm-tools' Attestation (GCP): an AK, TPM quotes and an event log, without the AK certificate chain read here.
  [{ format: 'tpm-attestation', name: 'a go-tpm-tools TPM attestation (AK, quotes, event log)' }, (d) => has(d, 'akPub', 'quotes')],
  [{ format: 'tpm-quote-json', name: 'a TPM 2.0 quote ({signature, message, pcrs})' }, (d) => has(d, 'signature', 'message', 'pcrs')],
  // trustee's CsvEvidence: a Hygon CSV report with its HSK / CEK / PEK certificate chain.
  [{ format: 'hygon-csv', name: 'Hygon CSV evidence' }, (d) => obj(d['cert_chain']) && has(d['cert_chain'] as Doc, 'hsk', 'cek')],
  [{ format: 'nvidia-gpu-evidence', name: 'NVIDIA GPU evidence' }, (d) => has(d, 'evidence', 'certificate') && typeof d['arch'] === 'string'],
  [{ format: 'cca-token-json', name: 'an Arm CCA attestation token' }, (d) => has(d, 'cca-platform-token') || has(d, 'cca-realm-delegated-token')],
];

export function sniffJson(doc: unknown): Sniffed | undefined {
  return obj(doc) ? JSON_SNIFFERS.find(([, test]) => test(doc))?.[0] : undefined;
}

/** What the registry's modules verify, in words ("Intel SGX, Intel TDX and AMD SEV-SNP evidence"); read at call time. */
export function supportedNames(): string {
  const names = TEE_MODULES.flatMap((m) => m.technologies.map((t) => t.name));
  return `${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no')} evidence`;
}

/** The message every front end shows for a sniffed format. */
export function unsupportedMessage(s: Sniffed): string {
  return `this looks like ${s.name}: recognised, but not supported yet; TEE Inspector verifies ${supportedNames()}`;
}
