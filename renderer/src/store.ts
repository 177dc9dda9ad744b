import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { OpenReportResponse, VerifyResponse } from '../../main/api/handlers.js';
import type { FilePayload } from '../../main/api/schema.js';
import { api } from './api.js';
// Slice types only: the slices' actions import this store, so their initial state lives here (no import cycle at load).
import type { ConnectSlice } from './connect/connect-store.js';
import type { FleetSlice } from './fleet/fleet-store.js';

/** One store of slices (zustand vanilla core, thin React binding); actions are module-level functions. */
export type Tab = 'inspector' | 'collateral' | 'boundary' | 'threats' | 'reference' | 'export' | 'connect' | 'fleet';

export interface LoadedFile extends FilePayload {
  size: number;
}

interface CoreState {
  files: LoadedFile[];
  reference?: LoadedFile;
  verifyAt: string;
  verifyAtError?: string;
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
  if (s.files.length === 0 || s.verifyAtError) return;
  const mine = nextGeneration();
  const started = performance.now();
  store.setState({ status: 'running', error: undefined });
  try {
    const strip = (f: LoadedFile): FilePayload => ({ name: f.name, base64: f.base64 });
    const response = await api.verify({
      files: s.files.map(strip),
      at: s.verifyAt,
      offline: s.offline,
      ...(s.reference ? { reference: strip(s.reference) } : {}),
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
  await addLoaded(await Promise.all(Array.from(list).map(readFile)));
}

export async function addLoaded(loaded: LoadedFile[]): Promise<void> {
  const names = new Set(loaded.map((f) => f.name));
  store.setState((s) => ({ files: [...s.files.filter((f) => !names.has(f.name)), ...loaded], status: 'idle', response: undefined }));
  await verifyNow();
}

/** Files already read elsewhere (Electron's native Open dialog): merged like dropped files. */
export async function addPayloads(list: FilePayload[]): Promise<void> {
  const loaded = list.map((f) => ({ ...f, size: Math.floor((f.base64.length * 3) / 4) }));
  const names = new Set(loaded.map((f) => f.name));
  store.setState((s) => ({ files: [...s.files.filter((f) => !names.has(f.name)), ...loaded] }));
  await verifyNow();
}

export async function addPasted(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text.trim());
  const file: LoadedFile = { name: `pasted-${store.getState().files.length + 1}.txt`, base64: toBase64(bytes), size: bytes.length };
  store.setState((s) => ({ files: [...s.files, file] }));
  await verifyNow();
}

export function removeFile(name: string): void {
  store.setState((s) => ({ files: s.files.filter((f) => f.name !== name), response: undefined, status: 'idle' }));
  void verifyNow();
}

export function clearAll(): void {
  generation++;
  store.setState({ files: [], reference: undefined, response: undefined, status: 'idle', error: undefined, opened: undefined, openedFile: undefined });
}

export function setVerifyAt(text: string): void {
  const ok = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/.test(text.trim()) && !Number.isNaN(Date.parse(text));
  // Clear the old verdict at once: it answered another time.
  store.setState({
    verifyAt: text,
    verifyAtSet: true,
    verifyAtError: ok ? undefined : 'Use an ISO-8601 time such as 2025-07-19T10:00:34Z',
    response: undefined,
    status: 'idle',
  });
  if (ok) void verifyNow();
}

export async function setReference(file: File | undefined): Promise<void> {
  store.setState({ reference: file ? await readFile(file) : undefined, response: undefined });
  await verifyNow();
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
