import { isApiMethod } from '../api/schema.js';
import type { ApiMethod } from '../api/schema.js';

/**
 * IPC guard, kept free of Electron imports so it is unit-tested without Electron: a call is
 * accepted only from the app's own page (the packaged file:// renderer) and for a known method.
 */
export const IPC_CHANNEL = 'tee-inspector:api';

export function isTrustedSenderUrl(url: string | undefined, rendererIndexUrl: string): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    const own = new URL(rendererIndexUrl);
    return u.protocol === 'file:' && u.pathname === own.pathname;
  } catch {
    return false;
  }
}

export function parseIpcCall(args: unknown[]): { method: ApiMethod; payload: unknown } | { error: string } {
  const [method, payload, ...rest] = args;
  if (rest.length > 0) return { error: 'too many arguments' };
  if (!isApiMethod(method)) return { error: `unknown method ${JSON.stringify(method)}` };
  return { method, payload };
}
