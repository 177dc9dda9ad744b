import type { ByteReader } from '../../bytes/reader.js';

/** SGX REPORTBODY, 384 bytes (Intel SGX DCAP Quote Library API, "Enclave Report Body"). */
export const SGX_REPORT_BODY_SIZE = 384;

export interface SgxReportBody {
  raw: Uint8Array;
  cpuSvn: Uint8Array;
  miscSelect: number;
  isvExtProdId: Uint8Array;
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  configId: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  configSvn: number;
  isvFamilyId: Uint8Array;
  reportData: Uint8Array;
}

export function parseSgxReportBody(r: ByteReader, prefix = 'report'): SgxReportBody {
  const start = r.offset;
  const f = (name: string) => `${prefix}.${name}`;
  const cpuSvn = r.take(16, f('cpuSvn'));
  const miscSelect = r.u32(f('miscSelect'));
  r.take(12, f('reserved1'));
  const isvExtProdId = r.take(16, f('isvExtProdId'));
  const attributes = r.take(16, f('attributes'));
  const mrEnclave = r.take(32, f('mrEnclave'));
  r.take(32, f('reserved2'));
  const mrSigner = r.take(32, f('mrSigner'));
  r.take(32, f('reserved3'));
  const configId = r.take(64, f('configId'));
  const isvProdId = r.u16(f('isvProdId'));
  const isvSvn = r.u16(f('isvSvn'));
  const configSvn = r.u16(f('configSvn'));
  r.take(42, f('reserved4'));
  const isvFamilyId = r.take(16, f('isvFamilyId'));
  const reportData = r.take(64, f('reportData'));
  const raw = r.bytes.subarray(start, r.offset);
  return { raw, cpuSvn, miscSelect, isvExtProdId, attributes, mrEnclave, mrSigner, configId, isvProdId, isvSvn, configSvn, isvFamilyId, reportData };
}

/** ATTRIBUTES.FLAGS bits (SDM Vol. 3D, SECS): bit 1 DEBUG, bit 2 MODE64BIT, bit 7 KSS. */
export function sgxAttributeFlags(attributes: Uint8Array): { debug: boolean; mode64: boolean; provisionKey: boolean; kss: boolean } {
  const lo = attributes[0] ?? 0;
  return { debug: (lo & 0x02) !== 0, mode64: (lo & 0x04) !== 0, provisionKey: (lo & 0x10) !== 0, kss: (lo & 0x80) !== 0 };
}
