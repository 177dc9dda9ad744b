import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { inspectEventLog, EVENTLOG_SCHEMA } from '../../app/tee/eventlog/inspect.js';
import type { EventLogView } from '../../app/tee/eventlog/inspect.js';
import type { ClaimSource, EventLogClaims } from '../../app/tee/eventlog/claims.js';
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
    '  #  index  register  type                              size  data hash  digest               decoded (event data, unverified)',
  ];
  view.events.forEach((e, i) => lines.push(eventLine(e, i)));
  lines.push('', `replayed (${view.format === 'tcg' ? `${bankName(view)} bank, ` : ''}not compared with any quote):`);
  for (const [name, value] of Object.entries(view.replayed)) lines.push(`  ${name.padEnd(6)} ${value}`);
  if (view.notReplayed?.length) lines.push(`not replayed (no hash implementation): ${view.notReplayed.join(', ')}`);
  lines.push(...claimLines(view.claims));
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}

/** The claims with where each came from; they hold only if the registers replay to signed values. */
function claimLines(claims: EventLogClaims): string[] {
  const lines = ['', "claims (from this log alone: they hold only if the replayed registers equal a verified quote's):"];
  if (!claims.sources.length) lines.push('  none');
  for (const s of claims.sources) lines.push(`  ${s.claim.padEnd(20)} ${claimValue(claims, s)}  [event ${s.event}, ${s.register}, ${BASIS[s.basis]}]`);
  for (const u of claims.unverified) lines.push(`  NOT CLAIMED ${u.claim} from event ${u.event}: ${u.says} (${u.reason})`);
  for (const n of claims.notes) lines.push(`  note: ${n}`);
  return lines;
}

const BASIS = { 'digest-of-data': 'its digest covers this content', 'logged-digest': 'logged digest; what it is comes from unverified event data' } as const;

/** The value a source gave: list claims take their element in order of the sources. */
function claimValue(claims: EventLogClaims, s: ClaimSource): string {
  const value = claims[s.claim as keyof EventLogClaims];
  if (Array.isArray(value)) {
    const nth = claims.sources.filter((x) => x.claim === s.claim).indexOf(s);
    return `${clip(String(value[nth]))}${s.unverifiedDetail ? ` (${s.unverifiedDetail})` : ''}`;
  }
  return `${clip(String(value))}${s.unverifiedDetail ? ` (${s.unverifiedDetail})` : ''}`;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function eventLine(e: EventLogView['events'][number], i: number): string {
  const matches = e.digestMatchesData === undefined ? '-' : e.digestMatchesData ? 'matches' : 'differs';
  const digest = e.digests[0] ? `${e.digests[0].alg}:${e.digests[0].digest.slice(0, 16)}…` : '';
  const cols = [String(i).padStart(3), String(e.index).padStart(5), (e.register ?? '(none)').padEnd(8), e.typeName.padEnd(32), String(e.dataSize).padStart(5)];
  return `${cols.join('  ')}  ${matches.padEnd(9)}  ${digest}  ${e.decoded.summary}`;
}

function bankName(view: EventLogView): string {
  return Object.entries(view.banks ?? {}).find(([, regs]) => regs === view.replayed)?.[0] ?? 'no';
}
