import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { KnownHosts, hostId, isFingerprint, parseHostPort } from '../ssh/known-hosts.js';
import { defaultHostKeyStore, readKnownHostsFile } from './ssh-evidence.js';
import type { CliIo } from './verify-command.js';

export const HOSTS_SCHEMA = 'tee-inspect/hosts/v1';
const USAGE = `usage: tee-inspect hosts list [--format text|json]
       tee-inspect hosts pin HOST[:PORT] SHA256:FP
       tee-inspect hosts unpin HOST[:PORT]
       tee-inspect hosts import KNOWN_HOSTS_FILE
       (each takes --host-key-store FILE; default ${defaultHostKeyStore()})
`;

interface HostsArgs {
  action: 'list' | 'pin' | 'unpin' | 'import';
  operands: string[];
  storePath: string;
  format: 'text' | 'json';
}

/**
 * `tee-inspect hosts`: the pinned SSH host keys, changed only here, by the app's confirmed dialog or by
 * `verify --trust-host-key` for a host without a pin. Exit 0 done, 1 refused (a different key is pinned,
 * nothing to unpin), 2 usage error, unreadable file or damaged store.
 */
export async function hostsCommand(argv: string[], io: CliIo): Promise<number> {
  let args: HostsArgs;
  try {
    args = parseHostsArgs(argv);
  } catch (e) {
    io.stderr(`tee-inspect hosts: ${toTeeError(e, 'USAGE_ERROR').message}\n${USAGE}`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (e) {
    const err = toTeeError(e, 'FILE_UNREADABLE');
    io.stderr(`tee-inspect hosts: ${escapeControls(err.message)}\n`);
    return err.code === 'HOST_KEY_CHANGED' ? 1 : 2;
  }
}

function parseHostsArgs(argv: string[]): HostsArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'host-key-store': { type: 'string' }, format: { type: 'string', default: 'text' } },
    });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const [action, ...operands] = parsed.positionals;
  const arity = { list: 0, pin: 2, unpin: 1, import: 1 } as const;
  if (!action || !(action in arity))
    throw new TeeError('USAGE_ERROR', action ? `unknown hosts action "${action}"` : 'hosts needs an action: list, pin, unpin or import');
  const a = action as HostsArgs['action'];
  if (operands.length !== arity[a])
    throw new TeeError('USAGE_ERROR', `hosts ${a} takes ${arity[a]} operand${arity[a] === 1 ? '' : 's'}, got ${operands.length}`);
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${format}"`);
  if (format === 'json' && a !== 'list') throw new TeeError('USAGE_ERROR', '--format goes with hosts list');
  if ((a === 'pin' || a === 'unpin') && !parseHostPort(operands[0]!))
    throw new TeeError('USAGE_ERROR', `"${operands[0]}" is not HOST, HOST:PORT or [IPv6]:PORT`);
  if (a === 'pin' && !isFingerprint(operands[1]!))
    throw new TeeError('USAGE_ERROR', `"${operands[1]}" is not a fingerprint such as SHA256:abc… (43 base64 characters, as ssh-keygen -lf prints it)`);
  return { action: a, operands, storePath: parsed.values['host-key-store'] ?? defaultHostKeyStore(), format };
}

async function run(a: HostsArgs, io: CliIo): Promise<number> {
  const store = await KnownHosts.load(a.storePath);
  if (a.action === 'list') return list(store, a.format, io);
  if (a.action === 'import') return importFile(store, a.operands[0]!, io);
  const { host, port } = parseHostPort(a.operands[0]!)!;
  const id = hostId(host, port);
  if (a.action === 'pin') {
    const done = await store.trust(host, port, a.operands[1]!);
    io.stdout(done === 'pinned' ? `pinned ${a.operands[1]} for ${id}\n` : `${id} already has this key pinned; nothing changed\n`);
    return 0;
  }
  const removed = await store.unpin(host, port);
  if (removed.length === 0) {
    io.stderr(`tee-inspect hosts: ${id} has no pinned host key; nothing changed\n`);
    return 1;
  }
  io.stdout(`unpinned ${id} (${removed.join(', ')}); its next key is unknown until you confirm and pin it\n`);
  return 0;
}

function list(store: KnownHosts, format: 'text' | 'json', io: CliIo): number {
  const hosts = store.list();
  if (format === 'json') io.stdout(JSON.stringify({ schema: HOSTS_SCHEMA, store: store.path, hosts }, null, 2) + '\n');
  else if (hosts.length === 0) io.stdout(`no pinned host keys in ${store.path}\n`);
  else io.stdout(hosts.flatMap((h) => h.fingerprints.map((fp) => `${hostId(h.host, h.port)}  ${fp}\n`)).join(''));
  return 0;
}

async function importFile(store: KnownHosts, file: string, io: CliIo): Promise<number> {
  const r = await store.importAll(await readKnownHostsFile(file));
  const lines = [`imported ${r.imported.length} host${r.imported.length === 1 ? '' : 's'}${r.imported.length ? `: ${r.imported.join(', ')}` : ''}`];
  if (r.skipped.length) lines.push(`skipped ${r.skipped.length} already pinned (a different key is never added beside a pin): ${r.skipped.join(', ')}`);
  if (r.unnamed)
    lines.push(
      `skipped ${r.unnamed} line${r.unnamed === 1 ? '' : 's'} with hashed names or patterns (no host name to pin; give the file to verify --known-hosts instead)`,
    );
  io.stdout(escapeControls(lines.join('\n'), { multiline: true }) + '\n');
  return 0;
}
