import { parseArgs } from 'node:util';
import { checkReportOutputs } from './report-args.js';
import { TeeError } from '../../app/errors.js';
import { fromHex } from '../../app/bytes/hex.js';
import type { AttachmentRole } from '../../app/tee/module.js';

export interface VerifyArgs {
  evidence: string;
  collateral: string[];
  /** Measured-boot parts beside the evidence: event logs (`--eventlog`, may repeat) and a TPM quote (`--tpm-quote`). */
  attachments: { role: AttachmentRole; path: string }[];
  /** A reference-values file (docs/reference-values.md). */
  reference?: string;
  nonce?: Uint8Array;
  product?: string;
  pcsUrl?: string;
  tcbUpdate?: 'standard' | 'early';
  kdsUrl?: string;
  caFile?: string;
  cacheDir?: string;
  /** Set when EVIDENCE is a live target (ssh:// or https://) rather than a file. */
  remote?: { adapter?: string; identity?: string; knownHosts?: string; hostKeyStore?: string; trustHostKey?: string; collector?: string; noNonce: boolean };
  at: Date;
  offline: boolean;
  strict: boolean;
  format: 'text' | 'json';
  /** --report FILE: write the tee-inspect/report/v2 there. */
  reportFile?: string;
  /** --ear FILE: write a signed EAR token there (needs signKey). */
  earFile?: string;
  /** --sign-key KEY.pem: path of the PKCS#8 P-256 private key that signs the EAR token. */
  signKey?: string;
}

/** Parses `verify` arguments; every mistake is a USAGE_ERROR (exit 2) with a message saying what to write instead. */
export function parseVerifyArgs(argv: string[], now: () => Date): VerifyArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        collateral: { type: 'string', multiple: true, short: 'c' },
        reference: { type: 'string', multiple: true },
        eventlog: { type: 'string', multiple: true },
        'tpm-quote': { type: 'string', multiple: true },
        nonce: { type: 'string' },
        product: { type: 'string' },
        'pcs-url': { type: 'string' },
        'tcb-update': { type: 'string' },
        'kds-url': { type: 'string' },
        'ca-file': { type: 'string' },
        'cache-dir': { type: 'string' },
        identity: { type: 'string' },
        'known-hosts': { type: 'string' },
        'host-key-store': { type: 'string' },
        'trust-host-key': { type: 'string' },
        collector: { type: 'string' },
        adapter: { type: 'string' },
        'no-nonce': { type: 'boolean', default: false },
        at: { type: 'string' },
        offline: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        report: { type: 'string' },
        ear: { type: 'string' },
        'sign-key': { type: 'string' },
      },
    });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new TeeError(
      'USAGE_ERROR',
      positionals.length === 0 ? 'verify needs one EVIDENCE file' : `verify takes one EVIDENCE file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${format}"`);
  const args: VerifyArgs = {
    evidence: positionals[0]!,
    collateral: values.collateral ?? [],
    attachments: attachmentArgs(values.eventlog ?? [], values['tpm-quote'] ?? []),
    at: parseAt(values.at, now),
    offline: values.offline ?? false,
    strict: values.strict ?? false,
    format,
  };
  if (values.nonce !== undefined) args.nonce = parseNonce(values.nonce);
  if (values['pcs-url'] !== undefined) {
    if (!/^https:\/\/[^\s]+$/.test(values['pcs-url']))
      throw new TeeError('USAGE_ERROR', `--pcs-url must be an https:// URL (Intel PCS or a PCCS), not "${values['pcs-url']}"`);
    args.pcsUrl = values['pcs-url'];
  }
  if (values['tcb-update'] !== undefined) args.tcbUpdate = parseTcbUpdate(values['tcb-update']);
  if (values['kds-url'] !== undefined) {
    if (!/^https:\/\/[^\s]+$/.test(values['kds-url'])) throw new TeeError('USAGE_ERROR', `--kds-url must be an https:// URL, not "${values['kds-url']}"`);
    args.kdsUrl = values['kds-url'];
  }
  if (values['ca-file'] !== undefined) args.caFile = values['ca-file'];
  if (values['cache-dir'] !== undefined) args.cacheDir = values['cache-dir'];
  const remoteOnly = ['identity', 'known-hosts', 'host-key-store', 'trust-host-key', 'collector', 'adapter'] as const;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(args.evidence)) {
    args.remote = { noNonce: values['no-nonce'] ?? false };
    const map = {
      identity: 'identity',
      'known-hosts': 'knownHosts',
      'host-key-store': 'hostKeyStore',
      'trust-host-key': 'trustHostKey',
      collector: 'collector',
      adapter: 'adapter',
    } as const;
    for (const k of remoteOnly) if (values[k] !== undefined) args.remote[map[k]] = values[k] as string;
  } else if (remoteOnly.some((k) => values[k] !== undefined) || values['no-nonce']) {
    throw new TeeError(
      'USAGE_ERROR',
      '--identity, --known-hosts, --host-key-store, --trust-host-key, --collector, --adapter and --no-nonce go with an ssh:// or https:// target',
    );
  }
  if (values.product !== undefined) {
    if (!['Milan', 'Genoa', 'Turin'].includes(values.product))
      throw new TeeError('USAGE_ERROR', `--product must be Milan, Genoa or Turin, not "${values.product}"`);
    args.product = values.product;
  }
  // One file keeps "which values were applied" unambiguous; it may hold several sets.
  if (values.reference && values.reference.length > 1)
    throw new TeeError('USAGE_ERROR', '--reference takes one file; put several reference sets in that file instead');
  if (values.reference?.[0] !== undefined) args.reference = values.reference[0];
  // Outputs are checked before anything runs, and may never name one of the inputs.
  const inputs = [
    args.evidence,
    ...args.collateral,
    ...args.attachments.map((a) => a.path),
    ...(args.reference ? [args.reference] : []),
    ...(args.caFile ? [args.caFile] : []),
  ];
  Object.assign(args, checkReportOutputs({ report: values.report, ear: values.ear, signKey: values['sign-key'] }, inputs));
  return args;
}

