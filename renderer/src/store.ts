import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { OpenReportResponse, VerifyResponse } from '../../main/api/handlers.js';
import type { FilePayload } from '../../main/api/schema.js';
import { api } from './api.js';
import { readReferenceFile } from '../../app/appraisal/signed-reference.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { admitFiles, parseNonce, parseVerifyAt, referenceSizeProblem } from './inputs/input-checks.js';
// Slice types only: the slices' actions import this store, so their initial state lives here (no import cycle at load).
import type { ConnectSlice } from './connect/connect-store.js';
import type { FleetSlice } from './fleet/fleet-store.js';

/** One store of slices (zustand vanilla core, thin React binding); actions are module-level functions. */
export type Tab = 'inspector' | 'collateral' | 'boundary' | 'boot' | 'threats' | 'reference' | 'export' | 'connect' | 'fleet';

export interface LoadedFile extends FilePayload {
  size: number;
}

interface CoreState {
  files: LoadedFile[];
  /** Files refused in the page before any request (size, count), in plain words. */
  fileProblems: string[];
  reference?: LoadedFile;
  /** Why the loaded golden-values file cannot be used; the evidence is then verified without it. */
  referenceError?: string;
  /** The public key (SPKI PEM) a signed golden-values file must verify with; with it, an unsigned file is refused. */
  referenceKey?: { name: string; pem: string };
  /** The verification time as sent: ISO-8601 with a zone (see verifyAtText). */
  verifyAt: string;
  /** What the user typed, when it differs from verifyAt (no zone: read as UTC). */
  verifyAtText?: string;
  verifyAtAssumedUtc?: boolean;
  verifyAtError?: string;
  /** Expected nonce / report data as typed, its hex as sent, or why it cannot be used. */
  nonce: string;
  nonceHex?: string;
  nonceError?: string;
  /** The user chose the time; otherwise a live target is verified as of the moment its evidence arrives. */
  verifyAtSet?: boolean;
  status: 'idle' | 'running' | 'done' | 'error';
  response?: VerifyResponse;
  error?: { code: string; message: string };
  /** drop-to-verdict time of the last verification, ms */
  lastDurationMs?: number;
  /** What the shown result verified: dropped files, a saved target (its name), or an opened report (its file). */
  origin?: { kind: 'files' } | { kind: 'target'; name: string } | { kind: 'report'; name: string };
  /** An opened report or EAR token (opened/open-actions.ts); `response` is then its recheck. */
  opened?: OpenReportResponse;
  openedFile?: LoadedFile;
  /** Why the public key given for the opened token could not be used. */
  keyError?: string;
  /** Collateral from the cache only: nothing is fetched. */
  offline: boolean;
  tab: Tab;
}

export type State = CoreState & ConnectSlice & FleetSlice;

export const store = createStore<State>(() => ({
  files: [],
  fileProblems: [],
  nonce: '',
  verifyAt: nowIso(),
  status: 'idle',
  offline: false,
  tab: 'inspector',
  targets: [],
  secretsPersist: false,
  targetsLoaded: false,
  schedule: { enabled: false, minutes: 15 },
}));
export const useApp = <T>(select: (s: State) => T): T => useStore(store, select);

let generation = 0;

/** A newer verification (files or a target) supersedes any older one still running. */
export function nextGeneration(): number {
  return ++generation;
}

export function isCurrent(mine: number): boolean {
  return mine === generation;
}

export async function verifyNow(): Promise<void> {
  const s = store.getState();
  if (s.files.length === 0 || s.verifyAtError || s.nonceError) return;
  const mine = nextGeneration();
  const started = performance.now();
  store.setState({ status: 'running', error: undefined });
  try {
    const strip = (f: LoadedFile): FilePayload => ({ name: f.name, base64: f.base64 });
    const response = await api.verify({
      files: s.files.map(strip),
      at: s.verifyAt,
      offline: s.offline,
      ...(s.nonceHex ? { nonce: s.nonceHex } : {}),
      ...(s.reference && !s.referenceError ? { reference: strip(s.reference) } : {}),
      ...(s.reference && !s.referenceError && s.referenceKey ? { referenceKeyPem: s.referenceKey.pem } : {}),
    });
    if (mine !== generation) return; // a newer request superseded this one
    store.setState({
      status: 'done',
      response,
      opened: undefined,
      openedFile: undefined,
      origin: { kind: 'files' },
      lastDurationMs: performance.now() - started,
    });
  } catch (e) {
    if (mine !== generation) return;
    const err = e as { code?: string; message?: string };
    store.setState({ status: 'error', response: undefined, error: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) } });
  }
}

