import type { ApiMethod, VerifyRequest } from '../../main/api/schema.js';
import type { AppInfo, VerifyResponse } from '../../main/api/handlers.js';

/** The one API the UI uses; the same in Electron (preload bridge) and browser mode (token-authenticated HTTP). */
export interface TeeApi {
  appInfo(): Promise<AppInfo>;
  verify(req: VerifyRequest): Promise<VerifyResponse>;
  /** Electron only: the main process renders the current page to PDF and asks where to save it. */
  savePdf?(): Promise<string | undefined>;
  /** Electron only: files opened from the native menu arrive here, already read by the main process. */
  onOpenFiles?(listener: (files: { name: string; base64: string }[]) => void): void;
}

declare global {
  interface Window {
    teeInspector?: TeeApi;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function httpApi(token: string): TeeApi {
  async function call<T>(method: ApiMethod, payload?: unknown): Promise<T> {
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(payload ?? {}),
    });
    const body = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
    if (!body.ok) throw new ApiError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${res.status}`);
    return body.value as T;
  }
  return { appInfo: () => call('appInfo'), verify: (req) => call('verify', req) };
}

/** The session token arrives in the URL fragment (never sent to servers or logs); it is removed from the address bar. */
function takeToken(): string {
  const match = /token=([0-9a-f]+)/.exec(location.hash);
  const saved = sessionStorage.getItem('tee-token');
  if (match) {
    sessionStorage.setItem('tee-token', match[1]!);
    history.replaceState(null, '', location.pathname);
    return match[1]!;
  }
  return saved ?? '';
}

export const api: TeeApi = window.teeInspector ?? httpApi(takeToken());
export const inElectron = Boolean(window.teeInspector);
