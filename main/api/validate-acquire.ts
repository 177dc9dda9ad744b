import { HTTPS_ADAPTERS } from '../../app/acquire/target.js';
import { TeeError } from '../../app/errors.js';
import { bad, isoTime, onlyKeys, optionalBoolean, record, text } from './schema.js';

/** Runtime validation of the acquisition methods' payloads (targets, host keys, fleet, history, secrets). */
// As the targets file allows: 1-128 characters, no controls, no leading or trailing space.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;
const SECRET_KINDS = ['passphrase', 'token'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** What the Connect view edits; the file may carry more (reference, collateral, product), which a save keeps. */
export interface TargetInput {
  name: string;
  url: string;
  adapter?: string;
  /** A private key file path the user typed; absent: ssh-agent. */
  identity?: string;
  collector?: string;
  /** false: no fresh nonce is sent. */
  nonce?: boolean;
}

export interface TargetSaveRequest {
  target: TargetInput;
  /** The name the target had before this edit (a rename). */
  previous?: string;
  /** An ssh:// target lets the app log in and run a command: the user confirmed exactly that in the app. */
  confirmed?: boolean;
}

export interface VerifyTargetRequest {
  name: string;
  offline?: boolean;
  /** Verification time (default: now). */
  at?: string;
}

export interface TrustHostKeyRequest {
  host: string;
  port: number;
  fingerprint: string;
  /** The user confirmed the fingerprint in the app (the host-key gate refuses a pin without it). */
  confirmed?: boolean;
}

export interface ImportKnownHostsRequest {
  text: string;
  /** The user confirmed pinning the keys in the app. */
  confirmed: true;
}

export interface FleetStartRequest {
  /** Default: every saved target. */
  names?: string[];
  offline?: boolean;
  concurrency?: number;
}

export interface SecretRequest {
  name: string;
  kind: SecretKind;
  value?: string;
}

function name(v: unknown, what = 'name'): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 128 || CONTROL.test(v) || v.trim() !== v)
    bad(`${what} must be 1 to 128 characters, without control characters or surrounding spaces`);
  return v;
}

/**
 * A call that grants a capability (log in somewhere and run a command, trust a host key) carries confirmed: true,
 * which the app sends only after the user confirmed a dialog saying what is granted; a call without it is refused.
 */
export function requireConfirmed(value: unknown, what: string): true {
  if (value !== true) throw new TeeError('USAGE_ERROR', `${what}: the request must carry confirmed: true, sent after the user confirmed it in the app`);
  return true;
}

export function validateTargetSave(payload: unknown): TargetSaveRequest {
  const p = record(payload, 'targetSave request');
  onlyKeys(p, ['target', 'previous', 'confirmed'], 'targetSave request');
  const t = record(p.target, 'target');
  onlyKeys(t, ['name', 'url', 'adapter', 'identity', 'collector', 'nonce'], 'target');
  const target: TargetInput = { name: name(t.name, 'target.name'), url: text(t.url, 'target.url', 2048) };
  if (t.adapter !== undefined) target.adapter = text(t.adapter, 'target.adapter', 16, new RegExp(`^(${HTTPS_ADAPTERS.join('|')})$`));
  if (t.identity !== undefined) target.identity = text(t.identity, 'target.identity', 4096, /^[^\0\n]+$/);
  if (t.collector !== undefined) target.collector = text(t.collector, 'target.collector', 4096, /^[^\0]+$/);
  const nonce = optionalBoolean(t.nonce, 'target.nonce');
  if (nonce !== undefined) target.nonce = nonce;
  const confirmed = optionalBoolean(p.confirmed, 'confirmed');
  if (target.url.startsWith('ssh:')) requireConfirmed(confirmed, `saving ${target.name} lets the app log in to ${target.url} and run a command there`);
  return { target, ...(p.previous !== undefined ? { previous: name(p.previous, 'previous') } : {}), ...(confirmed ? { confirmed } : {}) };
}

export function validateName(payload: unknown, method: string): { name: string } {
  const p = record(payload, `${method} request`);
  onlyKeys(p, ['name'], `${method} request`);
  return { name: name(p.name) };
}

export function validateVerifyTarget(payload: unknown): VerifyTargetRequest {
  const p = record(payload, 'verifyTarget request');
  onlyKeys(p, ['name', 'offline', 'at'], 'verifyTarget request');
  const out: VerifyTargetRequest = { name: name(p.name) };
  const offline = optionalBoolean(p.offline, 'offline');
  if (offline !== undefined) out.offline = offline;
  if (p.at !== undefined) out.at = isoTime(p.at, 'at');
  return out;
}

