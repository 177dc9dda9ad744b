import type { MenuItemConstructorOptions } from 'electron';

/** What the menu does, supplied by the shell; the template itself is pure (and unit-tested). */
export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  openExternal(url: string): void;
}

export const SECURITY_CENTER_URL = 'https://www.intel.com/content/www/us/en/security-center/default.html';

/**
 * The application menu. It replaces Electron's default menu, whose View menu has Toggle Developer Tools
 * (Ctrl+Shift+I / Alt+Cmd+I): that item, and its accelerator, exist here only when DevTools are enabled.
 */
export function menuTemplate(actions: MenuActions, recent: readonly string[], devTools: boolean): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [{ role: 'reload' }, { type: 'separator' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'resetZoom' }];
  if (devTools) view.splice(1, 0, { role: 'toggleDevTools' });
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        { label: 'Open Recent', submenu: recent.map((p) => ({ label: p, click: () => actions.openRecent(p) })) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'help', submenu: [{ label: 'Intel Security Center', click: () => actions.openExternal(SECURITY_CENTER_URL) }] },
  ];
}
