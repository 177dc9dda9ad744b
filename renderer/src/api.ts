import type { ApiMethod, OpenReportRequest, SignEarRequest, VerifyRequest } from '../../main/api/schema.js';
import { API_METHODS } from '../../main/api/schema.js';
import type { AppInfo, OpenReportResponse, VerifyResponse } from '../../main/api/handlers.js';
import type { AcquisitionApi } from '../../main/api/acquisition.js';
import type { ApiErrorBody } from '../../main/api/types.js';

/** The one API the UI uses; the same in Electron (preload bridge) and browser mode (HTTP with a session cookie). */
export interface TeeApi extends AcquisitionApi {
  appInfo(): Promise<AppInfo>;
  verify(req: VerifyRequest): Promise<VerifyResponse>;
  openReport(req: OpenReportRequest): Promise<OpenReportResponse>;
  /** The shown report as an EAR token signed with the user's key (the key stays in the request, never stored). */
  signEar(req: SignEarRequest): Promise<{ token: string }>;
  /** Electron only: the main process renders the current page to PDF and asks where to save it. */
  savePdf?(): Promise<string | undefined>;
  /** Electron only: files opened from the native menu arrive here, already read by the main process. */
  onOpenFiles?(listener: (files: { name: string; base64: string }[]) => void): void;
}

type Reply = { ok: boolean; value?: unknown; error?: ApiErrorBody };

/** What the Electron preload exposes: one invoke answering with the reply envelope, plus the desktop extras. */
interface Bridge {
  invoke(method: ApiMethod, payload: unknown): Promise<Reply>;
  savePdf(): Promise<string | undefined>;
  onOpenFiles(listener: (files: { name: string; base64: string }[]) => void): void;
}

declare global {
  interface Window {
    teeInspector?: Bridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: ApiErrorBody['detail'],
  ) {
    super(message);
  }
}

/** The error as the views show it: code, message and, for host-key errors, the fingerprint to confirm. */
export function apiErrorBody(e: unknown): ApiErrorBody {
  const err = e as { code?: string; message?: string; detail?: ApiErrorBody['detail'] };
  return { code: err.code ?? 'INTERNAL', message: err.message ?? String(e), ...(err.detail ? { detail: err.detail } : {}) };
}

/** The schema's one list of methods: a method added there is callable here without a second list to keep in step. */
const METHODS: readonly ApiMethod[] = API_METHODS;

/** The typed API over either door's reply envelopes; a failure becomes an ApiError with code and detail. */
function apiOver(send: (method: ApiMethod, payload: unknown) => Promise<Reply>): TeeApi {
  const call = async (method: ApiMethod, payload?: unknown) => {
    const reply = await send(method, payload ?? {});
    if (!reply.ok) throw new ApiError(reply.error?.code ?? 'INTERNAL', reply.error?.message ?? 'the API call failed', reply.error?.detail);
    return reply.value;
  };
  return Object.fromEntries(METHODS.map((m) => [m, (req?: unknown) => call(m, req)])) as unknown as TeeApi;
}

/** Browser mode: the session cookie (HttpOnly, set by the one-time launch link) authenticates every call; no secret is in reach of script. */
function httpApi(): TeeApi {
  return apiOver(async (method, payload) => {
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return (await res
      .json()
      .catch(() => ({ ok: false, error: { code: `HTTP_${res.status}`, message: res.statusText || 'the server refused the call' } }))) as Reply;
  });
}

function bridgeApi(bridge: Bridge): TeeApi {
  return {
    ...apiOver((method, payload) => bridge.invoke(method, payload)),
    savePdf: () => bridge.savePdf(),
    onOpenFiles: (listener) => bridge.onOpenFiles(listener),
  };
}

export const api: TeeApi = window.teeInspector ? bridgeApi(window.teeInspector) : httpApi();
export const inElectron = Boolean(window.teeInspector);
