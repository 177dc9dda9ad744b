import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { TeeError, toTeeError } from '../../app/errors.js';
import { measureTdx, PAGE_ADD_ORDERS } from '../../app/tee/tdx/measure/index.js';
import type { PageAddOrder, TdxMeasurement } from '../../app/tee/tdx/measure/index.js';
import { DEFAULT_QEMU_MEMORY, predictBootEvents, predictQemuDirectRtmrs } from '../../app/tee/eventlog/predict/index.js';
import type { BootArtefacts, BootPath, BootPrediction, InitrdOption, PredictedRegisters } from '../../app/tee/eventlog/predict/index.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { nodeCryptoProvider, nodeSha384Stream } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { requestedFormat } from './args.js';
import type { CliIo } from './verify-command.js';

const USAGE =
  'usage: tee-inspect measure tdx --ovmf FILE [--page-add-order single|two-pass] [--kernel FILE [--initrd FILE] [--append STR] ' +
  '[--boot qemu-direct|uefi|grub] [--memory SIZE] [--initrd-option prefix|suffix]] [--format text|json]';
const BOOT_PATHS: readonly BootPath[] = ['qemu-direct', 'uefi', 'grub'];

interface BootArgs {
  kernel: string;
  initrd?: string;
  append?: string;
  path: BootPath;
  memoryBytes?: number;
  initrdOption?: InitrdOption;
}

interface MeasureTdxArgs {
  ovmf?: string;
  pageAddOrder: PageAddOrder;
  format: 'text' | 'json';
  boot?: BootArgs;
}

interface FileInfo {
  file: string;
  size: number;
  sha256: string;
}

interface BootOutput {
  path: BootPath;
  memoryBytes?: number;
  memoryDefaulted: boolean;
  kernel: FileInfo;
  initrd?: FileInfo;
  predictions: BootPrediction[];
  registers?: PredictedRegisters;
}

/**
 * `tee-inspect measure tdx`: the MRTD a TD launched from this OVMF/TDVF image gets and, given a kernel, the
 * boot events the firmware or boot loader logs for it (predictions for one boot path). Exit 0 with the values;
 * 2 on a usage error or an input that cannot be measured, and then no value is printed.
 */
