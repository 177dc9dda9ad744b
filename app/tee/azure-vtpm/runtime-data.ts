import { TeeError } from '../../errors.js';
import { fromHex } from '../../bytes/hex.js';
import { rsaJwkToSpki } from './jwk.js';

/** The runtime data (HCL variable data) as the paravisor writes it: its keys, the VM's settings and user-data. */
export interface RuntimeData {
  /** DER SPKI of the vTPM attestation key (kid HCLAkPub): the key every vTPM quote must verify with. */
  akSpki: Uint8Array;
  /** DER SPKI of the vTPM endorsement key (kid HCLEkPub), when present. */
  ekSpki?: Uint8Array;
  /** vm-configuration: secure-boot, tpm-enabled, console-enabled, vmUniqueId, ... (scalars only). */
  vmConfiguration: Record<string, string | number | boolean>;
  /** user-data as the guest asked the HCL to embed it (64 bytes, hex in the JSON), when present. */
  userData?: Uint8Array;
  /** user-data exactly as the JSON spells it (Azure writes upper-case hex). */
  userDataText?: string;
  keyIds: string[];
}

const MAX_KEYS = 8;
const MAX_SETTINGS = 64;

/** Parses the runtime-data JSON; MALFORMED_EVIDENCE naming the member for anything missing or malformed. */
export function parseRuntimeData(varData: Uint8Array): RuntimeData {
  const doc = asObject(parseJson(varData), 'runtime data');
  const keys = doc.keys;
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) bad('keys', `must be an array of at most ${MAX_KEYS} JWKs`);
  const jwks = keys.map((k, i) => asObject(k, `keys[${i}]`));
  const byKid = (kid: string) => jwks.find((k) => k.kid === kid);
  const ak = byKid('HCLAkPub');
  if (!ak) bad('keys', 'holds no HCLAkPub key: nothing names the vTPM attestation key');
  const ek = byKid('HCLEkPub');
  const userData = readUserData(doc['user-data']);
  return {
    akSpki: rsaJwkToSpki(ak, 'keys.HCLAkPub'),
    ...(ek ? { ekSpki: rsaJwkToSpki(ek, 'keys.HCLEkPub') } : {}),
    vmConfiguration: settings(doc['vm-configuration']),
    ...(userData ? { userData, userDataText: doc['user-data'] as string } : {}),
    keyIds: jwks.map((k) => String(k.kid ?? '')),
  };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return bad('', `is not JSON: ${(e as Error).message}`);
  }
}

function readUserData(v: unknown): Uint8Array | undefined {
  if (v === undefined) return undefined;
  const bytes = typeof v === 'string' && v.length <= 256 ? fromHex(v) : undefined;
  if (!bytes) bad('user-data', 'must be hex of at most 128 bytes');
  return bytes;
}

/** vm-configuration's scalar settings; nested values are not shown (none are defined). */
function settings(v: unknown): Record<string, string | number | boolean> {
  if (v === undefined) return {};
  const entries = Object.entries(asObject(v, 'vm-configuration'));
  if (entries.length > MAX_SETTINGS) bad('vm-configuration', `has more than ${MAX_SETTINGS} settings`);
  return Object.fromEntries(entries.filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));
}

function asObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'must be a JSON object');
  return v as Record<string, unknown>;
}

function bad(field: string, what: string): never {
  throw new TeeError('MALFORMED_EVIDENCE', `HCL runtime data${field ? `: ${field}` : ''} ${what}`, {
    field: `runtimeData${field ? `.${field}` : ''}`,
    offset: 0,
  });
}
