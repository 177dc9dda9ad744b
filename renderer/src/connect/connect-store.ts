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
  /** A message for the Fleet view, from an act done there (trusting a key a fleet row showed). */
  connectMessage?: Notice;
  /** The Connect view's own message: shown there only, never on other tabs. */
  connectNotice?: Notice;
  hostKey?: HostKeyPrompt;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
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
    store.setState({ targetsLoaded: true });
    say('error', message(e));
  }
}

/** Where a message belongs: the view the user acted in (Fleet can open the host-key dialog too). */
function say(kind: Notice['kind'], text: string): void {
  const notice = { kind, text };
  store.setState(store.getState().tab === 'fleet' ? { connectMessage: notice } : { connectNotice: notice });
}

/**
 * Saves the target, then any secret typed with it. `confirmed`: the user confirmed what an ssh:// target grants
 * (the API refuses one without it). Returns the saved name, or undefined after an error (shown).
 */
export async function saveTarget(form: TargetForm, previous?: string, confirmed = false): Promise<string | undefined> {
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
    await api.targetSave({ target, ...(previous ? { previous } : {}), ...(confirmed ? { confirmed } : {}) });
    if (ssh && form.passphrase) await api.setSecret({ name: target.name, kind: 'passphrase', value: form.passphrase });
    if (!ssh && form.token) await api.setSecret({ name: target.name, kind: 'token', value: form.token });
    say('ok', `Saved ${target.name}.`);
    await loadTargets();
    return target.name;
  } catch (e) {
    say('error', message(e));
    return undefined;
  }
}

export async function removeTarget(name: string): Promise<void> {
  try {
    await api.targetRemove({ name });
    say('ok', `Removed ${name} and its secrets.`);
  } catch (e) {
    say('error', message(e));
  }
  await loadTargets();
}

export async function clearSecret(name: string, kind: 'passphrase' | 'token'): Promise<void> {
  await api.clearSecret({ name, kind }).catch((e: unknown) => say('error', message(e)));
  await loadTargets();
}

/** Evidence from the target now, verified at the "verify as of" time; a host-key error opens the confirmation. */
export async function verifyTarget(name: string): Promise<void> {
  const mine = nextGeneration();
  const s = store.getState();
  store.setState({ verifying: name, status: 'running', error: undefined, response: undefined, connectNotice: undefined });
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
    // The dialog showed the fingerprint and the user chose "Trust this key": that is the confirmation the API requires.
    await api.trustHostKey({ host: p.host, port: p.port, fingerprint: p.fingerprint, confirmed: true });
    store.setState({ hostKey: undefined });
    say('ok', `Pinned ${p.fingerprint} for ${p.host}:${p.port}.`);
    if (p.target) await verifyTarget(p.target);
  } catch (e) {
    store.setState({ hostKey: undefined });
    say('error', message(e));
  }
}

/** The fingerprints pinned for a host (what a changed key is compared with). */
export async function pinnedFingerprints(host: string, port: number): Promise<string[]> {
  const { hosts } = await api.hostKeysList();
  return hosts.find((h) => h.host.toLowerCase() === host.toLowerCase() && h.port === port)?.fingerprints ?? [];
}

/**
 * The user confirmed that the host was re-keyed: the old pin goes, and the target is verified again, so its
 * new key is shown as unknown, to compare and confirm like any first connection (never accepted silently).
 */
export async function unpinOldKey(): Promise<void> {
  const p = store.getState().hostKey;
  if (!p || p.code !== 'HOST_KEY_CHANGED') return;
  try {
    const r = await api.unpinHostKey({ host: p.host, port: p.port });
    store.setState({ hostKey: undefined });
    say('ok', `Unpinned ${r.removed.join(', ')} for ${p.host}:${p.port}. Compare the new key's fingerprint before you trust it.`);
    if (p.target) await verifyTarget(p.target);
  } catch (e) {
    store.setState({ hostKey: undefined });
    say('error', message(e));
  }
}

export async function importKnownHosts(text: string): Promise<void> {
  try {
    // Called only from the import's confirmation dialog.
    const r = await api.importKnownHosts({ text, confirmed: true });
    const skipped = r.skipped.length ? `; skipped ${r.skipped.join(', ')} (a different key is already pinned)` : '';
    say('ok', `Imported ${r.imported} host key(s)${r.hosts.length ? ` for ${r.hosts.join(', ')}` : ''}${skipped}.`);
  } catch (e) {
    say('error', message(e));
  }
}

function message(e: unknown): string {
  const err = apiErrorBody(e);
  return `${err.code}: ${err.message}`;
}
