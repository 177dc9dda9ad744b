import { basename } from 'node:path';
import { TeeError, toTeeError } from '../../app/errors.js';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { parseVerifyArgs, requestedFormat } from './args.js';
import { formatText } from './format-text.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { networkFill, pipelineReport, runPipeline } from '../pipeline/pipeline.js';
import type { PipelineRequest } from '../pipeline/pipeline.js';
import { writeReportOutputs } from '../report/index.js';
import { evidenceFromTarget } from './remote-evidence.js';
import { readInput } from '../read-input.js';
import { referenceDiffLines } from '../../app/appraisal/diff-text.js';
import { readNamedReference } from '../reference/read.js';
import { checkReferenceKeyArgs, takeReferenceKey } from '../reference/cli-flag.js';
import { referenceFileLine } from '../reference/describe.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
  now: () => Date;
}

/** `tee-inspect verify`: exit 0 verified, 1 rejected (or a warning with --strict), 2 usage or unreadable input. */
export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  // Known before parsing, so that even a usage error is reported as JSON when JSON was asked for.
  let format = requestedFormat(argv);
  try {
    const { argv: rest, referenceKey } = takeReferenceKey(argv);
    const args = parseVerifyArgs(rest, io.now);
    format = args.format;
    checkReferenceKeyArgs(referenceKey, args.reference, [args.reportFile, args.earFile]);
    const ca = args.caFile === undefined ? undefined : new TextDecoder().decode(await readInput(args.caFile));
    if (args.remote && !args.remote.noNonce && args.nonce)
      throw new TeeError('USAGE_ERROR', '--nonce cannot be given for a live target: a fresh nonce is generated (use --no-nonce to skip it)');
    const fetched = args.remote ? await evidenceFromTarget({ url: args.evidence, ...args.remote, ...(ca ? { ca } : {}) }) : undefined;
    const evidence = fetched ? fetched.evidence : await readInput(args.evidence);
    if (fetched?.nonce) args.nonce = fetched.nonce;
    if (fetched)
      io.stderr(
        `tee-inspect: evidence from ${fetched.source}${fetched.provider ? ` (${fetched.provider})` : ''} in ${Math.round(fetched.elapsedMs)} ms${fetched.nonce ? ', bound to a fresh 64-byte nonce' : ', without a nonce (--no-nonce): nothing proves it is recent'}${[...fetched.collateral, ...fetched.attachments].length ? `; with ${[...fetched.collateral, ...fetched.attachments].map((c) => c.name).join(', ')}` : ''}\n`,
      );
    for (const note of fetched?.notes ?? []) io.stderr(`tee-inspect: ${note}\n`);
    const supplied = await Promise.all(args.collateral.map(async (path) => ({ name: basename(path), bytes: await readInput(path) })));
    const files = [...supplied, ...(fetched?.collateral ?? [])];
    const attachments = await Promise.all(
      args.attachments.map(async (a) => ({ role: a.role, name: basename(a.path), bytes: await readInput(a.path, a.role) })),
    );
    const referenceBytes = args.reference === undefined ? undefined : await readInput(args.reference);
    const referenceKeyPem =
      referenceKey === undefined ? undefined : new TextDecoder().decode(await readInput(referenceKey, 'reference key', { limit: 64 * 1024 }));
    const reference = referenceBytes && (await readNamedReference(args.reference!, referenceBytes, referenceKeyPem));
    const verifier = createVerifier({ crypto: nodeCryptoProvider() });
    const fill = networkFill(verifier, {
      offline: args.offline,
      at: args.at,
      ...(args.pcsUrl ? { pcsBase: args.pcsUrl } : {}),
      ...(args.tcbUpdate ? { tcbUpdate: args.tcbUpdate } : {}),
      ...(args.kdsUrl ? { kdsBase: args.kdsUrl } : {}),
      ...(args.product ? { product: args.product } : {}),
      ...(ca ? { ca } : {}),
      ...(args.cacheDir ? { cacheDir: args.cacheDir } : {}),
    });
    const req: PipelineRequest = {
      evidence: { name: fetched ? fetched.source : basename(args.evidence), bytes: evidence },
      collateral: files,
      ...(attachments.length ? { attachments } : {}),
      ...(reference ? { reference: { name: basename(args.reference!), bytes: referenceBytes!, values: reference } } : {}),
      ...(args.nonce ? { nonce: args.nonce } : {}),
      ...(args.product ? { product: args.product } : {}),
      at: args.at,
      offline: args.offline,
      requireRevocation: args.strict,
    };
    const out = await runPipeline(verifier, fill, req);
    if (args.reportFile || args.earFile) {
      const signKeyPem = args.signKey === undefined ? undefined : new TextDecoder().decode(await readInput(args.signKey, 'signing key'));
      const written = await writeReportOutputs(pipelineReport(out, req, io.now()), {
        ...(args.reportFile ? { reportFile: args.reportFile } : {}),
        ...(args.earFile ? { earFile: args.earFile } : {}),
        ...(signKeyPem ? { signKeyPem } : {}),
      });
      for (const file of [written.reportFile, written.earFile])
        if (file) io.stderr(`tee-inspect: wrote ${file} (check it offline with: tee-inspect recheck ${file})\n`);
    }
    for (const note of out.collateral.notes) io.stderr(`tee-inspect: collateral: ${note}\n`);
    const result = out.result;
    io.stdout(
      args.format === 'json'
        ? JSON.stringify(result, null, 2) + '\n'
        : formatText(result, args.evidence, io.color) + diffText(result, args.reference, io.color),
    );
    return exitCode(result, args.strict);
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json') io.stdout(JSON.stringify(usageResult(err), null, 2) + '\n');
    else
      io.stderr(
        `tee-inspect: ${err.message}\n${err.code === 'USAGE_ERROR' ? 'usage: tee-inspect verify EVIDENCE|ssh://USER@HOST[:PORT]|https://… [--adapter coco-aa|dstack|template] [--collateral FILE]... [--eventlog FILE]... [--tpm-quote FILE] [--reference FILE [--reference-key PUB.pem]] [--nonce HEX] [--product Milan|Genoa|Turin] [--at ISO-8601] [--offline] [--pcs-url URL] [--tcb-update standard|early] [--kds-url URL] [--ca-file PEM] [--cache-dir DIR] [--strict] [--report FILE] [--ear FILE --sign-key KEY.pem] [--format text|json]\n' : ''}`,
      );
    return 2;
  }
}

