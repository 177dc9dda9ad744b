import { TeeError } from '../errors.js';
import { HTTPS_ADAPTERS, parseSourceUrl } from './target.js';
import type { EvidenceSource, HttpsAdapter } from './target.js';

/**
 * The saved fleet: tee-inspect/targets/v1 (docs/targets.md). Written by hand or saved by the app, read by
 * `tee-inspect fleet verify` and the app's fleet view. Parsing is strict (unknown fields, duplicate names and
 * oversized values are refused, each error naming the target and the field): a silently ignored typo such as
 * "refrence" would verify a target without the values the operator meant to enforce.
 */
export const TARGETS_SCHEMA = 'tee-inspect/targets/v1';
export const MAX_TARGETS = 10_000;
export const PRODUCTS = ['Milan', 'Genoa', 'Turin'] as const;

export interface TargetSpec {
  /** Unique within the file; shown in every result line and keys the target's history. */
  name: string;
  /** ssh://USER@HOST[:PORT] or https://… (parseSourceUrl). */
  url: string;
  /** SSH private key file (relative paths: from the targets file's directory); without one, ssh-agent. */
  identity?: string;
  /** SSH collector command run on the target ({nonce} becomes the nonce as hex); default configfs-tsm. */
  collector?: string;
  adapter?: HttpsAdapter;
  /** false: ask without a fresh nonce (nothing then proves the evidence is recent). Default true. */
  nonce?: boolean;
  /** Reference-values file (docs/reference-values.md). */
  reference?: string;
  /** The public key (PEM file) the reference file must be signed with (docs/signed-references.md); needs `reference`. */
  referenceKey?: string;
  /** Collateral files supplied for this target, as `verify --collateral`. */
  collateral?: string[];
  product?: (typeof PRODUCTS)[number];
}

export interface TargetsFile {
  schema: typeof TARGETS_SCHEMA;
  targets: TargetSpec[];
}

const FILE_KEYS = ['schema', 'targets'];
const TARGET_KEYS = ['name', 'url', 'identity', 'collector', 'adapter', 'nonce', 'reference', 'referenceKey', 'collateral', 'product'] as const;
const LIMITS = { name: 128, url: 2048, path: 4096, collector: 8192, collateral: 64 };
// C0/C1 controls and line/paragraph separators: names and paths end up on one output line each.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** UTF-8 JSON bytes to a validated targets file; every problem is a USAGE_ERROR naming its place. */
export function parseTargetsBytes(bytes: Uint8Array): TargetsFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TeeError('USAGE_ERROR', `the targets file is not UTF-8 JSON: ${(e as Error).message}`, { field: '$' });
  }
  return parseTargets(json);
}

export function parseTargets(json: unknown): TargetsFile {
  const doc = object(json, 'the targets file');
  unknownKeys(doc, FILE_KEYS, 'the targets file');
  if (doc.schema !== TARGETS_SCHEMA) fail(`the targets file: "schema" must be "${TARGETS_SCHEMA}"`, 'schema');
  if (!Array.isArray(doc.targets)) fail('the targets file: "targets" must be an array of targets', 'targets');
  if (doc.targets.length > MAX_TARGETS) fail(`the targets file lists ${doc.targets.length} targets; at most ${MAX_TARGETS} are allowed`, 'targets');
  const targets = doc.targets.map((t, i) => parseTarget(t, i));
  const seen = new Map<string, number>();
  targets.forEach((t, i) => {
    const first = seen.get(t.name);
    if (first !== undefined) fail(`targets[${i}] ("${t.name}").name repeats the name of targets[${first}]; each target needs its own name`, 'name', i);
    seen.set(t.name, i);
  });
  return { schema: TARGETS_SCHEMA, targets };
}

/** The file the app saves: validated first (an invalid list is never written), fixed key order, 2-space JSON. */
export function serializeTargets(targets: readonly TargetSpec[]): string {
  const canonical = targets.map((t) => Object.fromEntries(TARGET_KEYS.filter((k) => t[k] !== undefined).map((k) => [k, t[k]])));
  const checked = parseTargets({ schema: TARGETS_SCHEMA, targets: canonical });
  return JSON.stringify(checked, null, 2) + '\n';
}

