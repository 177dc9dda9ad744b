import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startShell } from '../../main/electron/shell.js';
import type { ShellElectron } from '../../main/electron/shell.js';
import { APP_INDEX_URL, APP_SCHEME_PRIVILEGES } from '../../main/electron/app-origin.js';
import { nodeAppFiles } from '../../main/electron/app-protocol.js';
import { APP_CSP } from '../../main/electron/csp.js';
import { IPC_CHANNEL, SAVE_PDF_CHANNEL } from '../../main/electron/ipc.js';
import { webPreferencesFor } from '../../main/electron/window-options.js';
import { createApi } from '../../main/api/handlers.js';
import { tempApiOptions } from '../support/api-options.js';

/**
 * Electron's binary cannot run here, so the shell's wiring runs against a stand-in that records what the
 * shell registers: the order (scheme before ready), the handlers, and what each of them decides.
 */
type Fn = (...args: any[]) => any;

function fakeElectron() {
  const calls: string[] = [];
  const listeners = new Map<string, Fn>();
  const ipc = new Map<string, Fn>();
  const handlers: Record<string, Fn> = {};
  const windows: { options: any; loaded: string[] }[] = [];
  const opened: string[] = [];
  let menu: any[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const userData = mkdtempSync(join(tmpdir(), 'tee-shell-'));
  class BrowserWindow {
    loaded: string[] = [];
    webContents = { send: () => {}, printToPDF: async () => Buffer.from('') };
    constructor(public options: any) {
      windows.push(this);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    static fromWebContents() {
      return windows[0];
    }
  }
  const fake = {
    app: {
      enableSandbox: () => calls.push('enableSandbox'),
      on: (event: string, fn: Fn) => listeners.set(event, fn),
      whenReady: () => whenReady,
      getPath: () => userData,
      quit: () => calls.push('quit'),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, fn: Fn) => (calls.push(`handle ${scheme}`), (handlers.protocol = fn)),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (handlers.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (handlers.permissionCheck = fn),
        setDevicePermissionHandler: (fn: Fn) => (handlers.device = fn),
        webRequest: { onBeforeRequest: (fn: Fn) => (handlers.beforeRequest = fn) },
      },
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: any[]) => t, setApplicationMenu: (m: any[]) => (menu = m) },
    dialog: { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (channel: string, fn: Fn) => ipc.set(channel, fn) },
    shell: { openExternal: async (url: string) => void opened.push(url) },
  };
  return { electron: fake as unknown as ShellElectron, calls, listeners, ipc, handlers, windows, opened, menu: () => menu, ready };
}

function rendererFixture(): string {
  const root = join(realpathSync(mkdtempSync(join(tmpdir(), 'tee-shell-renderer-'))), 'renderer');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>TEE Inspector</title>');
  return root;
}

/** A web contents stand-in: records listeners, the window-open handler, preventDefault and closeDevTools. */
function fakeContents() {
  const on = new Map<string, Fn>();
  let windowOpen: Fn = () => undefined;
  let closed = 0;
  return {
    contents: {
      on: (event: string, fn: Fn) => on.set(event, fn),
      setWindowOpenHandler: (fn: Fn) => (windowOpen = fn),
      closeDevTools: () => closed++,
    },
    on,
    windowOpen: (url: string) => windowOpen({ url }),
    closed: () => closed,
  };
}

function navigate(fn: Fn, url: string): boolean {
  let prevented = false;
  fn({ url, preventDefault: () => (prevented = true) });
  return prevented;
}

async function started(devTools = false) {
  const f = fakeElectron();
  const logs: string[] = [];
  const root = rendererFixture();
  startShell(f.electron, {
    rendererDir: root,
    preload: '/app/preload.cjs',
    devTools,
    files: nodeAppFiles(),
    createApi: () => createApi({ name: 'TEE Inspector', version: 'test', mode: 'electron' }, tempApiOptions()),
    log: (l) => logs.push(l),
  });
  return { ...f, logs, root };
}

test('the app:// scheme is registered before ready, and served only after it', async () => {
  const s = await started();
  assert.deepEqual(s.calls, [`registerSchemesAsPrivileged ${JSON.stringify([APP_SCHEME_PRIVILEGES])}`, 'enableSandbox']);
  assert.equal(s.windows.length, 0, 'no window before ready');
  s.ready();
  await new Promise((r) => setImmediate(r));
  assert.equal(s.calls[2], 'handle app');
  const res = (await s.handlers.protocol!(new Request(APP_INDEX_URL))) as Response;
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'), APP_CSP);
  assert.equal(((await s.handlers.protocol!(new Request('app://tee-inspector/..%2f..%2fetc%2fpasswd'))) as Response).status, 400);
  assert.equal(s.windows.length, 1);
  assert.deepEqual(s.windows[0]!.options.webPreferences, webPreferencesFor('/app/preload.cjs', false));
  assert.deepEqual(s.windows[0]!.loaded, [APP_INDEX_URL], 'the renderer comes from app://, not file://');
});

