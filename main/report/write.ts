import { writeFile } from 'node:fs/promises';
import { TeeError } from '../../app/errors.js';
import { earClaims } from '../../app/report/ear.js';
import type { ReportV2 } from '../../app/report/report.js';
import { signEar } from './jws.js';

export interface ReportOutputs {
  /** Where to write the report JSON (tee-inspect/report/v2). */
  reportFile?: string;
  /** Where to write the EAR token (JWS compact); needs signKeyPem. */
  earFile?: string;
  /** The PKCS#8 PEM text of a P-256 private key (the contents of --sign-key, not its path). */
  signKeyPem?: string;
  /** Seconds since the epoch for the token's `iat`; default the report's createdAt. */
  iat?: number;
}

/**
 * Writes what `verify --report FILE --ear FILE --sign-key KEY.pem` asks for. The token is signed before
 * anything is written, so a bad key leaves no half of the output behind. Failures are TeeErrors:
 * USAGE_ERROR for a missing or unusable key, FILE_UNREADABLE naming a file that could not be written.
 */
export async function writeReportOutputs(report: ReportV2, opts: ReportOutputs): Promise<{ reportFile?: string; earFile?: string }> {
  if (opts.earFile !== undefined && opts.signKeyPem === undefined)
    throw new TeeError('USAGE_ERROR', '--ear needs --sign-key KEY.pem: an EAR token is always signed');
  const iat = opts.iat ?? Math.floor(Date.parse(report.createdAt) / 1000);
  const token = opts.earFile !== undefined ? await signEar(earClaims(report, iat), opts.signKeyPem!) : undefined;
  const written: { reportFile?: string; earFile?: string } = {};
  if (opts.reportFile !== undefined) {
    await write(opts.reportFile, JSON.stringify(report, null, 2) + '\n', 'report');
    written.reportFile = opts.reportFile;
  }
  if (opts.earFile !== undefined && token !== undefined) {
    await write(opts.earFile, token + '\n', 'EAR token');
    written.earFile = opts.earFile;
  }
  return written;
}

async function write(path: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (e) {
    throw new TeeError('FILE_UNREADABLE', `cannot write the ${what} to ${path}: ${(e as Error).message}`, { path });
  }
}
