import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiOptions } from '../../main/api/options.js';
import { memorySecretStore } from '../../main/secrets/memory.js';

/** API state in a fresh temporary folder: saved targets, collateral cache, host keys, history, session secrets. */
export function tempApiOptions(extra: Partial<ApiOptions> = {}): ApiOptions {
  const dir = mkdtempSync(join(tmpdir(), 'tee-api-'));
  return {
    dataDir: join(dir, 'data'),
    cacheDir: join(dir, 'cache'),
    hostKeyStore: join(dir, 'data', 'known-hosts.json'),
    historyDir: join(dir, 'data', 'history'),
    secrets: memorySecretStore(),
    ...extra,
  };
}