export async function measureTdxCommand(argv: string[], io: CliIo): Promise<number> {
  let format = requestedFormat(argv);
  try {
    const args = parseMeasureTdxArgs(argv);
    format = args.format;
    const firmware = args.ovmf === undefined ? undefined : await measureFirmware(args.ovmf, args.pageAddOrder);
    const boot = args.boot ? await predictBoot(args.boot) : undefined;
    io.stdout(
      format === 'json'
        ? JSON.stringify(jsonOutput(firmware, boot), null, 2) + '\n'
        : [firmware && formatText(firmware.m, firmware.ovmf), boot && bootText(boot)].filter(Boolean).join('\n'),
    );
    return 0;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify({ errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: cannot measure: ${escapeControls(err.message)} [${err.code}]\n${err.code === 'USAGE_ERROR' ? `${USAGE}\n` : ''}`);
    return 2;
  }
}

async function measureFirmware(path: string, order: PageAddOrder): Promise<{ m: TdxMeasurement; ovmf: FileInfo }> {
  const image = await readInput(path, 'OVMF image');
  return { m: measureTdx(image, order, nodeSha384Stream), ovmf: fileInfo(path, image) };
}

const fileInfo = (file: string, bytes: Uint8Array): FileInfo => ({ file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

/** The existing members first and unchanged (DESIGN.md); `boot` only when a kernel was given. */
function jsonOutput(firmware: { m: TdxMeasurement; ovmf: FileInfo } | undefined, boot: BootOutput | undefined): Record<string, unknown> {
  const base = firmware ? { mrTd: firmware.m.mrTd, pageAddOrder: firmware.m.pageAddOrder, ovmf: firmware.ovmf, sections: firmware.m.sections } : {};
  if (!boot) return base;
  const { registers, memoryDefaulted: _d, ...rest } = boot;
  const rtmrs = { ...(registers?.rtmr1 ? { rtmr1: registers.rtmr1 } : {}), ...(registers?.rtmr2 ? { rtmr2: registers.rtmr2 } : {}) };
  return { ...base, boot: { ...rest, ...(Object.keys(rtmrs).length ? { rtmrMethod: registers!.method } : {}) }, ...rtmrs };
}

/** A TDX boot is measured into RTMRs: SHA-384, the CC event log's bank. */
async function predictBoot(b: BootArgs): Promise<BootOutput> {
  const kernel = await readInput(b.kernel, 'kernel');
  const initrd = b.initrd === undefined ? undefined : await readInput(b.initrd, 'initrd');
  const memoryBytes = b.path === 'qemu-direct' ? (b.memoryBytes ?? DEFAULT_QEMU_MEMORY) : undefined;
  const artefacts: BootArtefacts = {
    kernel,
    path: b.path,
    bank: 'SHA-384',
    ...(initrd ? { initrd } : {}),
    ...(b.append !== undefined ? { cmdline: b.append } : {}),
  };
  if (memoryBytes !== undefined) artefacts.memoryBytes = memoryBytes;
  if (b.initrdOption) artefacts.initrdOption = b.initrdOption;
  const crypto = nodeCryptoProvider();
  const predictions = predictBootEvents(artefacts, crypto);
  const registers = b.path === 'qemu-direct' ? predictQemuDirectRtmrs(predictions, crypto) : undefined;
  return {
    path: b.path,
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    memoryDefaulted: memoryBytes !== undefined && b.memoryBytes === undefined,
    kernel: fileInfo(b.kernel, kernel),
    ...(initrd && b.initrd ? { initrd: fileInfo(b.initrd, initrd) } : {}),
    predictions,
    ...(registers ? { registers } : {}),
  };
}

export function parseMeasureTdxArgs(argv: string[]): MeasureTdxArgs {
  const values = parseOptions(argv);
  const order = values['page-add-order'];
  if (!(PAGE_ADD_ORDERS as readonly string[]).includes(order)) throw new TeeError('USAGE_ERROR', `--page-add-order must be single or two-pass, not "${order}"`);
  if (values.format !== 'text' && values.format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${values.format}"`);
  const boot = bootArgs(values);
  if (values.ovmf === undefined && !boot) throw new TeeError('USAGE_ERROR', 'measure tdx needs --ovmf FILE (the MRTD) or --kernel FILE (boot events)');
  return { ...(values.ovmf !== undefined ? { ovmf: values.ovmf } : {}), pageAddOrder: order as PageAddOrder, format: values.format, ...(boot ? { boot } : {}) };
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        ovmf: { type: 'string' },
        'page-add-order': { type: 'string', default: 'single' },
        format: { type: 'string', default: 'text' },
        kernel: { type: 'string' },
        initrd: { type: 'string' },
        append: { type: 'string' },
        boot: { type: 'string' },
        memory: { type: 'string' },
        'initrd-option': { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
}

function bootArgs(v: ReturnType<typeof parseOptions>): BootArgs | undefined {
  const bootOnly = (['initrd', 'append', 'boot', 'memory', 'initrd-option'] as const).filter((k) => v[k] !== undefined);
  if (v.kernel === undefined) {
    if (bootOnly.length) throw new TeeError('USAGE_ERROR', `--${bootOnly[0]} predicts boot events and needs --kernel FILE`);
    return undefined;
  }
  const path = (v.boot ?? 'qemu-direct') as BootPath;
  if (!BOOT_PATHS.includes(path)) throw new TeeError('USAGE_ERROR', `--boot must be qemu-direct, uefi or grub, not "${v.boot}"`);
  if (path !== 'qemu-direct' && (v.memory !== undefined || v['initrd-option'] !== undefined))
    throw new TeeError('USAGE_ERROR', `--${v.memory !== undefined ? 'memory' : 'initrd-option'} applies to --boot qemu-direct only`);
  const option = v['initrd-option'];
  if (option !== undefined && option !== 'prefix' && option !== 'suffix')
    throw new TeeError('USAGE_ERROR', `--initrd-option must be prefix or suffix, not "${option}"`);
  return {
    kernel: v.kernel,
    path,
    ...(v.initrd !== undefined ? { initrd: v.initrd } : {}),
    ...(v.append !== undefined ? { append: v.append } : {}),
    ...(v.memory !== undefined ? { memoryBytes: parseMemorySize(v.memory) } : {}),
    ...(option ? { initrdOption: option } : {}),
  };
}

const UNITS: Readonly<Record<string, number>> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** As QEMU's -m reads it: a number with an optional K, M, G or T suffix (binary), and a plain number in MiB. */
export function parseMemorySize(text: string): number {
  const m = /^([1-9][0-9]{0,9})([KMGT])?(?:i?B)?$/i.exec(text);
  if (!m) throw new TeeError('USAGE_ERROR', `--memory is a size as QEMU's -m takes it (2048, 2G, 4096M), not "${text}"`);
  const bytes = Number(m[1]) * UNITS[(m[2] ?? 'M').toUpperCase()]!;
  if (bytes < UNITS.M! || bytes > UNITS.T! * 16) throw new TeeError('USAGE_ERROR', `--memory ${text} is outside what this tool models (1 MiB to 16 TiB)`);
  return bytes;
}

/** The digest first; then where it comes from. A prediction from the image alone: nothing about a running TD is checked. */
function formatText(m: TdxMeasurement, ovmf: FileInfo): string {
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

/** Each prediction with how it was computed; then the registers, said to be a prediction for this boot path only. */
function bootText(b: BootOutput): string {
  const memory =
    b.memoryBytes === undefined ? '' : `, guest memory ${b.memoryBytes} bytes${b.memoryDefaulted ? " (the default, 2 GiB: give --memory as QEMU's -m)" : ''}`;
  const lines = [
    `boot events predicted for --boot ${b.path}${memory}: compare them with the TD's replayed CC event log (verify --attach)`,
    `  kernel ${b.kernel.file} (${b.kernel.size} bytes, sha256 ${b.kernel.sha256})`,
    ...(b.initrd ? [`  initrd ${b.initrd.file} (${b.initrd.size} bytes, sha256 ${b.initrd.sha256})`] : []),
    ...b.predictions.flatMap((p) => [`${p.claim} ${p.value}`, `  ${p.label}: ${p.method}`]),
    ...(b.registers?.rtmr1 ? [`rtmr1 ${b.registers.rtmr1}`] : []),
    ...(b.registers?.rtmr2 ? [`rtmr2 ${b.registers.rtmr2}`] : []),
    ...(b.registers?.rtmr1 || b.registers?.rtmr2 ? [`  ${b.registers.method}`] : []),
  ];
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}
