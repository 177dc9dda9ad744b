import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore } from '../secrets/secret-store.js';
import { defaultCacheDir } from '../collateral/acquire.js';
import { defaultHostKeyStore } from '../cli/ssh-evidence.js';

/**
 * Where the API keeps its state, injected so tests run in temporary folders. The defaults are the ones the
 * CLI uses, so `tee-inspect fleet verify` and the app share saved targets, pinned host keys and the cache.
 */
export interface ApiOptions {
  /** Holds targets.json (tee-inspect/targets/v1). */
  dataDir: string;
  cacheDir: string;
  hostKeyStore: string;
  historyDir: string;
  secrets: SecretStore;
  /** A PCCS (or the tests' fake PCS) and AMD KDS base, and extra trust anchors (PEM) for them. */
  pcsBase?: string;
  kdsBase?: string;
  ca?: string;
  /** Environment for SSH collectors (the tests' configfs-tsm stand-in). */
  collectorEnv?: Record<string, string>;
  /** Per-target acquisition time limit. */
  timeoutMs?: number;
  now?: () => Date;
}

export function defaultDataDir(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tee-inspector');
}

export function defaultApiOptions(secrets: SecretStore, historyDir: string): ApiOptions {
  return { dataDir: defaultDataDir(), cacheDir: defaultCacheDir(), hostKeyStore: defaultHostKeyStore(), historyDir, secrets };
}

export function targetsPath(o: ApiOptions): string {
  return join(o.dataDir, 'targets.json');
}
