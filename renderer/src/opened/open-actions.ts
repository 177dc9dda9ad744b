import type { FilePayload } from '../../../main/api/schema.js';
import { api } from '../api.js';
import { addLoaded, addPasted, addPayloads, admit, nextGeneration, isCurrent, readFile, store, toBase64 } from '../store.js';
import type { LoadedFile } from '../store.js';
import { isReportOrToken } from './sniff.js';

/**
 * Files in (drop, Open dialog, paste) routed by content: a report or an EAR token is opened (openReport) in
 * place of whatever was loaded; anything else is evidence or collateral to verify, as before.
 */
export async function takeFiles(list: FileList | File[]): Promise<void> {
  // Sizes are checked before any file is read: a file over the limit is named at once, never sent.
  const loaded = await Promise.all(admit(Array.from(list)).map(readFile));
  const report = loaded.find((f) => isReportOrToken(bytesOf(f)));
  if (report) return openLoaded(report);
  await addLoaded(loaded);
}

export async function takePayloads(list: FilePayload[]): Promise<void> {
  const report = list.find((f) => isReportOrToken(bytesOf({ ...f, size: 0 })));
  if (report) return openLoaded({ ...report, size: Math.floor((report.base64.length * 3) / 4) });
  await addPayloads(list);
}

export async function takePasted(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text.trim());
  if (!isReportOrToken(bytes)) return addPasted(text);
  await openLoaded({ name: 'pasted token', base64: toBase64(bytes), size: bytes.length });
}

/** Opens a report or token; the result replaces what was shown, as a new verification would. */
export async function openLoaded(file: LoadedFile, keyPem?: string): Promise<void> {
  const mine = nextGeneration();
  store.setState({ status: 'running', error: undefined, keyError: undefined, files: [], reference: undefined });
  try {
    const opened = await api.openReport({ name: file.name, base64: file.base64, ...(keyPem !== undefined ? { keyPem } : {}) });
    if (!isCurrent(mine)) return;
    store.setState({ status: 'done', opened, openedFile: file, response: opened.response, origin: { kind: 'report', name: file.name } });
  } catch (e) {
    if (!isCurrent(mine)) return;
    const err = e as { code?: string; message?: string };
    const error = { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) };
    // A bad key keeps the opened token on screen, with the reason beside the key field.
    if (keyPem !== undefined && store.getState().opened) return store.setState({ status: 'done', keyError: `${error.code}: ${error.message}` });
    store.setState({ status: 'error', response: undefined, opened: undefined, error });
  }
}

/** Opens the shown token again with the signer's public key (PEM), to check its signature. */
export async function applyKey(pem: string): Promise<void> {
  const file = store.getState().openedFile;
  if (file && pem.trim()) await openLoaded(file, pem.trim());
}

function bytesOf(f: LoadedFile): Uint8Array {
  return Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
}
