import { createHash } from 'node:crypto';
import { TeeError } from '../../app/errors.js';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import { parseReferenceBytes } from '../../app/appraisal/reference.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { validateRequest } from './schema.js';
import type { ApiMethod, FilePayload, VerifyRequest } from './schema.js';

export interface InputDigest {
  name: string;
  role: 'evidence' | 'collateral' | 'reference';
  sha256: string;
  bytes: number;
}

export interface VerifyResponse {
  result: VerificationResult;
  inputs: InputDigest[];
  appVersion: string;
}

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
}

export type Api = {
  appInfo(): Promise<AppInfo>;
  verify(req: VerifyRequest): Promise<VerifyResponse>;
};

/** The handlers behind both front doors. One verifier is kept, so repeated verifications reuse verified CA and collateral work. */
export function createApi(info: AppInfo): { api: Api; dispatch(method: ApiMethod, payload: unknown): Promise<unknown> } {
  const verifier = createVerifier({ crypto: nodeCryptoProvider() });
  const api: Api = {
    async appInfo() {
      return info;
    },
    async verify(req) {
      const files = req.files.map((f) => ({ name: f.name, bytes: decode(f) }));
      const evidence = files.filter((f) => isEvidence(f.bytes));
      if (evidence.length === 0) throw new TeeError('USAGE_ERROR', `none of ${files.map((f) => f.name).join(', ')} is attestation evidence (a quote or report); add the quote file`);
      if (evidence.length > 1) throw new TeeError('USAGE_ERROR', `several evidence files (${evidence.map((f) => f.name).join(', ')}): verify one quote at a time`);
      const main = evidence[0]!;
      const collateral = files.filter((f) => f !== main);
      const ref = req.reference ? { name: req.reference.name, bytes: decode(req.reference) } : undefined;
      const reference = ref ? parseReferenceBytes(ref.bytes) : undefined;
      const result = await verifier.verify(main.bytes, collateral, { at: new Date(req.at), ...(req.nonce ? { nonce: Buffer.from(req.nonce, 'hex') } : {}), ...(reference ? { reference } : {}) });
      const inputs: InputDigest[] = [digest(main, 'evidence'), ...collateral.map((f) => digest(f, 'collateral')), ...(ref ? [digest(ref, 'reference')] : [])];
      return { result, inputs, appVersion: info.version };
    },
  };
  return {
    api,
    async dispatch(method, payload) {
      const args = validateRequest(method, payload);
      return method === 'verify' ? api.verify(args as VerifyRequest) : api.appInfo();
    },
  };
}

function decode(f: FilePayload): Uint8Array {
  const b = Buffer.from(f.base64, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function isEvidence(bytes: Uint8Array): boolean {
  try {
    decodeEvidence(bytes);
    return true;
  } catch {
    return false;
  }
}

function digest(f: { name: string; bytes: Uint8Array }, role: InputDigest['role']): InputDigest {
  return { name: f.name, role, sha256: createHash('sha256').update(f.bytes).digest('hex'), bytes: f.bytes.length };
}
