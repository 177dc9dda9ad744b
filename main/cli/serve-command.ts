import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import { createApi } from '../api/handlers.js';
import { defaultApiOptions } from '../api/options.js';
import { memorySecretStore } from '../secrets/memory.js';
import { defaultHistoryDir } from '../fleet/history.js';
import { startBrowserServer, findRendererDir } from '../server/browser-server.js';
import type { CliIo } from './verify-command.js';

/** `tee-inspect serve [--port N] [--no-open]`: browser mode on 127.0.0.1 until interrupted. */
export async function serveCommand(argv: string[], io: CliIo, version: string, until: Promise<void> = interrupted()): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { port: { type: 'string', default: '0' }, 'no-open': { type: 'boolean', default: false } },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TeeError('USAGE_ERROR', `--port must be 0 to 65535, not "${values.port}"`);
    const dir = findRendererDir();
    if (!existsSync(join(dir, 'index.html'))) throw new TeeError('USAGE_ERROR', `the renderer is not built (${dir}); run npm run build`);
    // Browser mode has no OS keychain to encrypt with: secrets live in memory for this session only (the app says so).
    const { dispatch, close } = createApi({ name: 'TEE Inspector', version, mode: 'browser' }, defaultApiOptions(memorySecretStore(), defaultHistoryDir()));
    const server = await startBrowserServer({ port, dispatch, staticDir: dir });
    io.stdout(`TEE Inspector: ${server.url}\n`);
    if (!values['no-open']) openBrowser(server.url);
    await until;
    close();
    await server.close();
    return 0;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    io.stderr(`tee-inspect serve: ${err.message}\nusage: tee-inspect serve [--port N] [--no-open]\n`);
    return 2;
  }
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Best effort: the URL is printed either way, so a failure to launch a browser is not an error. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no desktop browser available (headless host); the printed URL can be opened over an SSH tunnel
  }
}
