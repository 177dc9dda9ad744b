import { TeeError } from '../../app/errors.js';
import { supportedNames } from '../../app/evidence/sniff.js';
import { createVerifier } from '../../app/verifier.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import { readNamedReference } from '../reference/read.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { attachmentRoleOf } from '../../app/evidence/attachment-kind.js';
import type { ApiMethod, FilePayload, OpenReportRequest, SignEarRequest, VerifyRequest } from './schema.js';
import { validateReferenceKeyPem } from './schema.js';
import type { ApiOptions } from './options.js';
import type { AppInfo, OpenReportResponse, VerifyResponse } from './types.js';
import { openReport } from './open-report.js';
import { signReportAsEar } from './sign-ear.js';
import { verifyWithCollateral } from './verify-core.js';
import { acquisitionApi } from './acquisition.js';
import type { AcquisitionApi } from './acquisition.js';
import { routes } from './routes.js';

export type { AppInfo, InputDigest, OpenReportResponse, VerifyResponse } from './types.js';

export type Api = AcquisitionApi & {
  appInfo(): Promise<AppInfo>;
  /** referenceKeyPem: the reference file must be signed with this key (docs/signed-references.md). */
  verify(req: VerifyRequest): Promise<VerifyResponse>;
  /** A report or an EAR token: read strictly and rechecked offline, as `tee-inspect recheck` does. */
  openReport(req: OpenReportRequest): Promise<OpenReportResponse>;
  /** A report signed as an EAR token (ES256), exactly as `verify --ear --sign-key` writes it. */
  signEar(req: SignEarRequest): Promise<{ token: string }>;
};

export interface ApiHandle {
  api: Api;
  dispatch(method: ApiMethod, payload: unknown): Promise<unknown>;
  /** Cancels running fleet jobs (app shutdown, tests). */
  close(): void;
}

/**
 * The handlers behind both front doors. One verifier is kept, so repeated verifications (and a fleet
 * sharing one FMSPC's collateral) reuse verified CA and collateral work. Every folder and store is injected.
 */
export function createApi(info: Omit<AppInfo, 'secretsPersist'>, options: ApiOptions): ApiHandle {
  const verifier = createVerifier({ crypto: nodeCryptoProvider() });
  const now = options.now ?? (() => new Date());
  const acquisition = acquisitionApi({ verifier, options, appVersion: info.version, now });
  const api: Api = {
    ...acquisition.api,
    async appInfo() {
      return { ...info, secretsPersist: options.secrets.persistent };
    },
    async verify(req) {
      const dropped = req.files.map((f) => ({ name: f.name, bytes: decode(f) }));
      const attachments = dropped.flatMap((f) => {
        const role = attachmentRoleOf(f.bytes);
        return role ? [{ role, name: f.name, bytes: f.bytes }] : [];
      });
      const files = dropped.filter((f) => !attachments.some((a) => a.bytes === f.bytes));
      if (files.length === 0) throw onlyAttachments(attachments);
      const main = primaryEvidence(files);
      const ref = req.reference ? { name: req.reference.name, bytes: decode(req.reference) } : undefined;
      const keyPem = validateReferenceKeyPem(req.referenceKeyPem, ref !== undefined);
      // Read (and its signature checked) before anything is verified: a refused set refuses the request.
      const values = ref ? await readNamedReference(ref.name, ref.bytes, keyPem) : undefined;
      const verified = await verifyWithCollateral(verifier, options, {
        evidence: main,
        collateral: files.filter((f) => f !== main),
        ...(attachments.length ? { attachments } : {}),
        ...(ref && values ? { reference: { ...ref, values } } : {}),
        ...(req.nonce ? { nonce: new Uint8Array(Buffer.from(req.nonce, 'hex')) } : {}),
        at: new Date(req.at),
        offline: req.offline === true,
      });
      return { ...verified, appVersion: info.version };
    },
    openReport: (req) => openReport(verifier, req, info.version, now()),
    signEar: (req) => signReportAsEar(req),
  };
  const route = routes(api);
  return {
    api,
    dispatch: (method, payload) => route(method, payload),
    close: () => acquisition.close(),
  };
}

/**
 * The one evidence file to verify. Several are refused, unless exactly one is evidence that binds the
 * others (an Azure TDX HCL report and its TD quote): the others then go beside it as its parts.
 */
function primaryEvidence(files: { name: string; bytes: Uint8Array }[]): { name: string; bytes: Uint8Array } {
  const evidence = files.flatMap((f) => {
    try {
      return [{ file: f, module: decodeEvidence(f.bytes).module }];
    } catch {
      return [];
    }
  });
  if (evidence.length === 0) throw noEvidence(files);
  if (evidence.length === 1) return evidence[0]!.file;
  const binding = evidence.filter((e) => e.module.takesEvidenceParts);
  if (binding.length === 1) return binding[0]!.file;
  throw new TeeError('USAGE_ERROR', `several evidence files (${evidence.map((e) => e.file.name).join(', ')}): verify one quote at a time`);
}

function decode(f: FilePayload): Uint8Array {
  const b = Buffer.from(f.base64, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** 'evidence', the UNSUPPORTED_EVIDENCE error naming a recognised format, or 'other' (collateral, or unrelated). */
function evidenceKind(bytes: Uint8Array): 'evidence' | 'other' | TeeError {
  try {
    decodeEvidence(bytes);
    return 'evidence';
  } catch (e) {
    return e instanceof TeeError && e.code === 'UNSUPPORTED_EVIDENCE' ? e : 'other';
  }
}

/** Dropped event logs or TPM quotes alone: they say what booted only beside the signed evidence they belong to. */
function onlyAttachments(attachments: { role: string; name: string }[]): TeeError {
  const what = (role: string) => (role === 'eventlog' ? 'an event log' : 'a TPM quote');
  const list = attachments.map((a) => `${a.name} is ${what(a.role)}`).join(', ');
  return new TeeError(
    'USAGE_ERROR',
    `${list}: add the quote or report it belongs to beside it (${supportedNames()} is verified; the log or TPM quote is checked against it)`,
  );
}

/** Says what the dropped files are when none is verifiable evidence: an unsupported format by name. */
function noEvidence(files: { name: string; bytes: Uint8Array }[]): TeeError {
  for (const f of files) {
    const kind = evidenceKind(f.bytes);
    if (kind instanceof TeeError) return new TeeError('UNSUPPORTED_EVIDENCE', `${f.name}: ${kind.message}`, kind.detail);
  }
  return new TeeError(
    'USAGE_ERROR',
    `none of ${files.map((f) => f.name).join(', ')} is a quote or report TEE Inspector reads (it verifies ${supportedNames()}); add the evidence beside them`,
  );
}
