import type { TargetView } from '../../../main/api/types.js';
import { api, apiErrorBody } from '../api.js';
import { store, nextGeneration, isCurrent } from '../store.js';

/** The Connect slice: saved targets, the host-key confirmation, and live verification of one target. */
export interface HostKeyPrompt {
  target?: string;
  host: string;
  port: number;
  fingerprint: string;
  code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED';
}

export interface ConnectSlice {
  targets: TargetView[];
  secretsPersist: boolean;
  targetsLoaded: boolean;
  /** The target a live verification is running for. */
  verifying?: string;
  connectMessage?: { kind: 'ok' | 'error'; text: string };
  hostKey?: HostKeyPrompt;
}

/** What the Connect form edits; secrets are sent once on save and never kept in the store. */
export interface TargetForm {
  name: string;
  url: string;
  adapter: string;
  auth: 'agent' | 'key';
  identity: string;
  collector: string;
  nonce: boolean;
  passphrase: string;
  token: string;
}

export async function loadTargets(): Promise<void> {
  try {
    const r = await api.targetsList();
    store.setState({ targets: r.targets, secretsPersist: r.secretsPersist, targetsLoaded: true });
  } catch (e) {
    store.setState({ targetsLoaded: true, connectMessage: { kind: 'error', text: message(e) } });
  }
}

/** Saves the target, then any secret typed with it. Returns the saved name, or undefined after an error (shown). */
export async function saveTarget(form: TargetForm, previous?: string): Promise<string | undefined> {
  const ssh = form.url.trim().startsWith('ssh:');
  const target = {
    name: form.name.trim(),
    url: form.url.trim(),
    ...(!ssh && form.adapter ? { adapter: form.adapter } : {}),
    ...(ssh && form.auth === 'key' && form.identity.trim() ? { identity: form.identity.trim() } : {}),
    ...(ssh && form.collector.trim() ? { collector: form.collector.trim() } : {}),
    ...(form.nonce ? {} : { nonce: false }),
  };
  try {
    await api.targetSave({ target, ...(previous ? { previous } : {}) });
    if (ssh && form.passphrase) await api.setSecret({ name: target.name, kind: 'passphrase', value: form.passphrase });
    if (!ssh && form.token) await api.setSecret({ name: target.name, kind: 'token', value: form.token });
    store.setState({ connectMessage: { kind: 'ok', text: `Saved ${target.name}.` } });
    await loadTargets();
    return target.name;
  } catch (e) {
    store.setState({ connectMessage: { kind: 'error', text: message(e) } });
    return undefined;
  }
}

export async function removeTarget(name: string): Promise<void> {
  try {
    await api.targetRemove({ name });
    store.setState({ connectMessage: { kind: 'ok', text: `Removed ${name} and its secrets.` } });
  } catch (e) {
    store.setState({ connectMessage: { kind: 'error', text: message(e) } });
  }
  await loadTargets();
}

export async function clearSecret(name: string, kind: 'passphrase' | 'token'): Promise<void> {
  await api.clearSecret({ name, kind }).catch((e: unknown) => store.setState({ connectMessage: { kind: 'error', text: message(e) } }));
  await loadTargets();
}

/** Evidence from the target now, verified at the "verify as of" time; a host-key error opens the confirmation. */
export async function verifyTarget(name: string): Promise<void> {
  const mine = nextGeneration();
  const s = store.getState();
  store.setState({ verifying: name, status: 'running', error: undefined, response: undefined, connectMessage: undefined });
  const started = performance.now();
  try {
    const response = await api.verifyTarget({ name, offline: s.offline, ...(s.verifyAtSet && !s.verifyAtError ? { at: s.verifyAt } : {}) });
    if (!isCurrent(mine)) return;
    store.setState({ status: 'done', response, origin: { kind: 'target', name }, lastDurationMs: performance.now() - started });
  } catch (e) {
    if (!isCurrent(mine)) return;
    const err = apiErrorBody(e);
    const code = err.code === 'HOST_KEY_UNKNOWN' || err.code === 'HOST_KEY_CHANGED' ? err.code : undefined;
    const prompt: HostKeyPrompt | undefined = err.detail && code ? { ...err.detail, code, target: name } : undefined;
    store.setState({ status: 'error', error: { code: err.code, message: err.message }, ...(prompt ? { hostKey: prompt } : {}) });
  } finally {
    if (store.getState().verifying === name) store.setState({ verifying: undefined });
    void loadTargets();
  }
}

export function askHostKey(prompt: HostKeyPrompt): void {
  store.setState({ hostKey: prompt });
}

export function dismissHostKey(): void {
  store.setState({ hostKey: undefined });
}

/** The user confirmed the fingerprint shown: pin it, then verify the target again. */
export async function trustHostKey(): Promise<void> {
  const p = store.getState().hostKey;
  if (!p || p.code !== 'HOST_KEY_UNKNOWN') return;
  try {
    await api.trustHostKey({ host: p.host, port: p.port, fingerprint: p.fingerprint });
    store.setState({ hostKey: undefined, connectMessage: { kind: 'ok', text: `Pinned ${p.fingerprint} for ${p.host}:${p.port}.` } });
    if (p.target) await verifyTarget(p.target);
  } catch (e) {
    store.setState({ hostKey: undefined, connectMessage: { kind: 'error', text: message(e) } });
  }
}

export async function importKnownHosts(text: string): Promise<void> {
  try {
    const r = await api.importKnownHosts({ text });
    const skipped = r.skipped.length ? `; skipped ${r.skipped.join(', ')} (a different key is already pinned)` : '';
    store.setState({
      connectMessage: { kind: 'ok', text: `Imported ${r.imported} host key(s)${r.hosts.length ? ` for ${r.hosts.join(', ')}` : ''}${skipped}.` },
    });
  } catch (e) {
    store.setState({ connectMessage: { kind: 'error', text: message(e) } });
  }
}

function message(e: unknown): string {
  const err = apiErrorBody(e);
  return `${err.code}: ${err.message}`;
}
