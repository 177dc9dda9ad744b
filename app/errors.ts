/**
 * The closed union of error codes. Evidence codes are exactly the `errorClasses` of
 * shared/vectors/manifest.json; the rest cover missing collateral, golden values and acquisition.
 */
export const ERROR_CODES = [
  'MALFORMED_EVIDENCE',
  'QUOTE_SIGNATURE_INVALID',
  'QE_REPORT_SIGNATURE_INVALID',
  'QE_REPORT_DATA_MISMATCH',
  'CERT_CHAIN_INVALID',
  'CERT_EXPIRED',
  'CERT_REVOKED',
  'COLLATERAL_SIGNATURE_INVALID',
  'COLLATERAL_EXPIRED',
  'COLLATERAL_MISMATCH',
  'QE_IDENTITY_MISMATCH',
  'TCB_LEVEL_NOT_FOUND',
  'TCB_REVOKED',
  'REPORT_SIGNATURE_INVALID',
  'TCB_MISMATCH',
  'DEBUG_ENABLED',
  'BINDING_MISMATCH',
  'NONCE_MISMATCH',
  'TPM_SIGNATURE_INVALID',
  'PCR_DIGEST_MISMATCH',
  'EVENTLOG_REPLAY_MISMATCH',
  'COLLATERAL_MISSING',
  'MALFORMED_COLLATERAL',
  'REFERENCE_MISMATCH',
  // A reference-values (golden values) file that does not follow tee-inspect/reference/v1; the message names the JSON path.
  'MALFORMED_REFERENCE',
  // A reference file that is not signed while a reference key (--reference-key) asks for a signed one: refused before verifying.
  'REFERENCE_UNSIGNED',
  // A signed reference file whose signature does not verify with the reference key given: altered, or signed with another key.
  'REFERENCE_SIGNATURE_INVALID',
  'UNSUPPORTED_EVIDENCE',
  'FETCH_FAILED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  // The user stopped a fetch or a fleet run before this target was verified.
  'CANCELLED',
  'USAGE_ERROR',
  'FILE_UNREADABLE',
  // A file given to `recheck` that is not a tee-inspect/report/v2 (or an EAR token carrying one); the message names the JSON path.
  'MALFORMED_REPORT',
  // A report that does not agree with its own inputs on recheck: an input's digest or size, or the recorded verdict, checks or claims.
  'REPORT_MISMATCH',
  // An EAR token whose signature did not verify with the key given, or that was read without a key (never trusted then).
  'EAR_UNVERIFIED',
  // A bug in the verifier itself (anything thrown that is not a TeeError): never blamed on the user's input.
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A typed failure with a stable code. `detail` carries machine-readable context (offsets, field names). */
export class TeeError extends Error {
  readonly code: ErrorCode;
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TeeError';
    this.code = code;
    this.detail = detail;
  }
}

/** A parse failure: the field being read and the byte offset where reading failed. */
export class ParseError extends TeeError {
  constructor(message: string, detail: { field: string; offset: number } & Record<string, unknown>, code: ErrorCode = 'MALFORMED_EVIDENCE') {
    super(code, `${message} (field ${detail.field} at offset ${detail.offset})`, detail);
    this.name = 'ParseError';
  }
}

export function isTeeError(value: unknown): value is TeeError {
  return value instanceof TeeError;
}

/**
 * Turns anything thrown into a TeeError, so callers never see an untyped failure. Parsers throw TeeError
 * for bad input, so anything else is a bug in this program: INTERNAL_ERROR unless the caller knows better
 * (I/O front ends pass FETCH_FAILED or FILE_UNREADABLE for errors of the operating system or network).
 */
export function toTeeError(value: unknown, fallback: ErrorCode = 'INTERNAL_ERROR'): TeeError {
  if (value instanceof TeeError) return value;
  if (fallback === 'INTERNAL_ERROR') return internalError(value);
  const message = value instanceof Error ? value.message : String(value);
  return new TeeError(fallback, message);
}

/** A bug of ours, said as one: what broke, and a plea to report it with the input. */
export function internalError(value: unknown): TeeError {
  const name = value instanceof Error ? value.name : typeof value;
  const message = value instanceof Error ? value.message : String(value);
  return new TeeError(
    'INTERNAL_ERROR',
    `internal error in tee-inspect (${name}: ${message}); this is a bug in the verifier, not a problem with your file: please report it with the input that caused it`,
    { internal: true },
  );
}
