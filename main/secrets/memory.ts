import type { SecretStore } from './secret-store.js';

/** Secrets held for this session only: used where the OS offers no encryption (browser mode, headless hosts). */
export function memorySecretStore(): SecretStore {
  const map = new Map<string, string>();
  return {
    persistent: false,
    async get(id) {
      return map.get(id);
    },
    async set(id, value) {
      map.set(id, value);
    },
    async delete(id) {
      map.delete(id);
    },
  };
}