/** One TPM quote per evidence: a second would leave unclear which one the verdict speaks for. */
function attachmentArgs(eventlogs: string[], tpmQuotes: string[]): VerifyArgs['attachments'] {
  if (tpmQuotes.length > 1) throw new TeeError('USAGE_ERROR', "--tpm-quote takes one file: the quote made over this verification's nonce");
  return [...eventlogs.map((path) => ({ role: 'eventlog' as const, path })), ...tpmQuotes.map((path) => ({ role: 'tpm-quote' as const, path }))];
}

/** The --format asked for, read before full parsing so that even a usage error can be answered in JSON. */
export function requestedFormat(argv: string[]): 'text' | 'json' {
  const at = argv.indexOf('--format');
  return argv.includes('--format=json') || (at >= 0 && argv[at + 1] === 'json') ? 'json' : 'text';
}

export function parseTcbUpdate(text: string): 'standard' | 'early' {
  if (text !== 'standard' && text !== 'early') throw new TeeError('USAGE_ERROR', `--tcb-update must be standard or early, not "${text}"`);
  return text;
}

export function parseAt(text: string | undefined, now: () => Date): Date {
  if (text === undefined) return now();
  const ok = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/.test(text);
  const at = new Date(text);
  if (!ok || Number.isNaN(at.getTime())) throw new TeeError('USAGE_ERROR', `--at must be an ISO-8601 time such as 2025-07-19T10:00:34Z, not "${text}"`);
  return at;
}

function parseNonce(text: string): Uint8Array {
  const bytes = fromHex(text.replace(/^0x/i, ''));
  if (!bytes || bytes.length === 0 || bytes.length > 64) throw new TeeError('USAGE_ERROR', '--nonce must be 1 to 64 bytes of hex');
  return bytes;
}
