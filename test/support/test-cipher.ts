import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StringCipher } from '../../main/secrets/encrypted-file.js';

/** A stand-in for Electron's safeStorage with real encryption (AES-256-GCM under a per-instance key). */
export function testCipher(available = true): StringCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(enc) {
      const d = createDecipheriv('aes-256-gcm', key, enc.subarray(0, 12));
      d.setAuthTag(enc.subarray(12, 28));
      return Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