export async function addFiles(list: FileList | File[]): Promise<void> {
  const files = admit(Array.from(list));
  await addLoaded(await Promise.all(files.map(readFile)));
}

/** Files the page can send (size, count); the refused ones are named in the inputs panel. */
export function admit<T extends { name: string; size: number }>(list: readonly T[]): T[] {
  const { ok, problems } = admitFiles(
    list,
    store.getState().files.map((f) => f.name),
  );
  store.setState({ fileProblems: problems });
  return ok;
}

export async function addLoaded(loaded: LoadedFile[]): Promise<void> {
  if (loaded.length === 0) return;
  const names = new Set(loaded.map((f) => f.name));
  store.setState((s) => ({ files: [...s.files.filter((f) => !names.has(f.name)), ...loaded], status: 'idle', response: undefined }));
  await verifyNow();
}

/** Files already read elsewhere (Electron's native Open dialog): merged like dropped files. */
export async function addPayloads(list: FilePayload[]): Promise<void> {
  await addLoaded(admit(list.map((f) => ({ ...f, size: Math.floor((f.base64.length * 3) / 4) }))));
}

export async function addPasted(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text.trim());
  const file: LoadedFile = { name: `pasted-${store.getState().files.length + 1}.txt`, base64: toBase64(bytes), size: bytes.length };
  await addLoaded(admit([file]));
}

export function removeFile(name: string): void {
  store.setState((s) => ({ files: s.files.filter((f) => f.name !== name), response: undefined, status: 'idle' }));
  void verifyNow();
}

export function clearAll(): void {
  generation++;
  store.setState({
    files: [],
    fileProblems: [],
    reference: undefined,
    referenceError: undefined,
    response: undefined,
    status: 'idle',
    error: undefined,
    opened: undefined,
    openedFile: undefined,
  });
}

export function setVerifyAt(text: string): void {
  const { iso, assumedUtc, error } = parseVerifyAt(text);
  // Clear the old verdict at once: it answered another time.
  store.setState((s) => ({
    verifyAt: iso ?? s.verifyAt,
    verifyAtText: text,
    verifyAtAssumedUtc: assumedUtc,
    verifyAtSet: true,
    verifyAtError: error,
    response: undefined,
    status: 'idle',
  }));
  if (iso) void verifyNow();
}

/** The expected nonce: REPORT_DATA must begin with it. Re-verifies whenever it changes to a usable value. */
export function setNonce(text: string): void {
  const { hex, error } = parseNonce(text);
  store.setState({ nonce: text, nonceHex: hex, nonceError: error, response: undefined, status: 'idle' });
  if (!error) void verifyNow();
}

/** Golden values: read and checked here, so a broken file is explained beside it while the evidence still verifies. */
export async function setReference(file: File | undefined): Promise<void> {
  if (!file) return removeReference();
  const tooBig = referenceSizeProblem(file);
  const loaded: LoadedFile = tooBig ? { name: file.name, base64: '', size: file.size } : await readFile(file);
  store.setState({ reference: loaded, referenceError: tooBig ?? (await referenceProblem(loaded, store.getState().referenceKey?.pem)), response: undefined });
  await verifyNow();
}

/** The signer's public key for golden values: the loaded file is checked against it again, then verified with it. */
export async function setReferenceKey(key: { name: string; pem: string } | undefined): Promise<void> {
  const { reference } = store.getState();
  const referenceError = reference && (referenceSizeProblem(reference) ?? (await referenceProblem(reference, key?.pem)));
  store.setState({ referenceKey: key, referenceError: referenceError || undefined, response: undefined });
  await verifyNow();
}

export async function removeReference(): Promise<void> {
  store.setState({ reference: undefined, referenceError: undefined, response: undefined });
  await verifyNow();
}

/** Read as the verifier will: a signed file's signature is checked when a key is given, and refused unsigned then. */
async function referenceProblem(f: LoadedFile, publicKeyPem: string | undefined): Promise<string | undefined> {
  try {
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    await readReferenceFile(bytes, { crypto: webCryptoProvider(), ...(publicKeyPem ? { publicKeyPem } : {}) });
    return undefined;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `${err.code ?? 'MALFORMED_REFERENCE'}: ${err.message ?? String(e)}`;
  }
}

/** Offline: collateral from the cache only; the shown result is verified again under the new setting. */
export function setOffline(offline: boolean): void {
  store.setState({ offline });
  if (store.getState().origin?.kind !== 'target') void verifyNow();
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function setTab(tab: Tab): void {
  store.setState({ tab });
}

export async function readFile(file: File): Promise<LoadedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { name: file.name, base64: toBase64(bytes), size: bytes.length };
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
