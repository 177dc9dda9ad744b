import { readFile, rename, writeFile } from 'node:fs/promises';
import { privateDir } from '../private-dir.js';
import { dirname } from 'node:path';
import { TeeError } from '../../app/errors.js';
import type { SecretStore } from './secret-store.js';

/** The part of Electron's safeStorage we use (injected, so this file runs and is tested without Electron). */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Secrets encrypted by the OS keychain (Electron safeStorage: DPAPI, Keychain, libsecret/kwallet) and kept
 * as base64 ciphertext in one JSON file with mode 0600. Refuses to store anything when encryption is not
 * available, rather than fall back to clear text.
 */
export function encryptedFileSecretStore(path: string, cipher: StringCipher): SecretStore {
  let cache: Record<string, string> | undefined;
  const load = async (): Promise<Record<string, string>> => {
    if (cache) return cache;
    try {
      const doc = JSON.parse(await readFile(path, 'utf8')) as unknown;
      cache =
        typeof doc === 'object' && doc !== null && !Array.isArray(doc)
          ? Object.fromEntries(Object.entries(doc).filter((e): e is [string, string] => typeof e[1] === 'string'))
          : {};
    } catch {
      cache = {};
    }
    return cache;
  };
  const save = async (doc: Record<string, string>) => {
    await privateDir(dirname(path));
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(doc, null, 2), { mode: 0o600 });
    await rename(tmp, path);
  };
  return {
    persistent: true,
    async get(id) {
      const enc = (await load())[id];
      if (enc === undefined || !cipher.isEncryptionAvailable()) return undefined;
      try {
        return cipher.decryptString(Buffer.from(enc, 'base64'));
      } catch {
        return undefined; // encrypted under another OS account or keychain: ask the user again
      }
    },
    async set(id, value) {
      if (!cipher.isEncryptionAvailable())
        throw new TeeError('USAGE_ERROR', 'the operating system offers no secret encryption here (no keychain or secret service): the secret is not saved');
      const doc = { ...(await load()), [id]: cipher.encryptString(value).toString('base64') };
      await save(doc);
      cache = doc;
    },
    async delete(id) {
      const doc = { ...(await load()) };
      delete doc[id];
      await save(doc);
      cache = doc;
    },
  };
}
