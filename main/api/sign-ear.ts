import { TeeError } from '../../app/errors.js';
import { parseReportBytes } from '../../app/report/parse.js';
import { earClaims } from '../../app/report/ear.js';
import { signEar } from '../report/jws.js';
import type { SignEarRequest } from './schema.js';

/**
 * The app's "Export EAR": the report the app shows, read back strictly (so only a well-formed report is ever
 * signed), signed ES256 with the key the user chose for this export. The key is used for this call only.
 */
export async function signReportAsEar(req: SignEarRequest): Promise<{ token: string }> {
  const report = parseReportBytes(new Uint8Array(Buffer.from(req.base64, 'base64')));
  try {
    return { token: await signEar(earClaims(report, Math.floor(Date.parse(report.createdAt) / 1000)), req.keyPem) };
  } catch (e) {
    if (e instanceof TeeError) throw e;
    throw new TeeError('USAGE_ERROR', `the signing key cannot sign an EAR token: ${(e as Error).message} (give a P-256 private key in PKCS#8 PEM)`);
  }
}
