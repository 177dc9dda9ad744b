import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { fromHex, toHex } from '../../app/bytes/hex.js';
import { escapeControls } from '../../app/text/sanitize.js';
import { measureSevEs, measureSnp, measureSnpSvsm, REFERENCE_IMPLEMENTATION, VCPU_SIGS, VMMS } from '../../app/tee/snp/measure/index.js';
import type { KernelInputs, Ovmf, SevHashes, SevSection, Vmm } from '../../app/tee/snp/measure/index.js';
import { readInput } from '../read-input.js';
import { requestedFormat } from './args.js';
import type { CliIo } from './verify-command.js';

type Mode = 'snp' | 'sev-es';

const USAGE = {
  snp: 'usage: tee-inspect measure snp --ovmf FILE [--ovmf-hash HEX] --vcpus N [--vcpu-type NAME | --vcpu-sig 0xHEX] [--vmm qemu|ec2|gce] [--guest-features 0xHEX] [--kernel FILE [--initrd FILE] [--append STR] | --svsm FILE (--vars-size BYTES | --vars-file FILE)] [--format text|json]',
  'sev-es':
    'usage: tee-inspect measure sev-es --ovmf FILE --vcpus N [--vcpu-type NAME | --vcpu-sig 0xHEX] [--vmm qemu|ec2|gce] [--kernel FILE [--initrd FILE] [--append STR]] [--format text|json]',
} as const;

/** Firmware images are a few MiB; kernels and initrds may be large but never this large. */
export const OVMF_LIMIT = 64 * 1024 * 1024;
export const KERNEL_LIMIT = 1024 * 1024 * 1024;

export interface MeasureArgs {
  format: 'text' | 'json';
  ovmf: string;
  ovmfHash?: Uint8Array;
  vcpus: number;
  vcpuType?: string;
  /** Undefined when the VMM ignores it (EC2, GCE) and none was given. */
  vcpuSig?: number;
  vmm: Vmm;
  guestFeatures: bigint;
  kernel?: string;
  initrd?: string;
  append?: string;
  /** A Coconut SVSM launched in front of OVMF (sev-snp-measure's snp:svsm mode), with the OVMF variable store's size. */
  svsm?: { file: string; varsSize?: number; varsFile?: string };
}

/**
 * `tee-inspect measure snp|sev-es`: the launch digest a guest built from these artefacts will report.
 * Exit 0 with a digest; 2 (usage, unreadable or unmeasurable input) with no digest.
 */
