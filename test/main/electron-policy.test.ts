import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { APP_CSP, APP_CSP_DIRECTIVES, APP_RESPONSE_HEADERS } from '../../main/electron/csp.js';
import { GRANTED_TO_APP, devicePermissionGranted, permissionGranted } from '../../main/electron/permissions.js';
import { EXTERNAL_DOC_HOSTS, externalLinkDecision, navigationDecision, requestAllowed } from '../../main/electron/navigation.js';
import { DEVTOOLS_ENV, devToolsEnabled, webPreferencesFor, windowOptionsFor } from '../../main/electron/window-options.js';
import { SECURITY_CENTER_URL, menuTemplate } from '../../main/electron/menu.js';

const APP = 'app://tee-inspector/index.html';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test("the app's CSP allows its own origin only, and nothing inline, evaluated or remote", () => {
  const d = directives(APP_CSP);
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('style-src'), ["'self'"]);
  assert.deepEqual(d.get('connect-src'), ["'none'"], 'the page talks to main over IPC, not the network');
  for (const name of ['object-src', 'frame-src', 'worker-src', 'base-uri', 'form-action', 'frame-ancestors']) assert.deepEqual(d.get(name), ["'none'"], name);
  const all = [...d.values()].flat();
  for (const s of all) assert.ok(["'self'", "'none'", 'data:', 'blob:'].includes(s), `unexpected source ${s}`);
  assert.doesNotMatch(APP_CSP, /unsafe|\*|https?:|file:|app:/);
  assert.deepEqual(d.get('img-src'), ["'self'", 'data:', 'blob:']);
  assert.equal(d.size, Object.keys(APP_CSP_DIRECTIVES).length, 'no directive repeated');
  assert.equal(APP_RESPONSE_HEADERS['Content-Security-Policy'], APP_CSP);
  assert.equal(APP_RESPONSE_HEADERS['X-Content-Type-Options'], 'nosniff');
});

test('every permission is refused, except a clipboard write from the app top frame', () => {
  const permissions = [
    'clipboard-read',
    'display-capture',
    'fullscreen',
    'geolocation',
    'idle-detection',
    'media',
    'mediaKeySystem',
    'midi',
    'midiSysex',
    'notifications',
    'pointerLock',
    'keyboardLock',
    'openExternal',
    'speaker-selection',
    'storage-access',
    'top-level-storage-access',
    'window-management',
    'unknown',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'deprecated-sync-clipboard-read',
  ];
  for (const permission of permissions) {
    for (const requestingUrl of [APP, 'app://tee-inspector', 'https://www.intel.com/', undefined]) {
      assert.equal(permissionGranted({ permission, requestingUrl, isMainFrame: true }), false, `${permission} for ${requestingUrl}`);
    }
  }
  assert.deepEqual([...GRANTED_TO_APP], ['clipboard-sanitized-write']);
  assert.equal(permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: APP, isMainFrame: true }), true);
  assert.equal(
    permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: 'app://tee-inspector', isMainFrame: true }),
    true,
    'check handler origin',
  );
  assert.equal(permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: APP, isMainFrame: false }), false, 'a sub-frame');
  for (const other of ['https://evil.example/', 'file:///tmp/x.html', 'app://evil/index.html', undefined])
    assert.equal(permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: other, isMainFrame: true }), false, String(other));
  assert.equal(devicePermissionGranted(), false);
});

test('openExternal opens only allow-listed vendor documentation over https', () => {
  assert.deepEqual([...EXTERNAL_DOC_HOSTS].sort(), ['api.portal.trustedservices.intel.com', 'www.amd.com', 'www.intel.com']);
  for (const url of [
    'https://www.intel.com/content/www/us/en/security-center/advisory/intel-sa-00837.html',
    SECURITY_CENTER_URL,
    'https://www.amd.com/en/resources/product-security/bulletin/amd-sb-3019.html',
    'https://api.portal.trustedservices.intel.com/content/documentation.html',
    'https://WWW.INTEL.COM/content/x.html',
  ])
    assert.equal(externalLinkDecision(url).open, true, url);
  for (const url of [
    'http://www.intel.com/',
    'https://www.intel.com.evil.example/',
    'https://evil.example/?https://www.intel.com/',
    'https://user:pw@www.intel.com/',
    'https://www.intel.com:8443/',
    'https://intel.com/',
    'https://downloads.intel.com/',
    'https://api.trustedservices.intel.com/sgx/certification/v4/tcb',
    'https://kdsintf.amd.com/vcek/v1/Milan',
    'https://github.com/',
    'file:///etc/passwd',
    'mailto:someone@intel.com',
    'javascript:alert(1)',
    'ms-settings:privacy',
    'https://93.184.216.34/',
    'not a url',
    '',
  ]) {
    const d = externalLinkDecision(url);
    assert.equal(d.open, false, url);
    assert.ok(!d.open && d.reason.length > 0, url);
  }
  assert.equal(
    externalLinkDecision('https://WWW.INTEL.COM/x').open && (externalLinkDecision('https://WWW.INTEL.COM/x') as { url: string }).url,
    'https://www.intel.com/x',
  );
});