/** The target's evidence source; `resolvePath` makes a relative identity path absolute (the caller knows the directory). */
export function targetSource(t: TargetSpec, resolvePath: (p: string) => string = (p) => p): EvidenceSource {
  return parseSourceUrl(t.url, {
    ...(t.adapter ? { adapter: t.adapter } : {}),
    ...(t.identity ? { identityFile: resolvePath(t.identity) } : {}),
    ...(t.collector ? { collector: t.collector } : {}),
  });
}

function parseTarget(value: unknown, i: number): TargetSpec {
  const at = `targets[${i}]`;
  const o = object(value, at);
  const name = text(o, 'name', LIMITS.name, at, i);
  if (name === undefined) fail(`${at}: "name" is required`, 'name', i);
  if (name.trim() !== name) fail(`${at}.name must not begin or end with spaces`, 'name', i);
  const where = `${at} ("${name}")`;
  unknownKeys(o, TARGET_KEYS, where, i);
  const url = text(o, 'url', LIMITS.url, where, i);
  if (url === undefined) fail(`${where}: "url" is required (ssh://USER@HOST[:PORT] or https://…)`, 'url', i);
  const t: TargetSpec = { name, url };
  const identity = text(o, 'identity', LIMITS.path, where, i);
  const collector = text(o, 'collector', LIMITS.collector, where, i, true);
  const reference = text(o, 'reference', LIMITS.path, where, i);
  const referenceKey = text(o, 'referenceKey', LIMITS.path, where, i);
  if (identity !== undefined) t.identity = identity;
  if (collector !== undefined) t.collector = collector;
  if (o.adapter !== undefined) t.adapter = oneOf(o, 'adapter', HTTPS_ADAPTERS, where, i);
  if (o.nonce !== undefined) {
    if (typeof o.nonce !== 'boolean') fail(`${where}.nonce must be true or false`, 'nonce', i);
    t.nonce = o.nonce;
  }
  if (reference !== undefined) t.reference = reference;
  if (referenceKey !== undefined) {
    if (reference === undefined) fail(`${where}.referenceKey goes with "reference": it is the key that reference file must be signed with`, 'referenceKey', i);
    t.referenceKey = referenceKey;
  }
  if (o.collateral !== undefined) t.collateral = paths(o, where, i);
  if (o.product !== undefined) t.product = oneOf(o, 'product', PRODUCTS, where, i);
  try {
    targetSource(t);
  } catch (e) {
    fail(`${where}.url: ${(e as Error).message.replace(/--(adapter|identity|collector)/g, '"$1"')}`, 'url', i);
  }
  return t;
}

function paths(o: Record<string, unknown>, where: string, i: number): string[] {
  const list = o.collateral;
  if (!Array.isArray(list)) fail(`${where}.collateral must be an array of file names`, 'collateral', i);
  if (list.length > LIMITS.collateral) fail(`${where}.collateral lists more than ${LIMITS.collateral} files`, 'collateral', i);
  const named = Object.fromEntries(list.map((v, k) => [`collateral[${k}]`, v]));
  return list.map((_, k) => text(named, `collateral[${k}]`, LIMITS.path, where, i) as string);
}

function text(o: Record<string, unknown>, key: string, max: number, where: string, index: number, multiline = false): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const path = `${where}.${key}`;
  const field = key.replace(/\[\d+\]$/, '');
  if (typeof v !== 'string') fail(`${path} must be a string`, field, index);
  if (v.length === 0 || v.length > max) fail(`${path} must be 1 to ${max} characters long`, field, index);
  if (multiline ? v.includes('\u0000') : CONTROL.test(v)) fail(`${path} must not hold control characters`, field, index);
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], where: string, i: number): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${where}.${key} must be one of ${allowed.join(', ')}`, key, i);
  return v as T;
}

function object(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be a JSON object`, where);
  return v as Record<string, unknown>;
}

function unknownKeys(o: Record<string, unknown>, allowed: readonly string[], where: string, index?: number): void {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra !== undefined) fail(`${where}: unknown field "${extra.slice(0, 40)}"; allowed: ${allowed.join(', ')}`, extra.slice(0, 40), index);
}

function fail(message: string, field: string, index?: number): never {
  throw new TeeError('USAGE_ERROR', message, { field, ...(index !== undefined ? { index } : {}) });
}
