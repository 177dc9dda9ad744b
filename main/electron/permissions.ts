import { isAppUrl } from './app-origin.js';

/**
 * Web permissions: refused, whatever the page asks (camera, microphone, geolocation, notifications, HID, USB,
 * serial, MIDI, fullscreen, pointer lock, clipboard reads, opening external protocols, file system...).
 *
 * One exception, and only for the app's own top frame: 'clipboard-sanitized-write', which Chromium's
 * navigator.clipboard.writeText() needs and which the report's copy buttons use. It writes sanitized text
 * the user asked to copy (Chromium requires a user gesture); it reads nothing. Remove the entry to refuse it too.
 */
export const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export interface PermissionAsk {
  permission: string;
  /** The URL (request handler) or origin (check handler) of the frame asking. */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
}

export function permissionGranted(ask: PermissionAsk): boolean {
  return GRANTED_TO_APP.has(ask.permission) && ask.isMainFrame && isAppUrl(ask.requestingUrl);
}

/** Device choosers (WebHID, WebUSB, Web Serial, Bluetooth): never. */
export function devicePermissionGranted(): boolean {
  return false;
}
