/**
 * Secrets the user gives the app (an SSH key's passphrase, an HTTPS endpoint's bearer token), by id.
 * They are never written in clear text: in Electron they are encrypted with the OS keychain through
 * safeStorage before they touch the disk; where no OS encryption is available (browser mode, a headless
 * host) they live in memory for this session only and `persistent` is false, so the UI can say so.
 */
export interface SecretStore {
  readonly persistent: boolean;
  get(id: string): Promise<string | undefined>;
  set(id: string, value: string): Promise<void>;
  delete(id: string): Promise<void>;
}
