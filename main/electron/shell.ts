import type * as ElectronModule from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ApiHandle } from '../api/handlers.js';
import { LIMITS } from '../api/schema.js';
import { errorBody } from '../api/errors.js';
import { readInput } from '../read-input.js';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-origin.js';
import { serveAppRequest } from './app-protocol.js';
import type { AppFiles } from './app-protocol.js';
import { IPC_CHANNEL, SAVE_PDF_CHANNEL, isTrustedSender, parseIpcCall } from './ipc.js';
import { menuTemplate } from './menu.js';
import { externalLinkDecision, navigationDecision, requestAllowed } from './navigation.js';
import { devicePermissionGranted, permissionGranted } from './permissions.js';
import { RecentFiles } from './recent-files.js';
import { windowOptionsFor } from './window-options.js';

/**
 * The Electron shell's wiring, with Electron passed in (main.ts passes the real module), so the order of
 * registration and every handler it installs can be exercised with a stand-in under plain Node.
 */
export type ShellElectron = Pick<typeof ElectronModule, 'app' | 'protocol' | 'session' | 'BrowserWindow' | 'Menu' | 'dialog' | 'ipcMain' | 'shell'>;

export interface ShellOptions {
  /** The packaged renderer folder, as a real path (symlinks resolved). */
  rendererDir: string;
  preload: string;
  devTools: boolean;
  files: AppFiles;
  /** Called once the app is ready (safeStorage needs it). */
  createApi(): ApiHandle;
  log(line: string): void;
}

const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame' } } as const;

export function startShell(e: ShellElectron, o: ShellOptions): void {
  // Before ready: Electron ignores privileged schemes registered later, and the sandbox applies to every renderer.
  e.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  e.app.enableSandbox();
  e.app.on('web-contents-created', (_event, contents) => hardenContents(e, o, contents));
  let api: ApiHandle | undefined;
  e.app.on('window-all-closed', () => (api?.close(), e.app.quit()));
  void e.app.whenReady().then(() => {
    api = o.createApi();
    hardenSession(e, o);
    e.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, o.rendererDir, o.files, o.log));
    const recent = new RecentFiles(join(e.app.getPath('userData'), 'recent-files.json'));
    const ready = api;
    e.ipcMain.handle(IPC_CHANNEL, (event, ...args) => onApiCall(ready, event, args));
    e.ipcMain.handle(SAVE_PDF_CHANNEL, (event) => savePdf(e, event));
    const win = new e.BrowserWindow(windowOptionsFor(o.preload, o.devTools));
    void win.loadURL(APP_INDEX_URL);
    installMenu(e, o, win, recent);
  });
}

/** Every web contents: no webviews, no new windows, no navigation off the app origin, no DevTools in production. */
function hardenContents(e: ShellElectron, o: ShellOptions, contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openDocs(e, o, url, 'window.open');
    return { action: 'deny' };
  });
  const guard = (event: { url: string; preventDefault(): void }, kind: string) => {
    if (navigationDecision(event.url).action === 'allow') return;
    event.preventDefault();
    openDocs(e, o, event.url, kind);
  };
  contents.on('will-navigate', (event) => guard(event, 'navigation'));
  contents.on('will-redirect', (event) => guard(event, 'redirect'));
  if (!o.devTools) contents.on('devtools-opened', () => contents.closeDevTools());
}

/** A documentation link goes to the user's browser when it is on the allow-list; anything else is refused and logged. */
function openDocs(e: ShellElectron, o: ShellOptions, url: string, what: string): void {
  const d = externalLinkDecision(url);
  if (d.open) void e.shell.openExternal(d.url);
  else o.log(`${what} refused for ${url}: ${d.reason}`);
}

/** The default session: permissions refused (see permissions.ts), device choosers refused, no request off the app origin. */
function hardenSession(e: ShellElectron, o: ShellOptions): void {
  const ses = e.session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = permissionGranted({ permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame });
    if (!granted) o.log(`permission ${permission} refused for ${details.requestingUrl}`);
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionGranted({ permission, requestingUrl: requestingOrigin, isMainFrame: details.isMainFrame }),
  );
  ses.setDevicePermissionHandler(() => devicePermissionGranted());
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = requestAllowed(details.url, o.devTools);
    if (!allowed) o.log(`request refused: ${details.url}`);
    callback({ cancel: !allowed });
  });
}

async function onApiCall(api: ApiHandle, event: IpcMainInvokeEvent, args: unknown[]) {
  if (!isTrustedSender(event.senderFrame)) return FORBIDDEN;
  const call = parseIpcCall(args);
  if ('error' in call) return { ok: false, error: { code: 'USAGE_ERROR', message: call.error } };
  try {
    return { ok: true, value: await api.dispatch(call.method, call.payload) };
  } catch (err) {
    return { ok: false, error: errorBody(err) };
  }
}

async function savePdf(e: ShellElectron, event: IpcMainInvokeEvent) {
  if (!isTrustedSender(event.senderFrame)) return FORBIDDEN;
  const win = e.BrowserWindow.fromWebContents(event.sender);
  if (!win) return { ok: false, error: { code: 'INTERNAL', message: 'no window' } };
  const target = await e.dialog.showSaveDialog(win, { defaultPath: 'tee-inspector-report.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  if (target.canceled || !target.filePath) return { ok: true, value: undefined };
  const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  await writeFile(target.filePath, pdf);
  return { ok: true, value: target.filePath };
}

/** The renderer is sandboxed and never sees paths: main reads the chosen files (size-capped) and sends their bytes. */
async function sendFiles(win: BrowserWindow, recent: RecentFiles, paths: string[]): Promise<void> {
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

function installMenu(e: ShellElectron, o: ShellOptions, win: BrowserWindow, recent: RecentFiles): void {
  const open = async () => {
    const r = await e.dialog.showOpenDialog(win, { properties: ['openFile', 'multiSelections'], title: 'Open evidence and collateral' });
    if (!r.canceled) await sendFiles(win, recent, r.filePaths);
  };
  const openExternal = (url: string) => openDocs(e, o, url, 'openExternal');
  const template = menuTemplate({ open: () => void open(), openRecent: (p) => void sendFiles(win, recent, [p]), openExternal }, recent.list(), o.devTools);
  e.Menu.setApplicationMenu(e.Menu.buildFromTemplate(template));
}
