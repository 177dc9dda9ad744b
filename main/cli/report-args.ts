import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TeeError } from '../../app/errors.js';

/**
 * `verify --report FILE --ear FILE --sign-key KEY.pem`, checked before anything is verified so that a typo
 * does not cost a whole verification (or a live target's one-time evidence). Every mistake is USAGE_ERROR.
 */
export interface ReportArgs {
  reportFile?: string;
  earFile?: string;
  signKey?: string;
}

export function checkReportOutputs(
  v: { report?: string | undefined; ear?: string | undefined; signKey?: string | undefined },
  inputs: readonly string[],
): ReportArgs {
  const out: ReportArgs = {};
  if (v.ear !== undefined && v.signKey === undefined)
    throw new TeeError('USAGE_ERROR', '--ear needs --sign-key KEY.pem (a PKCS#8 P-256 private key): an EAR token is always signed');
  if (v.signKey !== undefined && v.ear === undefined) throw new TeeError('USAGE_ERROR', '--sign-key goes with --ear FILE: only the EAR token is signed');
  if (v.report !== undefined) out.reportFile = writable(v.report, '--report', inputs);
  if (v.ear !== undefined) out.earFile = writable(v.ear, '--ear', inputs);
  if (out.reportFile !== undefined && out.earFile !== undefined && resolve(out.reportFile) === resolve(out.earFile))
    throw new TeeError('USAGE_ERROR', '--report and --ear must name two different files');
  if (v.signKey !== undefined) out.signKey = readable(v.signKey, '--sign-key');
  return out;
}

/** A path we may write: not one of the inputs (it would be overwritten), not a directory, in a writable folder. */
function writable(path: string, flag: string, inputs: readonly string[]): string {
  if (path === '' || path === '-') throw new TeeError('USAGE_ERROR', `${flag} needs a file path`);
  if (inputs.some((i) => i !== '-' && resolve(i) === resolve(path)))
    throw new TeeError('USAGE_ERROR', `${flag} ${path} is also an input: it would be overwritten`);
  const existing = stat(path);
  if (existing?.isDirectory()) throw new TeeError('USAGE_ERROR', `${flag} ${path} is a directory; name a file`);
  try {
    accessSync(existing ? path : dirname(resolve(path)), constants.W_OK);
  } catch {
    throw new TeeError(
      'USAGE_ERROR',
      `${flag} ${path} cannot be written: ${existing ? 'the file is not writable' : `the folder ${dirname(resolve(path))} does not exist or is not writable`}`,
    );
  }
  return path;
}

function readable(path: string, flag: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new TeeError('USAGE_ERROR', `${flag} ${path} cannot be read`);
  }
  if (!stat(path)?.isFile()) throw new TeeError('USAGE_ERROR', `${flag} ${path} is not a file`);
  return path;
}

function stat(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
