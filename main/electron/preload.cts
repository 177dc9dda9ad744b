// Sandboxed preload (CommonJS, as sandboxed preloads must be): exposes one `invoke` for the named API methods
// and nothing of Electron or Node to the page. A sandboxed preload cannot import the schema, so the names are
// listed here; main validates every call again (unknown methods and bad payloads are refused there).
// `invoke` answers with the reply envelope itself, never a thrown error: errors crossing the context bridge lose
// every property but the message, and the page needs the code and a host key's fingerprint.
import electron = require('electron');

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string; detail?: unknown } };

const METHODS = [
  'appInfo',
  'verify',
  'openReport',
  'signEar',
  'targetsList',
  'targetSave',
  'targetRemove',
  'verifyTarget',
  'trustHostKey',
  'importKnownHosts',
  'hostKeysList',
  'unpinHostKey',
  'fleetStart',
  'fleetStatus',
  'fleetResult',
  'fleetCancel',
  'history',
  'setSecret',
  'clearSecret',
] as const;

async function invoke(method: unknown, payload: unknown): Promise<Reply> {
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method))
    return { ok: false, error: { code: 'USAGE_ERROR', message: `unknown method ${String(method)}` } };
  return (await electron.ipcRenderer.invoke('tee-inspector:api', method, payload ?? {})) as Reply;
}

electron.contextBridge.exposeInMainWorld('teeInspector', {
  invoke,
  savePdf: async () => {
    const reply = (await electron.ipcRenderer.invoke('tee-inspector:save-pdf')) as Reply;
    if (!reply.ok) throw new Error(reply.error?.message ?? 'saving the PDF failed');
    return reply.value;
  },
  // Files chosen in the native Open dialog or the recent-files menu, read by the main process.
  onOpenFiles: (listener: (files: { name: string; base64: string }[]) => void) => {
    electron.ipcRenderer.on('tee-inspector:open-files', (_event, files: { name: string; base64: string }[]) => listener(files));
  },
});
