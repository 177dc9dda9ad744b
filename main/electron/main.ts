import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from '../api/handlers.js';
import type { ApiHandle } from '../api/handlers.js';
import { defaultApiOptions } from '../api/options.js';
import { encryptedFileSecretStore } from '../secrets/encrypted-file.js';
import { memorySecretStore } from '../secrets/memory.js';
import { defaultHistoryDir } from '../fleet/history.js';
import { findRendererDir } from '../server/browser-server.js';
import { nodeAppFiles, packagedRendererDir } from './app-protocol.js';
import { startShell } from './shell.js';
import { devToolsEnabled } from './window-options.js';

// Electron main: the real Electron module and file system handed to the shell (shell.ts holds the wiring).

/**
 * Secrets are encrypted by the OS keychain (safeStorage) before they touch the disk. Where there is no keychain
 * (or Linux falls back to safeStorage's "basic_text", a fixed key), they stay in memory for the session and the
 * app says so. Targets, host keys, history and the collateral cache are the CLI's, so `tee-inspect fleet verify`
 * sees what the app saved. Called once the app is ready (safeStorage needs it).
 */
function createAppApi(): ApiHandle {
  const keychain = safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text');
  const secrets = keychain ? encryptedFileSecretStore(join(app.getPath('userData'), 'secrets.json'), safeStorage) : memorySecretStore();
  return createApi({ name: 'TEE Inspector', version: app.getVersion(), mode: 'electron' }, defaultApiOptions(secrets, defaultHistoryDir()));
}

// A packaged app serves only its own dist/renderer; a development run may use a build elsewhere (TEE_RENDERER_OUT).
// fs.realpathSync through the module object: the one Electron patches to resolve paths inside app.asar.
const rendererDir = fs.realpathSync(app.isPackaged ? packagedRendererDir(import.meta.url) : findRendererDir());

startShell(
  { app, protocol, session, BrowserWindow, Menu, dialog, ipcMain, shell },
  {
    rendererDir,
    preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    devTools: devToolsEnabled(app.isPackaged, process.env),
    files: nodeAppFiles(),
    createApi: createAppApi,
    log: (line) => console.warn(`[tee-inspector] ${line}`),
  },
);