export async function measureSnpCommand(argv: string[], io: CliIo, mode: Mode): Promise<number> {
  let format = requestedFormat(argv);
  try {
    const args = parseMeasureArgs(argv, mode);
    format = args.format;
    const ovmf = await readInput(args.ovmf, 'OVMF', { limit: OVMF_LIMIT });
    if (args.svsm) return await svsmCommand(args, ovmf, io);
    const kernel = await kernelInputs(args);
    const common = { ovmf, vcpus: args.vcpus, vcpuSig: args.vcpuSig ?? 0, vmm: args.vmm, ...(kernel ? { kernel } : {}) };
    const result =
      mode === 'snp'
        ? measureSnp({ ...common, guestFeatures: args.guestFeatures, sha384: nodeSha384, ...(args.ovmfHash ? { ovmfHash: args.ovmfHash } : {}) })
        : measureSevEs(common);
    const out = describe(mode, args, result.measurement, result.ovmf, result.hashes);
    io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatText(out));
    return 0;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify({ mode, errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: ${escapeControls(err.message)} [${err.code}]\n${err.code === 'USAGE_ERROR' ? `${USAGE[mode]}\n` : ''}`);
    return 2;
  }
}

export function parseMeasureArgs(argv: string[], mode: Mode): MeasureArgs {
  const values = parseOptions(argv, mode);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw usage(`--format must be text or json, not "${format}"`);
  if (!values.ovmf) throw usage('--ovmf FILE is required');
  if (!values.kernel && (values.initrd !== undefined || values.append !== undefined)) throw usage('--initrd and --append are measured only with --kernel');
  const vmm = parseVmm(values.vmm ?? 'qemu');
  const vcpu = parseVcpu(values['vcpu-type'], values['vcpu-sig'], vmm);
  return {
    format,
    ovmf: values.ovmf,
    ...(values['ovmf-hash'] !== undefined ? { ovmfHash: parseOvmfHash(values['ovmf-hash']) } : {}),
    vcpus: parseVcpus(values.vcpus),
    ...vcpu,
    vmm,
    guestFeatures: values['guest-features'] === undefined ? 0x1n : parseHex(values['guest-features'], '--guest-features', 64),
    ...(values.kernel ? { kernel: values.kernel } : {}),
    ...(values.initrd !== undefined ? { initrd: values.initrd } : {}),
    ...(values.append !== undefined ? { append: values.append } : {}),
    ...svsmArgs(values),
  };
}

/** SVSM: the firmware and VMSAs are the SVSM's, so kernel hashes, an OVMF hash and guest features do not apply. */
function svsmArgs(v: ReturnType<typeof parseOptions>): Pick<MeasureArgs, 'svsm'> {
  const varsSize = v['vars-size'];
  const varsFile = v['vars-file'];
  if (v.svsm === undefined) {
    if (varsSize !== undefined || varsFile !== undefined) throw usage('--vars-size and --vars-file go with --svsm FILE');
    return {};
  }
  const clash = (['kernel', 'initrd', 'append', 'ovmf-hash', 'guest-features'] as const).find((k) => v[k] !== undefined);
  if (clash) throw usage(`--${clash} does not apply with --svsm (the SVSM measures its own launch; sev-snp-measure's snp:svsm mode takes neither)`);
  if ((v.vmm ?? 'qemu') !== 'qemu') throw usage('--svsm is measured as QEMU launches it (--vmm qemu)');
  if ((varsSize === undefined) === (varsFile === undefined))
    throw usage('--svsm needs the OVMF variable store: --vars-size BYTES or --vars-file FILE (one of them)');
  if (varsSize !== undefined && !/^(0|[1-9][0-9]{0,9})$/.test(varsSize)) throw usage(`--vars-size is a byte count, not "${varsSize}"`);
  return { svsm: { file: v.svsm, ...(varsSize !== undefined ? { varsSize: Number(varsSize) } : { varsFile: varsFile! }) } };
}

async function svsmCommand(args: MeasureArgs, ovmf: Uint8Array, io: CliIo): Promise<number> {
  const s = args.svsm!;
  const svsm = await readInput(s.file, 'SVSM image', { limit: OVMF_LIMIT });
  const varsSize = s.varsSize ?? (await readInput(s.varsFile!, 'OVMF variable store', { limit: OVMF_LIMIT })).length;
  const { measurement } = measureSnpSvsm({ ovmf, svsm, varsSize, vcpus: args.vcpus, vcpuSig: args.vcpuSig ?? 0, sha384: nodeSha384 });
  const out = {
    measurement,
    mode: 'snp:svsm',
    inputs: {
      ovmf: { file: args.ovmf, sha256: sha256(ovmf), size: ovmf.length },
      svsm: { file: s.file, sha256: sha256(svsm), size: svsm.length },
      varsSize,
      vcpus: args.vcpus,
      ...(args.vcpuType ? { vcpuType: args.vcpuType } : {}),
      vcpuSig: args.vcpuSig === undefined ? null : hex32(args.vcpuSig),
      vmm: 'qemu',
      guestFeatures: '0x1',
    },
    computedAs: REFERENCE_IMPLEMENTATION,
    note: 'a prediction from these files: it says nothing about a running guest until compared with the measurement of a verified report',
  };
  const text = [
    `SEV-SNP launch digest (Coconut SVSM): ${measurement}`,
    `  ovmf     ${args.ovmf} (${ovmf.length} bytes, sha256 ${out.inputs.ovmf.sha256}), variable store ${varsSize} bytes`,
    `  svsm     ${s.file} (${svsm.length} bytes, sha256 ${out.inputs.svsm.sha256})`,
    `  vcpus    ${args.vcpus} x ${args.vcpuType ?? 'unnamed type'} (signature ${out.inputs.vcpuSig}), vmm qemu, guest features 0x1`,
    `computed as ${out.computedAs} computes it; ${out.note}`,
  ];
  io.stdout(args.format === 'json' ? JSON.stringify(out, null, 2) + '\n' : text.map((l) => escapeControls(l)).join('\n') + '\n');
  return 0;
}

function parseOptions(argv: string[], mode: Mode) {
  const snpOnly = {
    'ovmf-hash': { type: 'string' },
    'guest-features': { type: 'string' },
    svsm: { type: 'string' },
    'vars-size': { type: 'string' },
    'vars-file': { type: 'string' },
  } as const;
  const options = {
    ovmf: { type: 'string' },
    vcpus: { type: 'string' },
    'vcpu-type': { type: 'string' },
    'vcpu-sig': { type: 'string' },
    vmm: { type: 'string' },
    kernel: { type: 'string' },
    initrd: { type: 'string' },
    append: { type: 'string' },
    format: { type: 'string' },
    ...snpOnly,
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, strict: true, options });
  } catch (e) {
    throw usage((e as Error).message);
  }
  for (const flag of Object.keys(snpOnly))
    if (mode === 'sev-es' && parsed.values[flag as keyof typeof snpOnly] !== undefined) throw usage(`--${flag} applies to SNP only, not to measure sev-es`);
  return parsed.values;
}

const usage = (message: string) => new TeeError('USAGE_ERROR', message);

function parseVmm(text: string): Vmm {
  const vmm = VMMS.find((v) => v === text.toLowerCase());
  if (!vmm) throw usage(`--vmm must be one of ${VMMS.join(', ')}, not "${text}"`);
  return vmm;
}

function parseVcpus(text: string | undefined): number {
  if (text === undefined) throw usage('--vcpus N is required');
  if (!/^[1-9][0-9]{0,3}$/.test(text)) throw usage(`--vcpus must be a whole number from 1, not "${text}"`);
  return Number(text);
}

/** QEMU puts the vCPU signature in RDX, so it is required there; EC2 and GCE use their own and ignore it. */
function parseVcpu(type: string | undefined, sig: string | undefined, vmm: Vmm): { vcpuType?: string; vcpuSig?: number } {
  if (type !== undefined && sig !== undefined) throw usage('give --vcpu-type or --vcpu-sig, not both');
  if (type !== undefined) {
    const value = VCPU_SIGS[type];
    if (value === undefined) throw usage(`unknown --vcpu-type "${type}"; known: ${Object.keys(VCPU_SIGS).join(', ')}`);
    return { vcpuType: type, ...(vmm === 'qemu' ? { vcpuSig: value } : {}) };
  }
  if (sig !== undefined) return vmm === 'qemu' ? { vcpuSig: Number(parseHex(sig, '--vcpu-sig', 32)) } : {};
  if (vmm === 'qemu') throw usage('--vcpu-type NAME or --vcpu-sig 0xHEX is required with --vmm qemu (the guest vCPU type, not the host CPU)');
  return {};
}

function parseHex(text: string, flag: string, bits: number): bigint {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(text)) throw usage(`${flag} is 0x-prefixed hex, not "${text}"`);
  const value = BigInt(text);
  if (value >> BigInt(bits) !== 0n) throw usage(`${flag} ${text} does not fit ${bits} bits`);
  return value;
}