/** Errors that mean the input could not be judged at all (exit 2), rather than judged and rejected. */
const UNREADABLE: readonly string[] = ['MALFORMED_EVIDENCE', 'MALFORMED_COLLATERAL', 'UNSUPPORTED_EVIDENCE', 'INTERNAL_ERROR', 'USAGE_ERROR'];

function exitCode(r: VerificationResult, strict: boolean): number {
  if (r.errors.some((e) => UNREADABLE.includes(e.code))) return 2;
  if (r.verdict !== 'verified') return 1;
  return strict && r.appraisal.tier !== 'affirming' ? 1 : 0;
}

/** The diff, with the file, its digest and its signature state under the set's line. */
function diffText(r: VerificationResult, referencePath: string | undefined, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = referenceDiffLines(r, paint);
  const ref = r.appraisal.reference;
  if (ref && referencePath !== undefined && lines.length) lines.splice(1, 0, referenceFileLine(basename(referencePath), ref));
  return lines.length ? ['', ...lines].join('\n') + '\n' : '';
}

function usageResult(err: TeeError) {
  return {
    schema: 'tee-inspect/result/v1',
    verdict: 'rejected',
    cryptoValid: false,
    appraisal: { tier: 'none', diffs: [] },
    checks: [],
    errors: [{ code: err.code, message: err.message }],
  };
}