test('navigation stays on the app origin; documentation goes to the browser; the rest is refused', () => {
  assert.deepEqual(navigationDecision(APP), { action: 'allow' });
  assert.deepEqual(navigationDecision(`${APP}#/fleet`), { action: 'allow' });
  assert.deepEqual(navigationDecision(SECURITY_CENTER_URL), { action: 'external', url: SECURITY_CENTER_URL });
  for (const url of [
    'https://evil.example/',
    'file:///tmp/evil.html',
    'app://evil/index.html',
    'http://127.0.0.1:8080/',
    'data:text/html,x',
    'blob:app://tee-inspector/1',
  ])
    assert.equal(navigationDecision(url).action, 'deny', url);
});

test("the session lets through the app's own files and inline images only", () => {
  for (const url of [APP, 'app://tee-inspector/assets/index.js', 'data:image/png;base64,AA==', 'blob:app://tee-inspector/abc'])
    assert.equal(requestAllowed(url, false), true, url);
  for (const url of [
    'https://api.trustedservices.intel.com/',
    'http://127.0.0.1/',
    'ws://127.0.0.1/',
    'file:///etc/passwd',
    'app://evil/x.js',
    'devtools://devtools/x',
  ])
    assert.equal(requestAllowed(url, false), false, url);
  assert.equal(requestAllowed('devtools://devtools/bundled/inspector.html', true), true, 'only when DevTools are enabled');
  assert.equal(requestAllowed('https://evil.example/', true), false);
});

test('the window is isolated, sandboxed, without Node, with web security on and no DevTools by default', () => {
  const w = webPreferencesFor('/app/preload.cjs', false);
  assert.equal(w.preload, '/app/preload.cjs');
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.experimentalFeatures, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.navigateOnDragDrop, false);
  assert.equal(w.devTools, false);
  assert.equal(webPreferencesFor('/p', true).devTools, true);
  assert.deepEqual(windowOptionsFor('/p', false).webPreferences, webPreferencesFor('/p', false));
});

test('DevTools need an unpackaged run and an explicit flag', () => {
  assert.equal(DEVTOOLS_ENV, 'TEE_INSPECTOR_DEVTOOLS');
  assert.equal(devToolsEnabled(false, { [DEVTOOLS_ENV]: '1' }), true);
  assert.equal(devToolsEnabled(true, { [DEVTOOLS_ENV]: '1' }), false, 'never in a packaged app');
  assert.equal(devToolsEnabled(false, {}), false);
  assert.equal(devToolsEnabled(false, { [DEVTOOLS_ENV]: 'true' }), false);
  assert.equal(devToolsEnabled(false, { NODE_ENV: 'development' }), false);
});

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

test('no menu item or accelerator opens DevTools unless they are enabled', () => {
  const opened: string[] = [];
  const actions = { open: () => opened.push('open'), openRecent: (p: string) => opened.push(p), openExternal: (u: string) => opened.push(u) };
  const prod = flatten(menuTemplate(actions, ['/tmp/a.quote'], false));
  assert.equal(
    prod.some((i) => i.role === 'toggleDevTools' || /devtools|inspect/i.test(String(i.label ?? ''))),
    false,
  );
  assert.equal(
    prod.some((i) => /Shift\+I|Alt\+Cmd\+I|F12/i.test(String(i.accelerator ?? ''))),
    false,
  );
  assert.ok(prod.some((i) => i.role === 'reload'));
  const dev = flatten(menuTemplate(actions, [], true));
  assert.ok(dev.some((i) => i.role === 'toggleDevTools'));
  const byLabel = (label: string) => prod.find((i) => i.label === label)!;
  (byLabel('Intel Security Center').click as () => void)();
  (byLabel('/tmp/a.quote').click as () => void)();
  assert.deepEqual(opened, [SECURITY_CENTER_URL, '/tmp/a.quote']);
  assert.equal(externalLinkDecision(SECURITY_CENTER_URL).open, true, 'the Help link passes the allow-list it goes through');
});
