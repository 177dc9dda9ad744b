import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { TeeError, toTeeError } from '../../app/errors.js';
import { measureTdx, PAGE_ADD_ORDERS } from '../../app/tee/tdx/measure/index.js';
import type { PageAddOrder, TdxMeasurement } from '../../app/tee/tdx/measure/index.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { readInput } from '../read-input.js';
import { requestedFormat } from './args.js';
import type { CliIo } from './verify-command.js';

const USAGE = 'usage: tee-inspect measure tdx --ovmf FILE [--page-add-order single|two-pass] [--format text|json]';

interface MeasureTdxArgs {
  ovmf: string;
  pageAddOrder: PageAddOrder;
  format: 'text' | 'json';
}

/**
 * `tee-inspect measure tdx`: the MRTD a TD launched from this OVMF/TDVF image gets. Exit 0 with the digest;
 * 2 on a usage error or an image that cannot be measured, and then no digest is printed.
 */
export async function measureTdxCommand(argv: string[], io: CliIo): Promise<number> {
  let format = requestedFormat(argv);
  try {
    const args = parseMeasureTdxArgs(argv);
    format = args.format;
    const image = await readInput(args.ovmf, 'OVMF image');
    const m = measureTdx(image, args.pageAddOrder);
    const ovmf = { file: args.ovmf, size: image.length, sha256: createHash('sha256').update(image).digest('hex') };
    io.stdout(
      format === 'json' ? JSON.stringify({ mrTd: m.mrTd, pageAddOrder: m.pageAddOrder, ovmf, sections: m.sections }, null, 2) + '\n' : formatText(m, ovmf),
    );
    return 0;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify({ errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: cannot measure: ${escapeControls(err.message)} [${err.code}]\n${err.code === 'USAGE_ERROR' ? `${USAGE}\n` : ''}`);
    return 2;
  }
}

export function parseMeasureTdxArgs(argv: string[]): MeasureTdxArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: { ovmf: { type: 'string' }, 'page-add-order': { type: 'string', default: 'single' }, format: { type: 'string', default: 'text' } },
    });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const { values } = parsed;
  if (values.ovmf === undefined) throw new TeeError('USAGE_ERROR', 'measure tdx needs --ovmf FILE');
  const order = values['page-add-order'];
  if (!(PAGE_ADD_ORDERS as readonly string[]).includes(order)) throw new TeeError('USAGE_ERROR', `--page-add-order must be single or two-pass, not "${order}"`);
  if (values.format !== 'text' && values.format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${values.format}"`);
  return { ovmf: values.ovmf, pageAddOrder: order as PageAddOrder, format: values.format };
}

/** The digest first; then where it comes from. A prediction from the image alone: nothing about a running TD is checked. */
function formatText(m: TdxMeasurement, ovmf: { file: string; size: number; sha256: string }): string {
  const lines = [
    `mrTd ${m.mrTd}`,
    `  from ${ovmf.file} (${ovmf.size} bytes, sha256 ${ovmf.sha256}), page-add order ${m.pageAddOrder} (${m.pageAddOrder === 'single' ? 'QEMU 9 and later' : 'QEMU 8'})`,
    "  predicted from the image alone: compare it with a quote's MRTD to learn whether a TD runs this firmware",
    '',
    `  ${'section'.padEnd(12)}  ${'GPA'.padEnd(12)}  ${'memory'.padStart(7)}  ${'raw data'.padEnd(16)}  in MRTD`,
    ...m.sections.map(
      (s) =>
        `  ${s.type.padEnd(12)}  ${s.memoryAddress.padEnd(12)}  ${String(s.memoryDataSize).padStart(7)}  ${`${s.dataOffset}+${s.rawDataSize}`.padEnd(16)}  ${inMrtd(s.measured)}`,
    ),
  ];
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}

function inMrtd(measured: TdxMeasurement['sections'][number]['measured']): string {
  if (measured === 'extended') return 'pages added and contents extended';
  if (measured === 'added') return 'pages added (GPA only, contents not measured)';
  return 'not measured (PAGE.AUG)';
}
