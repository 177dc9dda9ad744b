import { writeFile } from 'node:fs/promises';
import type { ReferenceFileJson, ReferenceJsonValue, ReferenceSetJson } from '../../app/appraisal/create-reference.js';
import { mergeReferenceWithNotes } from '../../app/appraisal/merge-reference.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { TeeError, toTeeError } from '../../app/errors.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { signReference } from '../reference/sign.js';
import { readInput } from '../read-input.js';
import { VERSION } from '../version.js';
import { requestedFormat } from './args.js';
import { parseReferenceCreateArgs, REFERENCE_USAGE, usage } from './reference-args.js';
import type { ReferenceCreateArgs } from './reference-args.js';
import { readInto } from './reference-into.js';
import { measuredSet } from './reference-measure.js';
import { readKey, RefusedReport, reportValues } from './reference-reports.js';
import { formatCreated } from './reference-format.js';
import type { CliIo } from './verify-command.js';

export const REFERENCE_CREATE_SCHEMA = 'tee-inspect/reference-create/v1';

export interface Created {
  schema: typeof REFERENCE_CREATE_SCHEMA;
  written: string | null;
  set: string;
  added: Record<string, ReferenceJsonValue[]>;
  notes: string[];
  /** The reference file as JSON (signed: the payload of `signed`). */
  file: ReferenceFileJson;
  signed?: string;
}

/** `tee-inspect reference create`: exit 0 written; 1 a report that does not recheck or did not verify; 2 usage or unreadable input. */
export async function referenceCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    io.stderr(`tee-inspect: reference ${sub === undefined ? 'needs a subcommand' : `"${sub}" is not a subcommand`}\n${REFERENCE_USAGE}\n`);
    return 2;
  }
  let format = requestedFormat(rest);
  try {
    const args = parseReferenceCreateArgs(rest);
    format = args.format;
    const created = await create(args, io.now());
    report(created, args, io);
    return 0;
  } catch (e) {
    const refused = e instanceof RefusedReport;
    const err = refused ? new TeeError('REPORT_MISMATCH', `no golden values from report ${e.message}`) : toTeeError(e, 'USAGE_ERROR');
    if (format === 'json')
      io.stdout(JSON.stringify({ schema: REFERENCE_CREATE_SCHEMA, written: null, errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: ${escapeControls(err.message)} [${err.code}]\n${err.code === 'USAGE_ERROR' ? `${REFERENCE_USAGE}\n` : ''}`);
    return refused ? 1 : 2;
  }
}

async function create(args: ReferenceCreateArgs, now: Date): Promise<Created> {
  const createdAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const into = args.into !== undefined ? await readInto(args.into, args.intoKey) : undefined;
  const signKey = args.signKey !== undefined ? new TextDecoder().decode(await readInput(args.signKey, 'signing key', { limit: 64 * 1024 })) : undefined;
  if (into?.signed && signKey === undefined)
    throw usage(`--into ${args.into} is signed: give --sign-key so the merged file is signed again (or merge into an unsigned copy)`);
  const { sets, file } = await newSets(args, createdAt);
  let out = into?.json;
  const added: Record<string, ReferenceJsonValue[]> = {};
  const notes: string[] = [];
  for (const [i, set] of sets.entries()) {
    const note = file.note ?? args.note;
    const named = out === undefined ? { name: args.name ?? file.name, ...(note !== undefined ? { note } : {}) } : i === 0 ? fileOptions(args) : {};
    const m = mergeReferenceWithNotes(out, set, named);
    out = m.file;
    for (const [claim, values] of Object.entries(m.added)) added[claim] = [...(added[claim] ?? []), ...values];
    notes.push(...m.notes);
  }
  const text = JSON.stringify(out, null, 2) + '\n';
  // A merge that could not be read back would be a bug here, never the user's file: refuse to write it.
  parseReferenceValues(JSON.parse(text));
  const signed = signKey !== undefined ? await signReference(text, signKey) : undefined;
  if (args.out !== undefined) await writeFile(args.out, signed !== undefined ? `${signed}\n` : text);
  return { schema: REFERENCE_CREATE_SCHEMA, written: args.out ?? null, set: sets[0]!.name, added, notes, file: out!, ...(signed ? { signed } : {}) };
}

/** --name and --note for an existing file (--into): given, they replace its own. */
function fileOptions(args: ReferenceCreateArgs): { name?: string; note?: string } {
  return { ...(args.name !== undefined ? { name: args.name } : {}), ...(args.note !== undefined ? { note: args.note } : {}) };
}

/** The set or sets to add: one per report (all under one set name), or one from the artefacts. */
async function newSets(args: ReferenceCreateArgs, createdAt: string): Promise<{ sets: ReferenceSetJson[]; file: { name: string; note?: string } }> {
  const tool = `tee-inspect ${VERSION}`;
  if (args.measure) {
    const set = await measuredSet(args.measure, args.measureArgv, tool, createdAt, args.set);
    return { sets: [set], file: { name: `Golden values: ${set.name}` } };
  }
  const key = await readKey(args.key);
  const values = [];
  for (const file of args.reports)
    values.push(await reportValues(file, key, { toolVersion: VERSION, createdAt, ...(args.note !== undefined ? { note: args.note } : {}) }));
  if (key !== undefined && !values.some((v) => v.token)) throw usage('--key goes with an EAR token; a report JSON is not signed');
  const first = values[0]!.reference;
  const name = args.set ?? first.sets[0].name;
  const tech = first.sets[0].technology;
  const other = values.find((v) => v.reference.sets[0].technology !== tech);
  if (other)
    throw usage(
      `${other.file} is ${other.reference.sets[0].technology} evidence, the first report ${tech}: one set holds one technology (run reference create once per technology)`,
    );
  return { sets: values.map((v) => ({ ...v.reference.sets[0], name })), file: { name: first.name, note: first.note } };
}

/** The file goes to --out, else to standard output; text mode then puts its summary on stderr so the output stays the file. */
function report(c: Created, args: ReferenceCreateArgs, io: CliIo): void {
  if (args.format === 'json') {
    io.stdout(JSON.stringify(c, null, 2) + '\n');
    return;
  }
  const summary = formatCreated(c);
  if (args.out !== undefined) {
    io.stdout(summary);
    return;
  }
  io.stdout(c.signed !== undefined ? `${c.signed}\n` : JSON.stringify(c.file, null, 2) + '\n');
  io.stderr(summary);
}
