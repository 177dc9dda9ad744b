import { readReferenceFile } from '../appraisal/signed-reference.js';
import type { ReferenceValues } from '../appraisal/reference.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { webCryptoProvider } from '../crypto/webcrypto.js';
import { fromBase64, toBase64 } from '../bytes/base64.js';
import { fromHex } from '../bytes/hex.js';
import { TeeError, toTeeError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { Verifier } from '../verifier.js';
import { ATTACHMENT_ROLES } from '../tee/module.js';
import type { AttachmentRole } from '../tee/module.js';
import { trustBoundaryView } from './boundary.js';
import { canonical, differences, summarise } from './compare.js';
import type { RecheckSummary } from './compare.js';
import { sha256Hex } from './report.js';
import type { ReportInput, ReportV2 } from './report.js';
import type { ReferenceSummary, VerificationResult } from './result.js';
import { threatsView } from './threats.js';

export type { RecheckSummary } from './compare.js';

export const RECHECK_SCHEMA = 'tee-inspect/recheck/v1';

export interface RecheckError {
  code: ErrorCode;
  message: string;
  /** The input the error is about, by its name in the report. */
  input?: string;
}

export interface RecheckOutcome {
  schema: typeof RECHECK_SCHEMA;
  agrees: boolean;
  /** The time the evidence was re-verified at: the recorded result.at unless the caller chose another. */
  at: string;
  recorded: RecheckSummary;
  recomputed: RecheckSummary | null;
  errors: RecheckError[];
}

interface Rebuilt {
  input: ReportInput;
  bytes: Uint8Array;
}

export interface RecheckOptions {
  /** Re-verify at this time instead of the recorded result.at. */
  at?: Date;
  /** For a signed reference file's signature (default WebCrypto); the verifier has its own for the evidence. */
  crypto?: CryptoProvider;
}

/**
 * Rebuilds every input from its data, checks its digest and size, re-verifies at the recorded time with the
 * verifier given (the caller's crypto, no network: createVerifier never fetches), and compares. Pure but for
 * the verifier; `at` replaces the recorded time, e.g. to ask whether the same evidence still verifies today.
 * A signed reference file recorded as verified is verified again with the key the report recorded.
 */
/**
 * A verifier that keeps the last result it computed: recheck compares the recomputed result with the recorded one
 * but returns only a summary, and the callers that show or reuse the recomputed result need it whole.
 */
export function recordingVerifier(inner: Verifier): { verifier: Verifier; recomputed: () => VerificationResult | undefined } {
  let last: VerificationResult | undefined;
  const verifier: Verifier = {
    loadCollateral: (files) => inner.loadCollateral(files),
    verify: async (evidence, collateral, options) => (last = await inner.verify(evidence, collateral, options)),
  };
  return { verifier, recomputed: () => last };
}

export async function recheckReport(report: ReportV2, verifier: Verifier, opts: RecheckOptions = {}): Promise<RecheckOutcome> {
  const at = opts.at ?? new Date(Date.parse(report.result.at));
  const errors: RecheckError[] = [];
  const rebuilt = report.inputs.map((input) => rebuild(input, errors));
  errors.push(...unlisted(report));
  const recorded = summarise(report.result);
  const out = (recomputed: RecheckSummary | null): RecheckOutcome => ({
    schema: RECHECK_SCHEMA,
    agrees: errors.length === 0,
    at: at.toISOString().replace(/\.000Z$/, 'Z'),
    recorded,
    recomputed,
    errors,
  });
  if (rebuilt.some((r) => r === undefined)) return out(null);
  let result: VerificationResult;
  try {
    const values = await referenceValues(report, rebuilt as Rebuilt[], opts.crypto ?? webCryptoProvider());
    result = await reverify(report, rebuilt as Rebuilt[], verifier, at, values);
  } catch (e) {
    const err = toTeeError(e);
    errors.push({ code: err.code, message: `could not re-verify: ${err.message}` });
    return out(null);
  }
  const recomputed = summarise(result);
  for (const d of differences(recorded, recomputed)) errors.push({ code: 'REPORT_MISMATCH', message: d });
  errors.push(...referenceDifferences(report.result.appraisal.reference, result.appraisal.reference));
  errors.push(...derivedDifferences(report, result));
  return out(recomputed);
}

/**
 * The reference file read as verify read it: with the recorded key when the report says its signature was
 * verified. A signature that no longer verifies (or a recorded key that is no key) means the report was altered.
 */
async function referenceValues(report: ReportV2, files: readonly Rebuilt[], crypto: CryptoProvider): Promise<ReferenceValues | undefined> {
  const reference = files.find((f) => f.input.role === 'reference');
  if (!reference) return undefined;
  const publicKeyPem = recordedKey(report.result.appraisal.reference);
  try {
    return await readReferenceFile(reference.bytes, { crypto, ...(publicKeyPem !== undefined ? { publicKeyPem } : {}) });
  } catch (e) {
    const err = toTeeError(e);
    if (publicKeyPem === undefined || err.code === 'INTERNAL_ERROR') throw err;
    throw new TeeError(
      'REPORT_MISMATCH',
      `the report says reference file "${reference.input.name}" was signed by the recorded key, but it does not verify with it (${err.code}: ${err.message}): the report was altered`,
    );
  }
}

/** result.appraisal.reference is not validated by the report parser: only a well-typed verified record names a key. */
function recordedKey(ref: ReferenceSummary | undefined): string | undefined {
  const sig: unknown = ref?.signature;
  if (typeof sig !== 'object' || sig === null) return undefined;
  const { verified, publicKeyPem } = sig as Record<string, unknown>;
  return verified === true && typeof publicKeyPem === 'string' ? publicKeyPem : undefined;
}

/**
 * Which set, digest and signature the report records for its reference file must be those recomputed. Members a
 * report written before they existed lacks (sha256, signature) are compared only when recorded.
 */
function referenceDifferences(recorded: ReferenceSummary | undefined, recomputed: ReferenceSummary | undefined): RecheckError[] {
  if (recorded === undefined && recomputed === undefined) return [];
  const pick = (r: ReferenceSummary | undefined) =>
    r && {
      name: r.name,
      set: r.set,
      matched: r.matched,
      ...(recorded?.sha256 !== undefined ? { sha256: r.sha256 } : {}),
      ...(recorded?.signature !== undefined ? { signature: r.signature } : {}),
    };
  if (canonical(pick(recorded)) === canonical(pick(recomputed))) return [];
  return [
    {
      code: 'REPORT_MISMATCH',
      message: `the reference summary (file, set, digest, signature) differs: recorded ${canonical(pick(recorded))}, recomputed ${canonical(pick(recomputed))}`,
    },
  ];
}

/** The bytes of one input, or undefined (with the reason recorded) when its data was altered. */
function rebuild(input: ReportInput, errors: RecheckError[]): Rebuilt | undefined {
  const bytes = fromBase64(input.data);
  const who = `input "${input.name}" (${input.role})`;
  // Canonical only: two spellings of the same bytes would let a report differ from what was signed.
  if (!bytes || toBase64(bytes) !== input.data) {
    errors.push({ code: 'REPORT_MISMATCH', message: `${who}: data is not canonical base64, so it is not the file that was verified`, input: input.name });
    return undefined;
  }
  if (bytes.length !== input.bytes)
    errors.push({ code: 'REPORT_MISMATCH', message: `${who}: data is ${bytes.length} bytes, the report says ${input.bytes}`, input: input.name });
  const digest = sha256Hex(bytes);
  if (digest !== input.sha256)
    errors.push({
      code: 'REPORT_MISMATCH',
      message: `${who}: data has SHA-256 ${digest}, the report says ${input.sha256}: the file was altered`,
      input: input.name,
    });
  return { input, bytes };
}

/** Every input the result lists must travel with the report, or the verification cannot be redone. */
function unlisted(report: ReportV2): RecheckError[] {
  return report.result.inputs
    .filter((i) => i.sha256 !== '' && !report.inputs.some((r) => r.name === i.name && r.sha256 === i.sha256))
    .map((i) => ({
      code: 'REPORT_MISMATCH' as const,
      message: `the result lists input "${i.name}" (${i.role}, SHA-256 ${i.sha256}) but the report carries no data with that name and digest`,
      input: i.name,
    }));
}

function isAttachmentRole(role: string): boolean {
  return (ATTACHMENT_ROLES as readonly string[]).includes(role);
}

async function reverify(
  report: ReportV2,
  files: readonly Rebuilt[],
  verifier: Verifier,
  at: Date,
  values: ReferenceValues | undefined,
): Promise<VerificationResult> {
  const evidence = files.find((f) => f.input.role === 'evidence')!;
  const reference = files.find((f) => f.input.role === 'reference');
  const attached = files.filter((f) => isAttachmentRole(f.input.role));
  const collateral = files.filter((f) => f !== evidence && f !== reference && !attached.includes(f)).map((f) => ({ name: f.input.name, bytes: f.bytes }));
  const attachments = attached.map((f) => ({ role: f.input.role as AttachmentRole, name: f.input.name, bytes: f.bytes }));
  const nonce = report.nonce !== undefined ? fromHex(report.nonce) : undefined;
  return verifier.verify(evidence.bytes, collateral, {
    at,
    evidenceName: evidence.input.name,
    ...(attachments.length ? { attachments } : {}),
    ...(nonce ? { nonce } : {}),
    ...(report.product ? { product: report.product } : {}),
    ...(report.requireRevocation ? { requireRevocation: true } : {}),
    ...(values && reference ? { reference: values, referenceFile: { name: reference.input.name, bytes: reference.bytes } } : {}),
  });
}

/** The inputs' roles, the trust boundary and the threats are derived from the result: recomputed, they must be equal. */
function derivedDifferences(report: ReportV2, result: VerificationResult): RecheckError[] {
  const errors: RecheckError[] = [];
  const roles = (r: VerificationResult) => canonical(r.inputs.map((i) => [i.name, i.role, i.sha256, i.bytes]));
  if (roles(report.result) !== roles(result))
    errors.push({ code: 'REPORT_MISMATCH', message: 'the inputs listed in the result (names, roles, digests) differ from those recomputed' });
  const boundary = trustBoundaryView(result);
  if (canonical(report.trustBoundary) !== canonical(boundary))
    errors.push({ code: 'REPORT_MISMATCH', message: 'the trust boundary differs from the one recomputed from the evidence' });
  if (canonical(report.threats) !== canonical(threatsView(result, boundary)))
    errors.push({ code: 'REPORT_MISMATCH', message: 'the threat rows differ from those recomputed from the evidence' });
  return errors;
}
