import { createReference } from '../../app/appraisal/create-reference.js';
import type { CreatedReferenceJson } from '../../app/appraisal/create-reference.js';
import { parseRecheckInput, readEar } from '../../app/report/ear-read.js';
import { MAX_REPORT_BYTES } from '../../app/report/parse.js';
import { recheckReport, recordingVerifier } from '../../app/report/recheck.js';
import type { RecheckError } from '../../app/report/recheck.js';
import type { ReportV2 } from '../../app/report/report.js';
import type { VerificationResult } from '../../app/report/result.js';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { readInput } from '../read-input.js';
import { checkTokenSignature } from '../report/token-signature.js';
import { tokenDifferences, withErrors } from '../report/token-recheck.js';

/** A report that gives no golden values (it does not recheck, or its evidence did not verify): exit 1, with why. */
export class RefusedReport extends Error {
  constructor(
    readonly file: string,
    readonly reasons: string[],
  ) {
    super(`${file}: ${reasons.join('; ')}`);
  }
}

export interface ReportValues {
  file: string;
  reference: CreatedReferenceJson;
  result: VerificationResult;
  /** An EAR token (whose signature verified with --key), not a report JSON. */
  token: boolean;
}

/**
 * Golden values from a report only once it is rechecked offline: its inputs are rebuilt from their data and
 * verified again at the recorded time, and the values are taken from that recomputed result, never from the
 * result the file states. An EAR token's signature must verify with --key first.
 */
export async function reportValues(
  file: string,
  keyPem: string | undefined,
  p: { toolVersion: string; createdAt: string; note?: string },
): Promise<ReportValues> {
  const input = parseRecheckInput(await readInput(file, 'report', { limit: MAX_REPORT_BYTES * 2 }));
  const token = input.kind === 'token' ? await tokenReport(file, input.token, keyPem) : undefined;
  const report: ReportV2 = token ? token.report : input.kind === 'report' ? input.report : unreachable();
  const crypto = nodeCryptoProvider();
  const { verifier, recomputed } = recordingVerifier(createVerifier({ crypto }));
  const checked = await recheckReport(report, verifier, { crypto });
  const outcome = token ? withErrors(checked, [], token.differences(checked)) : checked;
  const result = recomputed();
  if (!outcome.agrees || !result) throw new RefusedReport(file, ['it does not recheck', ...outcome.errors.map(describe)]);
  if (!result.cryptoValid)
    throw new RefusedReport(file, [
      `its evidence's signatures and certificate chains did not verify (verdict ${result.verdict}), so its measurements cannot be golden values`,
    ]);
  return {
    file,
    result,
    token: token !== undefined,
    reference: createReference(result, { toolVersion: p.toolVersion, createdAt: p.createdAt, ...(p.note !== undefined ? { note: p.note } : {}) }),
  };
}

const describe = (e: RecheckError) => `${e.code}: ${e.message}`;

function unreachable(): never {
  throw new Error('a recheck input is a report or a token');
}

async function tokenReport(file: string, token: Parameters<typeof checkTokenSignature>[0] & { ear: { report: ReportV2 } }, keyPem: string | undefined) {
  if (keyPem === undefined)
    throw new RefusedReport(file, ['it is an EAR token and no --key was given, so its signature (and the report in it) is not trusted']);
  const { signature, payload } = await checkTokenSignature(token, keyPem);
  if (signature.state !== 'verified' || payload === undefined) throw new RefusedReport(file, [`the EAR token's signature: ${signature.message}`]);
  const ear = readEar(payload);
  return { report: ear.report, differences: (o: Parameters<typeof tokenDifferences>[0]) => tokenDifferences(o, ear) };
}

/** --key is read once for all tokens. */
export async function readKey(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  return new TextDecoder().decode(await readInput(path, 'public key', { limit: 64 * 1024 }));
}