function parseOvmfHash(text: string): Uint8Array {
  const bytes = text.length === 96 ? fromHex(text) : undefined;
  if (!bytes) throw usage(`--ovmf-hash is 96 hex digits without a prefix (the SHA-384 launch digest of the OVMF pages), not "${text}"`);
  return bytes;
}

async function kernelInputs(args: MeasureArgs): Promise<KernelInputs | undefined> {
  if (!args.kernel) return undefined;
  const kernel = await readInput(args.kernel, 'kernel', { limit: KERNEL_LIMIT });
  const initrd = args.initrd ? await readInput(args.initrd, 'initrd', { limit: KERNEL_LIMIT }) : undefined;
  return { kernel, ...(initrd ? { initrd } : {}), ...(args.append !== undefined ? { append: args.append } : {}) };
}

const hex32 = (n: number) => `0x${n.toString(16)}`;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** node:crypto's SHA-384 for the thousand-odd page digests of a launch (about twice as fast as the portable one). */
const nodeSha384 = (b: Uint8Array) => new Uint8Array(createHash('sha384').update(b).digest());

/** The digest with every input that produced it, so a reference value can record its provenance. */
function describe(mode: Mode, args: MeasureArgs, measurement: string, ovmf: Ovmf, hashes: SevHashes | undefined) {
  return {
    measurement,
    mode,
    inputs: {
      ovmf: { file: args.ovmf, sha256: sha256(ovmf.bytes), size: ovmf.bytes.length, gpa: hex32(ovmf.gpa) },
      ...(args.ovmfHash ? { ovmfHash: toHex(args.ovmfHash) } : {}),
      vcpus: args.vcpus,
      ...(args.vcpuType ? { vcpuType: args.vcpuType } : {}),
      vcpuSig: args.vcpuSig === undefined ? null : hex32(args.vcpuSig),
      vmm: args.vmm,
      ...(mode === 'snp' ? { guestFeatures: `0x${args.guestFeatures.toString(16)}` } : {}),
      ...(hashes ? kernelDescription(args, hashes) : {}),
    },
    sections: mode === 'snp' ? ovmf.sections.map((s: SevSection) => ({ type: s.type, gpa: hex32(s.gpa), size: s.size })) : undefined,
    computedAs: REFERENCE_IMPLEMENTATION,
    note: 'a prediction from these files: it says nothing about a running guest until compared with the measurement of a verified report',
  };
}

