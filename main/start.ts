import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveCommand } from './cli/serve-command.js';
import { VERSION } from './cli.js';

/**
 * `npm start`: the Electron app when Electron's binary is installed; otherwise browser mode, saying so
 * (these CI machines cannot download the binary, and headless hosts have no display).
 */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s), color: false, now: () => new Date() };
if (binary && (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  const main = fileURLToPath(new URL('./electron/main.js', import.meta.url));
  const child = spawn(binary, [main], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  io.stdout(
    binary
      ? 'No display found: starting browser mode instead of the Electron window.\n'
      : "Electron's binary is not installed here: starting browser mode instead (same app, in your browser).\n",
  );
  process.exitCode = await serveCommand(process.argv.slice(2), io, VERSION);
}
