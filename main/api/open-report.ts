import type { Verifier } from '../../app/verifier.js';
import { openReportBytes } from '../report/open.js';
import type { Opened } from '../report/open.js';
import type { OpenReportRequest } from './schema.js';
import type { OpenReportResponse, VerifyResponse } from './types.js';

const OPENED_NOTE = 'Opened from a report: re-verified offline with the files the report carries, at the time it records. Nothing was fetched.';

/**
 * The openReport method: a report or an EAR token, read strictly and rechecked offline by main/report/open.ts
 * (the code behind `tee-inspect recheck`). Bad input is a typed error: USAGE_ERROR (a key with a report, a key
 * that is not a PEM), MALFORMED_REPORT (neither a report nor an EAR token, or one that does not parse).
 */
export async function openReport(verifier: Verifier, req: OpenReportRequest, appVersion: string, now: Date): Promise<OpenReportResponse> {
  const opened = await openReportBytes(decode(req.base64), {
    verifier,
    toolVersion: appVersion,
    createdAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(req.keyPem !== undefined ? { keyPem: req.keyPem } : {}),
  });
  const response = asVerifyResponse(opened, appVersion);
  return {
    kind: opened.kind,
    name: req.name,
    trusted: trusted(opened),
    ...(opened.recorded ? { recorded: opened.recorded } : {}),
    ...(opened.recheck ? { recheck: opened.recheck } : {}),
    ...(response ? { response } : {}),
    ...(opened.token ? { token: opened.token } : {}),
  };
}

function trusted(o: Opened): boolean {
  if (o.recheck?.agrees !== true) return false;
  return o.token === undefined || (o.token.signature.state === 'verified' && o.token.signature.exampleKey === undefined);
}

/** The recheck's result as every view renders a verification. */
function asVerifyResponse(opened: Opened, appVersion: string): VerifyResponse | undefined {
  const r = opened.recomputed;
  if (!r) return undefined;
  return {
    result: r.result,
    inputs: r.result.inputs,
    appVersion,
    collateral: { offline: true, notes: [OPENED_NOTE], missing: [], timeline: r.report.collateral },
    report: r.report,
  };
}

function decode(base64: string): Uint8Array {
  const b = Buffer.from(base64, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}
