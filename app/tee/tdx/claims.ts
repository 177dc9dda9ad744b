import { toHex } from '../../bytes/hex.js';
import type { TdReportBody } from './td-report.js';
import { tdAttributeFlags } from './td-report.js';

/** TDX TD claims (DESIGN.md claim names), lower-case hex for byte fields. */
export function tdxClaims(r: TdReportBody): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    mrTd: toHex(r.mrTd),
    mrConfigId: toHex(r.mrConfigId),
    mrOwner: toHex(r.mrOwner),
    mrOwnerConfig: toHex(r.mrOwnerConfig),
    rtmr0: toHex(r.rtmr[0]),
    rtmr1: toHex(r.rtmr[1]),
    rtmr2: toHex(r.rtmr[2]),
    rtmr3: toHex(r.rtmr[3]),
    tdAttributes: toHex(r.tdAttributes),
    xfam: toHex(r.xfam),
    teeTcbSvn: toHex(r.teeTcbSvn),
    mrSeam: toHex(r.mrSeam),
    mrSignerSeam: toHex(r.mrSignerSeam),
    seamAttributes: toHex(r.seamAttributes),
    reportData: toHex(r.reportData),
    debug: tdAttributeFlags(r.tdAttributes).debug,
    tdAttributesDecoded: tdAttributeFlags(r.tdAttributes),
  };
  if (r.teeTcbSvn2) claims.teeTcbSvn2 = toHex(r.teeTcbSvn2);
  if (r.mrServiceTd) claims.mrServiceTd = toHex(r.mrServiceTd);
  return claims;
}
