import { TeeError } from '../../app/errors.js';

/**
 * The one API the renderer may call, shared by Electron IPC and browser mode. Every payload is
 * validated here at runtime: the renderer is treated as untrusted input, whichever door it uses.
 */
export interface FilePayload {
  name: string;
  /** File content, base64. */
  base64: string;
}

export interface VerifyRequest {
  files: FilePayload[];
  /** ISO-8601 verification time. */
  at: string;
  nonce?: string;
  reference?: FilePayload;
  /** The SPKI PEM key the reference file must be signed with (a JWS); an unsigned or altered file is then refused. */
  referenceKeyPem?: string;
  /** Collateral from the cache only: nothing is fetched. */
  offline?: boolean;
}

/** A report (tee-inspect/report/v2) or an EAR token to open and recheck; keyPem: the signer's public key, for a token. */
export interface OpenReportRequest extends FilePayload {
  keyPem?: string;
}

/** A report (tee-inspect/report/v2, as the verify response carries it) to sign as an EAR token with the user's P-256 key (PKCS#8 PEM). */
export interface SignEarRequest extends FilePayload {
  keyPem: string;
}

export const API_METHODS = [
  'appInfo',
  'verify',
  'openReport',
  'signEar',
  'targetsList',
  'targetSave',
  'targetRemove',
  'verifyTarget',
  'trustHostKey',
  'importKnownHosts',
  'hostKeysList',
  'unpinHostKey',
  'fleetStart',
  'fleetStatus',
  'fleetResult',
  'fleetCancel',
  'history',
  'setSecret',
  'clearSecret',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export const LIMITS = { files: 32, fileBytes: 16 * 1024 * 1024, name: 255, keyPem: 16 * 1024 };

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && (API_METHODS as readonly string[]).includes(value);
}

export function bad(message: string): never {
  throw new TeeError('USAGE_ERROR', `invalid request: ${message}`);
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${what} must be an object`);
  return value as Record<string, unknown>;
}

export function onlyKeys(obj: Record<string, unknown>, allowed: string[], what: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length) bad(`${what} has unknown field(s) ${extra.join(', ')}`);
}

/** A string of bounded length; `pattern` (when given) must match the whole of it. */
export function text(value: unknown, what: string, max: number, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) bad(`${what} must be a string of 1 to ${max} characters`);
  if (pattern && !pattern.test(value)) bad(`${what} is not in the expected form`);
  return value;
}

export function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') bad(`${what} must be true or false`);
  return value;
}

export function isoTime(value: unknown, what: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\d/.test(value) || value.length > 40)
    bad(`${what} must be an ISO-8601 time`);
  return value;
}

function file(value: unknown, what: string): FilePayload {
  const f = record(value, what);
  onlyKeys(f, ['name', 'base64'], what);
  if (typeof f.name !== 'string' || f.name.length === 0 || f.name.length > LIMITS.name) bad(`${what}.name must be a string of 1 to ${LIMITS.name} characters`);
  if (typeof f.base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(f.base64)) bad(`${what}.base64 must be base64`);
  if ((f.base64.length * 3) / 4 > LIMITS.fileBytes) bad(`${what} is larger than ${LIMITS.fileBytes} bytes`);
  return { name: f.name, base64: f.base64 };
}

export function validateVerify(payload: unknown): VerifyRequest {
  const p = record(payload, 'verify request');
  onlyKeys(p, ['files', 'at', 'nonce', 'reference', 'referenceKeyPem', 'offline'], 'verify request');
  if (!Array.isArray(p.files) || p.files.length === 0 || p.files.length > LIMITS.files) bad(`files must be an array of 1 to ${LIMITS.files} files`);
  const files = p.files.map((f, i) => file(f, `files[${i}]`));
  const out: VerifyRequest = { files, at: isoTime(p.at, 'at') };
  if (p.nonce !== undefined) {
    if (typeof p.nonce !== 'string' || !/^([0-9a-fA-F]{2}){1,64}$/.test(p.nonce)) bad('nonce must be 1 to 64 bytes of hex');
    out.nonce = p.nonce;
  }
  if (p.reference !== undefined) out.reference = file(p.reference, 'reference');
  const referenceKeyPem = validateReferenceKeyPem(p.referenceKeyPem, p.reference !== undefined);
  if (referenceKeyPem !== undefined) out.referenceKeyPem = referenceKeyPem;
  const offline = optionalBoolean(p.offline, 'offline');
  if (offline !== undefined) out.offline = offline;
  return out;
}

export function validateOpenReport(payload: unknown): OpenReportRequest {
  const p = record(payload, 'openReport request');
  onlyKeys(p, ['name', 'base64', 'keyPem'], 'openReport request');
  const out: OpenReportRequest = file({ name: p.name, base64: p.base64 }, 'openReport request');
  if (p.keyPem !== undefined) out.keyPem = text(p.keyPem, 'keyPem', LIMITS.keyPem);
  return out;
}

export function validateSignEar(payload: unknown): SignEarRequest {
  const p = record(payload, 'signEar request');
  onlyKeys(p, ['name', 'base64', 'keyPem'], 'signEar request');
  return { ...file({ name: p.name, base64: p.base64 }, 'signEar request'), keyPem: text(p.keyPem, 'keyPem', LIMITS.keyPem) };
}

/** Methods that take nothing: an empty object, null or no payload. */
export function validateNothing(method: string, payload: unknown): undefined {
  if (payload !== undefined && payload !== null && !(typeof payload === 'object' && Object.keys(payload as object).length === 0))
    bad(`${method} takes no arguments`);
  return undefined;
}

/**
 * Strict validation of `referenceKeyPem` in a verify request: a bounded PEM text, and only beside a reference
 * file (a key with nothing to check would read as a signed set that was never there). The PEM itself is read
 * by readReferenceFile, whose errors name what is wrong with it.
 */
export function validateReferenceKeyPem(value: unknown, hasReference: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.keyPem)
    bad(`referenceKeyPem must be a string of 1 to ${LIMITS.keyPem} characters`);
  if (!value.includes('-----BEGIN PUBLIC KEY-----')) bad('referenceKeyPem must be a PEM public key ("-----BEGIN PUBLIC KEY-----")');
  if (!hasReference) bad('referenceKeyPem goes with a reference file: it is the key that file must be signed with');
  return value;
}
