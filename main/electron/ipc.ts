import { isApiMethod } from '../api/schema.js';
import type { ApiMethod } from '../api/schema.js';
import { APP_INDEX_PATH, appUrl } from './app-origin.js';

/**
 * IPC guard, kept free of Electron imports so it is unit-tested without Electron: a call is accepted only
 * from the app's own page (app://tee-inspector/index.html, in a top frame) and for a known method.
 */
export const IPC_CHANNEL = 'tee-inspector:api';
export const SAVE_PDF_CHANNEL = 'tee-inspector:save-pdf';

/** The sender frame's URL is the app's index page (any query or fragment; no other path, origin or scheme). */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  return appUrl(url)?.pathname === APP_INDEX_PATH;
}

/** What main knows of the frame that sent a call (event.senderFrame); undefined once the frame is gone. */
export interface SenderFrame {
  url: string;
  /** The frame's parent: only a top frame (parent null) speaks for the app. */
  parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.parent === null && isTrustedSenderUrl(frame.url);
}

export function parseIpcCall(args: unknown[]): { method: ApiMethod; payload: unknown } | { error: string } {
  const [method, payload, ...rest] = args;
  if (rest.length > 0) return { error: 'too many arguments' };
  if (!isApiMethod(method)) return { error: `unknown method ${JSON.stringify(method)}` };
  return { method, payload };
}