test('the session refuses permissions, device choosers and requests off the app origin', async () => {
  const s = await started();
  s.ready();
  await new Promise((r) => setImmediate(r));
  const answers: boolean[] = [];
  for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
    s.handlers.permissionRequest!({}, permission, (ok: boolean) => answers.push(ok), { requestingUrl: APP_INDEX_URL, isMainFrame: true });
  assert.deepEqual(answers, [false, false, false, false, false]);
  assert.ok(s.logs.some((l) => l.includes('permission media refused')));
  assert.equal(s.handlers.permissionCheck!({}, 'hid', 'app://tee-inspector', { isMainFrame: true }), false);
  assert.equal(s.handlers.permissionCheck!({}, 'clipboard-sanitized-write', 'https://evil.example', { isMainFrame: true }), false);
  assert.equal(s.handlers.device!({ deviceType: 'usb', origin: 'app://tee-inspector' }), false);
  const cancel = (url: string) => {
    let r: any;
    s.handlers.beforeRequest!({ url }, (x: any) => (r = x));
    return r.cancel;
  };
  assert.equal(cancel('https://evil.example/x.js'), true);
  assert.equal(cancel('devtools://devtools/bundled/inspector.html'), true);
  assert.equal(cancel('app://tee-inspector/assets/index.js'), false);
});

test('IPC answers the app page only: other origins, sub-frames and gone frames are forbidden', async () => {
  const s = await started();
  s.ready();
  await new Promise((r) => setImmediate(r));
  const api = s.ipc.get(IPC_CHANNEL)!;
  const ok = await api({ senderFrame: { url: APP_INDEX_URL, parent: null } }, 'appInfo', {});
  assert.equal(ok.ok, true);
  assert.equal(ok.value.mode, 'electron');
  for (const senderFrame of [
    { url: 'file:///opt/app.asar/dist/renderer/index.html', parent: null },
    { url: 'https://evil.example/index.html', parent: null },
    { url: APP_INDEX_URL, parent: {} },
    null,
  ]) {
    assert.equal((await api({ senderFrame }, 'appInfo', {})).error.code, 'FORBIDDEN', JSON.stringify(senderFrame));
    assert.equal((await s.ipc.get(SAVE_PDF_CHANNEL)!({ senderFrame, sender: {} })).error.code, 'FORBIDDEN');
  }
  assert.equal((await api({ senderFrame: { url: APP_INDEX_URL, parent: null } }, 'eval', {})).error.code, 'USAGE_ERROR');
});

test('every web contents: no webview, no window, no navigation away; documentation opens in the browser', async () => {
  const s = await started();
  const c = fakeContents();
  s.listeners.get('web-contents-created')!({}, c.contents);
  assert.equal(navigate(c.on.get('will-attach-webview')!, 'about:blank'), true);
  assert.equal(navigate(c.on.get('will-navigate')!, `${APP_INDEX_URL}#/fleet`), false, 'in-app navigation');
  assert.equal(navigate(c.on.get('will-navigate')!, 'https://evil.example/'), true);
  assert.equal(navigate(c.on.get('will-redirect')!, 'http://127.0.0.1:9/'), true);
  const advisory = 'https://www.intel.com/content/www/us/en/security-center/advisory/intel-sa-00837.html';
  assert.equal(navigate(c.on.get('will-navigate')!, advisory), true, 'the window stays; the browser opens the page');
  assert.deepEqual(c.windowOpen(advisory), { action: 'deny' });
  assert.deepEqual(c.windowOpen('https://evil.example/'), { action: 'deny' });
  assert.deepEqual(c.windowOpen('file:///etc/passwd'), { action: 'deny' });
  assert.deepEqual(s.opened, [advisory, advisory]);
  assert.ok(s.logs.some((l) => l.startsWith('window.open refused for https://evil.example/')));
  c.on.get('devtools-opened')!();
  assert.equal(c.closed(), 1, 'DevTools opened anyhow are closed again');
});

test('with DevTools enabled for development, the window and menu offer them', async () => {
  const s = await started(true);
  const c = fakeContents();
  s.listeners.get('web-contents-created')!({}, c.contents);
  assert.equal(c.on.has('devtools-opened'), false);
  s.ready();
  await new Promise((r) => setImmediate(r));
  assert.equal(s.windows[0]!.options.webPreferences.devTools, true);
  assert.ok(JSON.stringify(s.menu()).includes('toggleDevTools'));
});

test('in production the installed menu has no DevTools item', async () => {
  const s = await started(false);
  s.ready();
  await new Promise((r) => setImmediate(r));
  assert.ok(s.menu().length > 0);
  assert.doesNotMatch(JSON.stringify(s.menu()), /toggleDevTools/i);
  s.listeners.get('window-all-closed')!();
  assert.ok(s.calls.includes('quit'));
});
