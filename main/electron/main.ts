import { app, BrowserWindow, Menu, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, join } from 'node:path';
import { createApi } from '../api/handlers.js';
import type { ApiHandle } from '../api/handlers.js';
import { LIMITS } from '../api/schema.js';
import { defaultApiOptions } from '../api/options.js';
import { errorBody } from '../api/errors.js';
import { encryptedFileSecretStore } from '../secrets/encrypted-file.js';
import { memorySecretStore } from '../secrets/memory.js';
import { defaultHistoryDir } from '../fleet/history.js';
import { findRendererDir } from '../server/browser-server.js';
import { PAGE_CSP } from '../server/security.js';
import { IPC_CHANNEL, isTrustedSenderUrl, parseIpcCall } from './ipc.js';
import { RecentFiles } from './recent-files.js';
import { readInput } from '../read-input.js';

/** Electron main: a hardened window over the renderer, and the validated API over one IPC channel. */
const rendererIndex = pathToFileURL(join(findRendererDir(), 'index.html')).href;
const preload = fileURLToPath(new URL('./preload.cjs', import.meta.url));
let api: ApiHandle;

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

let recent: RecentFiles;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 900,
    title: 'TEE Inspector',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  void win.loadURL(rendererIndex);
  return win;
}

async function onApiCall(event: IpcMainInvokeEvent, ...args: unknown[]) {
  if (!isTrustedSenderUrl(event.senderFrame?.url, rendererIndex)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame' } };
  const call = parseIpcCall(args);
  if ('error' in call) return { ok: false, error: { code: 'USAGE_ERROR', message: call.error } };
  try {
    return { ok: true, value: await api.dispatch(call.method, call.payload) };
  } catch (e) {
    return { ok: false, error: errorBody(e) };
  }
}

async function savePdf(event: IpcMainInvokeEvent) {
  if (!isTrustedSenderUrl(event.senderFrame?.url, rendererIndex)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame' } };
  const win = BrowserWindow.fromWebContents(event.sender);
  if (!win) return { ok: false, error: { code: 'INTERNAL', message: 'no window' } };
  const target = await dialog.showSaveDialog(win, { defaultPath: 'tee-inspector-report.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  if (target.canceled || !target.filePath) return { ok: true, value: undefined };
  const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  await writeFile(target.filePath, pdf);
  return { ok: true, value: target.filePath };
}

/** The renderer is sandboxed and never sees paths: the main process reads the chosen files (size-capped) and sends their bytes. */
async function sendFiles(win: BrowserWindow, paths: string[]): Promise<void> {
  const files = [];
  for (const p of paths.slice(0, LIMITS.files)) {
    // Regular files only, bounded while read: a device or FIFO the user picked is skipped, not read forever.
    const bytes = await readInput(p, undefined, { limit: LIMITS.fileBytes }).catch(() => undefined);
    if (!bytes) continue;
    files.push({ name: basename(p), base64: Buffer.from(bytes).toString('base64') });
    recent.add(p);
  }
  win.webContents.send('tee-inspector:open-files', files);
}

function menu(win: BrowserWindow): void {
  const open = async () => {
    const r = await dialog.showOpenDialog(win, { properties: ['openFile', 'multiSelections'], title: 'Open evidence and collateral' });
    if (!r.canceled) await sendFiles(win, r.filePaths);
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void open() },
        { label: 'Open Recent', submenu: recent.list().map((p) => ({ label: p, click: () => void sendFiles(win, [p]) })) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'resetZoom' }],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Intel Security Center', click: () => void shell.openExternal('https://www.intel.com/content/www/us/en/security-center/default.html') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

void app.whenReady().then(() => {
  recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
  api = createAppApi();
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [PAGE_CSP] } }),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  ipcMain.handle(IPC_CHANNEL, onApiCall);
  ipcMain.handle('tee-inspector:save-pdf', savePdf);
  const win = createWindow();
  menu(win);
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});
app.on('window-all-closed', () => (api?.close(), app.quit()));
