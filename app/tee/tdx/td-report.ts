import type { ByteReader } from '../../bytes/reader.js';

/** TD report body: TDX 1.0 (584 bytes) and TDX 1.5 (648 bytes, adds TEE_TCB_SVN2 and MRSERVICETD). */
export const TD10_BODY_SIZE = 584;
export const TD15_BODY_SIZE = 648;

export interface TdReportBody {
  raw: Uint8Array;
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  mrSignerSeam: Uint8Array;
  seamAttributes: Uint8Array;
  tdAttributes: Uint8Array;
  xfam: Uint8Array;
  mrTd: Uint8Array;
  mrConfigId: Uint8Array;
  mrOwner: Uint8Array;
  mrOwnerConfig: Uint8Array;
  rtmr: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  reportData: Uint8Array;
  teeTcbSvn2?: Uint8Array;
  mrServiceTd?: Uint8Array;
}

export function parseTdReportBody(r: ByteReader, td15: boolean): TdReportBody {
  const start = r.offset;
  const body: TdReportBody = {
    raw: new Uint8Array(0),
    teeTcbSvn: r.take(16, 'td.teeTcbSvn'),
    mrSeam: r.take(48, 'td.mrSeam'),
    mrSignerSeam: r.take(48, 'td.mrSignerSeam'),
    seamAttributes: r.take(8, 'td.seamAttributes'),
    tdAttributes: r.take(8, 'td.tdAttributes'),
    xfam: r.take(8, 'td.xfam'),
    mrTd: r.take(48, 'td.mrTd'),
    mrConfigId: r.take(48, 'td.mrConfigId'),
    mrOwner: r.take(48, 'td.mrOwner'),
    mrOwnerConfig: r.take(48, 'td.mrOwnerConfig'),
    rtmr: [r.take(48, 'td.rtmr0'), r.take(48, 'td.rtmr1'), r.take(48, 'td.rtmr2'), r.take(48, 'td.rtmr3')],
    reportData: r.take(64, 'td.reportData'),
  };
  if (td15) {
    body.teeTcbSvn2 = r.take(16, 'td.teeTcbSvn2');
    body.mrServiceTd = r.take(48, 'td.mrServiceTd');
  }
  body.raw = r.bytes.subarray(start, r.offset);
  return body;
}

/** TDATTRIBUTES bits (TDX Module ABI, TD_PARAMS.ATTRIBUTES): 0 DEBUG, 28 SEPT_VE_DISABLE, 30 PKS, 31 KL, 63 PERFMON. */
export function tdAttributeFlags(a: Uint8Array): { debug: boolean; septVeDisable: boolean; pks: boolean; kl: boolean; perfmon: boolean } {
  const bit = (n: number) => (((a[n >> 3] ?? 0) >> (n & 7)) & 1) === 1;
  return { debug: bit(0), septVeDisable: bit(28), pks: bit(30), kl: bit(31), perfmon: bit(63) };
}
