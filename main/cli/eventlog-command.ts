import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { inspectEventLog, EVENTLOG_SCHEMA } from '../../app/tee/eventlog/inspect.js';
import type { EventLogView } from '../../app/tee/eventlog/inspect.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { requestedFormat } from './args.js';
import type { CliIo } from './verify-command.js';

const USAGE = 'usage: tee-inspect eventlog FILE [--format text|json]';

/**
 * `tee-inspect eventlog`: parses a TCG crypto-agile event log (a TDX CCEL data file or a TPM log) and
 * prints each event and the register values its replay gives. Exit 0 parsed; 2 usage, unreadable or malformed.
 */
export async function eventlogCommand(argv: string[], io: CliIo): Promise<number> {
  let format = requestedFormat(argv);
  try {
    const args = parseEventlogArgs(argv);
    format = args.format;
    const view = await inspectEventLog(await readInput(args.file, 'event log'), nodeCryptoProvider());
    io.stdout(format === 'json' ? JSON.stringify(view, null, 2) + '\n' : formatText(view, args.file));
    return 0;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify({ schema: EVENTLOG_SCHEMA, errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: ${escapeControls(err.message)} [${err.code}]\n${err.code === 'USAGE_ERROR' ? `${USAGE}\n` : ''}`);
    return 2;
  }
}

function parseEventlogArgs(argv: string[]): { file: string; format: 'text' | 'json' } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' } } });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new TeeError('USAGE_ERROR', `eventlog takes one FILE, got ${positionals.length}`);
  if (values.format !== 'text' && values.format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${values.format}"`);
  return { file: positionals[0]!, format: values.format };
}

/** A readable table: one line per event, then the replayed registers. Measured values only: nothing here is verified. */
export function formatText(view: EventLogView, file: string): string {
  const lines = [
    `${file}: ${view.format === 'ccel' ? 'TDX CC event log (CCEL)' : 'TCG PC Client event log'}, ${view.eventCount} events, banks ${view.algorithms.join(', ')}`,
    '',
    '  #  index  register  type                              size  data hash  digest',
  ];
  view.events.forEach((e, i) => lines.push(eventLine(e, i)));
  lines.push('', `replayed (${view.format === 'tcg' ? `${bankName(view)} bank, ` : ''}not compared with any quote):`);
  for (const [name, value] of Object.entries(view.replayed)) lines.push(`  ${name.padEnd(6)} ${value}`);
  if (view.notReplayed?.length) lines.push(`not replayed (no hash implementation): ${view.notReplayed.join(', ')}`);
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}

function eventLine(e: EventLogView['events'][number], i: number): string {
  const matches = e.digestMatchesData === undefined ? '-' : e.digestMatchesData ? 'matches' : 'differs';
  const digest = e.digests[0] ? `${e.digests[0].alg}:${e.digests[0].digest.slice(0, 16)}…` : '';
  const cols = [String(i).padStart(3), String(e.index).padStart(5), (e.register ?? '(none)').padEnd(8), e.typeName.padEnd(32), String(e.dataSize).padStart(5)];
  return `${cols.join('  ')}  ${matches.padEnd(9)}  ${digest}`;
}

function bankName(view: EventLogView): string {
  return Object.entries(view.banks ?? {}).find(([, regs]) => regs === view.replayed)?.[0] ?? 'no';
}