function kernelDescription(args: MeasureArgs, h: SevHashes) {
  return {
    kernel: { file: args.kernel!, sha256: toHex(h.kernel) },
    initrd: args.initrd ? { file: args.initrd, sha256: toHex(h.initrd) } : { file: null, sha256: toHex(h.initrd) },
    append: args.append ?? '',
    cmdlineSha256: toHex(h.cmdline),
  };
}

type Description = ReturnType<typeof describe>;

function formatText(d: Description): string {
  const i = d.inputs;
  const vcpu = `${i.vcpus} x ${i.vcpuType ?? 'unnamed type'}${i.vcpuSig ? ` (signature ${i.vcpuSig})` : ` (signature ignored by ${i.vmm})`}`;
  const lines = [
    `${d.mode === 'snp' ? 'SEV-SNP launch digest' : 'SEV-ES launch measurement'}: ${d.measurement}`,
    `  ovmf     ${i.ovmf.file} (${i.ovmf.size} bytes at ${i.ovmf.gpa}, sha256 ${i.ovmf.sha256})${i.ovmfHash ? `, pages replaced by --ovmf-hash ${i.ovmfHash}` : ''}`,
    `  vcpus    ${vcpu}, vmm ${i.vmm}${'guestFeatures' in i ? `, guest features ${i.guestFeatures}` : ''}`,
  ];
  if (i.kernel && i.initrd) {
    lines.push(`  kernel   ${i.kernel.file} sha256 ${i.kernel.sha256}`);
    lines.push(`  initrd   ${i.initrd.file ?? '(none: empty)'} sha256 ${i.initrd.sha256}`);
    lines.push(`  cmdline  ${JSON.stringify(i.append)} (with its NUL) sha256 ${i.cmdlineSha256}`);
  } else lines.push('  kernel   none (no direct kernel boot measured)');
  lines.push(`computed as ${d.computedAs} computes it; ${d.note}`);
  return lines.map((l) => escapeControls(l)).join('\n') + '\n';
}