export function validateTrustHostKey(payload: unknown): TrustHostKeyRequest {
  const p = record(payload, 'trustHostKey request');
  onlyKeys(p, ['host', 'port', 'fingerprint', 'confirmed'], 'trustHostKey request');
  if (!Number.isInteger(p.port) || (p.port as number) < 1 || (p.port as number) > 65535) bad('port must be 1 to 65535');
  const confirmed = optionalBoolean(p.confirmed, 'confirmed');
  return {
    host: text(p.host, 'host', 253, HOST),
    port: p.port as number,
    fingerprint: text(p.fingerprint, 'fingerprint', 50, FINGERPRINT),
    ...(confirmed !== undefined ? { confirmed } : {}),
  };
}

export function validateUnpinHostKey(payload: unknown): { host: string; port: number } {
  const p = record(payload, 'unpinHostKey request');
  onlyKeys(p, ['host', 'port'], 'unpinHostKey request');
  if (!Number.isInteger(p.port) || (p.port as number) < 1 || (p.port as number) > 65535) bad('port must be 1 to 65535');
  return { host: text(p.host, 'host', 253, HOST), port: p.port as number };
}

export function validateImportKnownHosts(payload: unknown): ImportKnownHostsRequest {
  const p = record(payload, 'importKnownHosts request');
  onlyKeys(p, ['text', 'confirmed'], 'importKnownHosts request');
  const lines = text(p.text, 'text', 1024 * 1024);
  return { text: lines, confirmed: requireConfirmed(p.confirmed, 'importing known_hosts pins host keys the app will then trust') };
}

export function validateFleetStart(payload: unknown): FleetStartRequest {
  const p = record(payload ?? {}, 'fleetStart request');
  onlyKeys(p, ['names', 'offline', 'concurrency'], 'fleetStart request');
  const out: FleetStartRequest = {};
  if (p.names !== undefined) {
    if (!Array.isArray(p.names) || p.names.length === 0 || p.names.length > 1000) bad('names must be an array of 1 to 1000 target names');
    out.names = p.names.map((n, i) => name(n, `names[${i}]`));
  }
  const offline = optionalBoolean(p.offline, 'offline');
  if (offline !== undefined) out.offline = offline;
  if (p.concurrency !== undefined) {
    if (!Number.isInteger(p.concurrency) || (p.concurrency as number) < 1 || (p.concurrency as number) > 16) bad('concurrency must be 1 to 16');
    out.concurrency = p.concurrency as number;
  }
  return out;
}

export function validateJob(payload: unknown, method: string): { jobId: string } {
  const p = record(payload, `${method} request`);
  onlyKeys(p, ['jobId'], `${method} request`);
  return { jobId: text(p.jobId, 'jobId', 64, /^[0-9a-f]{16,64}$/) };
}

export function validateFleetResult(payload: unknown): { jobId: string; name: string } {
  const p = record(payload, 'fleetResult request');
  onlyKeys(p, ['jobId', 'name'], 'fleetResult request');
  return { jobId: text(p.jobId, 'jobId', 64, /^[0-9a-f]{16,64}$/), name: name(p.name) };
}

export function validateHistory(payload: unknown): { name: string; limit?: number } {
  const p = record(payload, 'history request');
  onlyKeys(p, ['name', 'limit'], 'history request');
  if (p.limit !== undefined && (!Number.isInteger(p.limit) || (p.limit as number) < 1 || (p.limit as number) > 500)) bad('limit must be 1 to 500');
  return { name: name(p.name), ...(p.limit !== undefined ? { limit: p.limit as number } : {}) };
}

/** setSecret carries a value; clearSecret must not. The value is never echoed in an error. */
export function validateSecret(payload: unknown, withValue: boolean): SecretRequest {
  const p = record(payload, 'secret request');
  onlyKeys(p, withValue ? ['name', 'kind', 'value'] : ['name', 'kind'], 'secret request');
  if (!(SECRET_KINDS as readonly unknown[]).includes(p.kind)) bad(`kind must be ${SECRET_KINDS.join(' or ')}`);
  const out: SecretRequest = { name: name(p.name), kind: p.kind as SecretKind };
  if (withValue) {
    if (typeof p.value !== 'string' || p.value.length === 0 || p.value.length > 8192) bad('value must be a string of 1 to 8192 characters');
    out.value = p.value;
  }
  return out;
}
