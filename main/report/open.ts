import { fromBase64 } from '../../app/bytes/base64.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { collateralTimeline } from '../../app/collateral/timeline.js';
import { TeeError, toTeeError } from '../../app/errors.js';
import { parseRecheckInput, readEar } from '../../app/report/ear-read.js';
import type { DecodedToken, RecheckInput } from '../../app/report/ear-read.js';
import { REPORT_CLAIM } from '../../app/report/ear.js';
import { recheckReport, recordingVerifier } from '../../app/report/recheck.js';
import type { RecheckOutcome } from '../../app/report/recheck.js';
import { buildReport } from '../../app/report/report.js';
import type { ReportV2 } from '../../app/report/report.js';
import type { VerificationResult } from '../../app/report/result.js';
import type { Verifier } from '../../app/verifier.js';
import { readForeignToken } from './ear-claims.js';
import type { EarClaimsView, ForeignToken } from './ear-claims.js';
import { checkTokenSignature } from './token-signature.js';
import type { TokenSignature } from './token-signature.js';
import { tokenDifferences, withErrors } from './token-recheck.js';

export type { EarClaimsView } from './ear-claims.js';
export type { SignatureState, TokenSignature } from './token-signature.js';

/**
 * Opening a report or an EAR token (the app's openReport): read strictly, recheck the embedded report offline
 * with the verifier given (the same recheckReport `tee-inspect recheck` runs), and return the recorded report,
 * the recheck, the recomputed result with a report rebuilt from it, and for a token its claims and signature.
 */
export interface OpenedToken {
  signature: TokenSignature;
  claims: EarClaimsView;
  /** false for a token with no tee-inspect report (trustee, Veraison): its evidence cannot be rechecked. */
  carriesReport: boolean;
}

export interface Opened {
  kind: 'report' | 'token';
  recorded?: ReportV2;
  recheck?: RecheckOutcome;
  recomputed?: { result: VerificationResult; report: ReportV2 };
  token?: OpenedToken;
}

export interface OpenOptions {
  verifier: Verifier;
  /** PEM of the signer's public key, for a token. */
  keyPem?: string;
  toolVersion: string;
  /** ISO-8601 creation time of the rebuilt report (the caller's clock). */
  createdAt: string;
}

type OpenInput = RecheckInput | { kind: 'foreign'; token: ForeignToken };

export async function openReportBytes(bytes: Uint8Array, o: OpenOptions): Promise<Opened> {
  const input = readOpenInput(bytes);
  if (input.kind === 'report') {
    if (o.keyPem !== undefined) throw new TeeError('USAGE_ERROR', 'a public key goes with an EAR token; a report JSON is not signed');
    return { kind: 'report', recorded: input.report, ...(await recheck(input.report, o)) };
  }
  if (input.kind === 'foreign') {
    const { signature } = await checkTokenSignature(input.token, o.keyPem);
    return { kind: 'token', token: { signature, claims: input.token.claims, carriesReport: false } };
  }
  return openToken(input.token, o);
}

async function openToken(token: DecodedToken, o: OpenOptions): Promise<Opened> {
  const { signature, payload } = await checkTokenSignature(token, o.keyPem);
  // Verified: the claims as signed. Otherwise the decoding, shown as the token states it and marked unverified.
  const ear = payload !== undefined ? readEar(payload) : token.ear;
  const checked = await recheck(ear.report, o);
  const { report: _report, ...claims } = ear;
  const outcome = withErrors(checked.recheck, [], tokenDifferences(checked.recheck, ear));
  return { kind: 'token', recorded: ear.report, ...checked, recheck: outcome, token: { signature, claims, carriesReport: true } };
}

/** A report, a token carrying one, or a token without one (its report claim missing); anything else throws. */
function readOpenInput(bytes: Uint8Array): OpenInput {
  try {
    return parseRecheckInput(bytes);
  } catch (e) {
    const err = toTeeError(e);
    if (err.code !== 'MALFORMED_REPORT' || err.detail['field'] !== `payload.${REPORT_CLAIM}`) throw err;
    return { kind: 'foreign', token: readForeignToken(new TextDecoder().decode(bytes).trim()) };
  }
}

/** recheckReport with a verifier that keeps the result it computed, so every view can show the recheck. */
async function recheck(report: ReportV2, o: OpenOptions): Promise<{ recheck: RecheckOutcome; recomputed?: Opened['recomputed'] }> {
  const { verifier, recomputed } = recordingVerifier(o.verifier);
  const outcome = await recheckReport(report, verifier, { crypto: nodeCryptoProvider() });
  const result = recomputed();
  return { recheck: outcome, ...(result ? { recomputed: { result, report: rebuiltReport(report, result, o) } } : {}) };
}

/** The report of the recheck, built as the pipeline builds one: what the app exports for an opened report. */
function rebuiltReport(recorded: ReportV2, result: VerificationResult, o: OpenOptions): ReportV2 {
  const inputs = recorded.inputs.map((i) => ({ name: i.name, role: i.role, bytes: fromBase64(i.data)! }));
  const collateral = inputs.filter((i) => i.role === 'collateral');
  const timeline = collateralTimeline(
    collateral.map((f) => ({ source: f.name, set: o.verifier.loadCollateral([f]) })),
    Date.parse(result.at),
  );
  return buildReport({
    result,
    inputs,
    timeline,
    toolVersion: o.toolVersion,
    createdAt: o.createdAt,
    ...(recorded.nonce !== undefined ? { nonce: new Uint8Array(Buffer.from(recorded.nonce, 'hex')) } : {}),
    ...(recorded.product ? { product: recorded.product } : {}),
    ...(recorded.requireRevocation ? { requireRevocation: true } : {}),
  });
}
