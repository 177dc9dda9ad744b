import { parseArgs } from 'node:util';
import { TeeError, toTeeError } from '../../app/errors.js';
import { createVerifier } from '../../app/verifier.js';
import { parseRecheckInput, readEar } from '../../app/report/ear-read.js';
import type { DecodedToken, EarView } from '../../app/report/ear-read.js';
import { recheckReport } from '../../app/report/recheck.js';
import type { RecheckError, RecheckOutcome } from '../../app/report/recheck.js';
import { MAX_REPORT_BYTES } from '../../app/report/parse.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { checkTokenSignature } from '../report/token-signature.js';
import { tokenDifferences, withErrors } from '../report/token-recheck.js';
import { parseAt, requestedFormat } from './args.js';
import { formatRecheck } from './recheck-format.js';
import type { TokenNote } from './recheck-format.js';
import type { CliIo } from './verify-command.js';

const USAGE = 'usage: tee-inspect recheck REPORT.json|TOKEN.jwt [--key PUB.pem] [--at ISO-8601] [--format text|json]';

interface RecheckArgs {
  file: string;
  key?: string;
  at?: Date;
  format: 'text' | 'json';
}

/**
 * `tee-inspect recheck`: re-verifies a report's own inputs offline and says whether it agrees.
 * Exit 0 agrees; 1 it does not, the report was altered, or a token's signature was not verified; 2 usage
 * (bad arguments, an unreadable file, a file that is not a report or a token).
 */
export async function recheckCommand(argv: string[], io: CliIo): Promise<number> {
  let format = requestedFormat(argv);
  try {
    const args = parseRecheckArgs(argv, io.now);
    format = args.format;
    const input = parseRecheckInput(await readInput(args.file, 'report', { limit: MAX_REPORT_BYTES }));
    if (input.kind === 'report' && args.key !== undefined) throw new TeeError('USAGE_ERROR', '--key goes with an EAR token; a report JSON is not signed');
    const token = input.kind === 'token' ? await tokenView(input.token, args.key) : undefined;
    const report = token ? token.ear.report : input.kind === 'report' ? input.report : undefined;
    const crypto = nodeCryptoProvider();
    const outcome = await recheckReport(report!, createVerifier({ crypto }), { crypto, ...(args.at ? { at: args.at } : {}) });
    const out = token ? withToken(outcome, token) : outcome;
    io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatRecheck(out, args.file));
    return out.agrees ? 0 : 1;
  } catch (e) {
    const err = toTeeError(e, 'USAGE_ERROR');
    if (format === 'json')
      io.stdout(JSON.stringify({ schema: 'tee-inspect/recheck/v1', agrees: false, errors: [{ code: err.code, message: err.message }] }, null, 2) + '\n');
    else io.stderr(`tee-inspect: ${err.message}\n${err.code === 'USAGE_ERROR' ? `${USAGE}\n` : ''}`);
    return 2;
  }
}

function parseRecheckArgs(argv: string[], now: () => Date): RecheckArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { key: { type: 'string' }, at: { type: 'string' }, format: { type: 'string', default: 'text' } },
    });
  } catch (e) {
    throw new TeeError('USAGE_ERROR', (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new TeeError('USAGE_ERROR', `recheck takes one REPORT.json or TOKEN.jwt, got ${positionals.length}`);
  if (values.format !== 'text' && values.format !== 'json') throw new TeeError('USAGE_ERROR', `--format must be text or json, not "${values.format}"`);
  const args: RecheckArgs = { file: positionals[0]!, format: values.format };
  if (values.key !== undefined) args.key = values.key;
  if (values.at !== undefined) args.at = parseAt(values.at, now);
  return args;
}

interface TokenView {
  ear: EarView;
  note: TokenNote;
  error?: RecheckError;
}

const NO_KEY = "the EAR token's signature was NOT verified (no --key given): its claims are shown, but nothing in them is trusted";

/** Verified with the user's key, or read without one and marked as not trusted (main/report/token-signature.ts). */
async function tokenView(token: DecodedToken, keyPath: string | undefined): Promise<TokenView> {
  const pem = keyPath !== undefined ? new TextDecoder().decode(await readInput(keyPath, 'public key', { limit: 64 * 1024 })) : undefined;
  const { signature, payload } = await checkTokenSignature(token, pem);
  const ear = payload !== undefined ? readEar(payload) : token.ear;
  const note = { alg: token.alg, signatureVerified: signature.state === 'verified', claims: claims(ear) };
  if (signature.state === 'verified') return { ear, note };
  const message = pem === undefined ? NO_KEY : signature.message;
  return { ear, note, error: { code: 'EAR_UNVERIFIED', message } };
}

/** The token's claims as shown to the user (the embedded report is rechecked, not printed twice). */
function claims(ear: EarView): Record<string, unknown> {
  const { report: _report, ...rest } = ear;
  return rest;
}

/** The token's own statement must match the recomputed appraisal, and its signature must have verified. */
function withToken(outcome: RecheckOutcome, token: TokenView): RecheckOutcome & { token: TokenNote } {
  const checked = withErrors(outcome, token.error ? [token.error] : [], tokenDifferences(outcome, token.ear));
  return { ...checked, token: token.note };
}
