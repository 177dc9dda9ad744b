// Sandboxed preload (CommonJS, as sandboxed preloads must be): exposes exactly the named API methods
// and nothing of Electron or Node to the page.
import electron = require('electron');

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

async function call(channel: string, ...args: unknown[]): Promise<unknown> {
  const reply = (await electron.ipcRenderer.invoke(channel, ...args)) as Reply;
  if (!reply.ok) throw Object.assign(new Error(reply.error?.message ?? 'IPC failed'), { code: reply.error?.code ?? 'INTERNAL' });
  return reply.value;
}

electron.contextBridge.exposeInMainWorld('teeInspector', {
  appInfo: () => call('tee-inspector:api', 'appInfo', {}),
  verify: (req: unknown) => call('tee-inspector:api', 'verify', req),
  savePdf: () => call('tee-inspector:save-pdf'),
  // Files chosen in the native Open dialog or the recent-files menu, read by the main process.
  onOpenFiles: (listener: (files: { name: string; base64: string }[]) => void) => {
    electron.ipcRenderer.on('tee-inspector:open-files', (_event, files: { name: string; base64: string }[]) => listener(files));
  },
});
