import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * DevTools exist only in an unpackaged development run that asks for them (TEE_INSPECTOR_DEVTOOLS=1).
 * A packaged app never has them, whatever its environment says: with the inspect fuses off, an environment
 * variable must not be a way back into the renderer.
 */
export const DEVTOOLS_ENV = 'TEE_INSPECTOR_DEVTOOLS';

export function devToolsEnabled(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return !isPackaged && env[DEVTOOLS_ENV] === '1';
}

/** The renderer's preferences: isolated, sandboxed, no Node, full web security, nothing experimental. */
export function webPreferencesFor(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export function windowOptionsFor(preload: string, devTools: boolean): BrowserWindowConstructorOptions {
  return { width: 1360, height: 900, title: 'TEE Inspector', webPreferences: webPreferencesFor(preload, devTools) };
}
