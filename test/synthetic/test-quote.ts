/**
 * Intel DCAP ECDSA quotes (v3 SGX, v4 SGX/TDX, v5 SGX/TD 1.0/TD 1.5) laid out byte for byte as
 * app/tee/dcap/quote.ts parses them, signed with the test keys: the attestation key signs
 * header (+ v5 body descriptor) + body, the PCK key signs the QE report.
 */
import { createHash } from 'node:crypto';
import { signRaw } from './test-pki.js';
import type { KeyPair } from './test-pki.js';

export type QuoteKind = 'sgx-v3' | 'sgx-v4' | 'sgx-v5' | 'tdx-v4' | 'tdx-v5';

/** An SGX REPORTBODY (384 bytes): the app enclave's report, or the QE's. */
export interface SgxReport {
  cpuSvn: Uint8Array;
  miscSelect: number;
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
}

/** A TD report body: 584 bytes, 648 with the TD 1.5 fields. */
export interface TdReport {
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  mrSignerSeam: Uint8Array;
  seamAttributes: Uint8Array;
  tdAttributes: Uint8Array;
  xfam: Uint8Array;
  mrTd: Uint8Array;
  reportData: Uint8Array;
  teeTcbSvn2: Uint8Array;
  mrServiceTd: Uint8Array;
}

export const INTEL_QE_MRSIGNER = '8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff';
export const INTEL_TD_QE_MRSIGNER = 'dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5';
const INTEL_QE_VENDOR_ID = '939a7233f79c4ca9940a0db3957f0607';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
/** Attributes with the given low FLAGS byte (bit 1 DEBUG, bit 2 MODE64BIT, bit 4 PROVISIONKEY). */
export const attributes = (flags: number) => Uint8Array.from([flags, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);

export const DEFAULT_APP_REPORT: SgxReport = {
  cpuSvn: fill(16, 0),
  miscSelect: 0,
  attributes: attributes(0x05),
  mrEnclave: fill(32, 0xe1),
  mrSigner: fill(32, 0x51),
  isvProdId: 7,
  isvSvn: 3,
  reportData: fill(64, 0xda),
};

/** Intel's QE: MRSIGNER, ISVPRODID 1, INIT|MODE64BIT|PROVISIONKEY (0x15, which Intel's mask reduces to 0x11). */
export const DEFAULT_QE_REPORT: Omit<SgxReport, 'reportData'> = {
  cpuSvn: fill(16, 0),
  miscSelect: 0,
  attributes: attributes(0x15),
  mrEnclave: fill(32, 0x9e),
  mrSigner: hex(INTEL_QE_MRSIGNER),
  isvProdId: 1,
  isvSvn: 8,
};

export const DEFAULT_TD_REPORT: TdReport = {
  teeTcbSvn: Uint8Array.from([5, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  mrSeam: fill(48, 0x5e),
  mrSignerSeam: fill(48, 0),
  seamAttributes: fill(8, 0),
  tdAttributes: Uint8Array.from([0, 0, 0, 0x10, 0, 0, 0, 0]), // SEPT_VE_DISABLE, no DEBUG
  xfam: Uint8Array.from([0xe7, 0x18, 0x06, 0, 0, 0, 0, 0]),
  mrTd: fill(48, 0x7d),
  reportData: fill(64, 0xda),
  teeTcbSvn2: Uint8Array.from([5, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  mrServiceTd: fill(48, 0),
};

export interface QuoteSpec {
  kind: QuoteKind;
  attestationKey: KeyPair;
  pckKey: KeyPair;
  /** Certification data type 5: the PEM PCK chain, NUL-terminated as real quotes carry it. */
  pckChainPem: string;
  qeSvn: number;
  pceSvn: number;
  app: SgxReport;
  td: TdReport;
  qe: Omit<SgxReport, 'reportData'>;
  /** QE REPORT_DATA; by default SHA-256(attestation key || auth data) || 32 zero bytes. */
  qeReportData?: Uint8Array;
  authData: Uint8Array;
}

class Writer {
  private parts: Uint8Array[] = [];
  bytes(b: Uint8Array, size = b.length): this {
    if (b.length !== size) throw new Error(`field must be ${size} bytes, not ${b.length}`);
    this.parts.push(b);
    return this;
  }
  zeros(n: number): this {
    return this.bytes(new Uint8Array(n));
  }
  u16(v: number): this {
    return this.bytes(Uint8Array.from([v & 0xff, (v >> 8) & 0xff]));
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    return this.bytes(b);
  }
  done(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

export function sgxReportBytes(r: SgxReport): Uint8Array {
  const w = new Writer()
    .bytes(r.cpuSvn, 16)
    .u32(r.miscSelect)
    .zeros(12)
    .zeros(16)
    .bytes(r.attributes, 16)
    .bytes(r.mrEnclave, 32)
    .zeros(32)
    .bytes(r.mrSigner, 32)
    .zeros(32)
    .zeros(64);
  return w.u16(r.isvProdId).u16(r.isvSvn).u16(0).zeros(42).zeros(16).bytes(r.reportData, 64).done();
}

export function tdReportBytes(t: TdReport, td15: boolean): Uint8Array {
  const w = new Writer()
    .bytes(t.teeTcbSvn, 16)
    .bytes(t.mrSeam, 48)
    .bytes(t.mrSignerSeam, 48)
    .bytes(t.seamAttributes, 8)
    .bytes(t.tdAttributes, 8)
    .bytes(t.xfam, 8)
    .bytes(t.mrTd, 48);
  w.zeros(48 * 3)
    .zeros(48 * 4)
    .bytes(t.reportData, 64); // MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0-3
  if (td15) w.bytes(t.teeTcbSvn2, 16).bytes(t.mrServiceTd, 48);
  return w.done();
}

export async function buildQuote(s: QuoteSpec): Promise<Uint8Array> {
  const [tech, v] = s.kind.split('-v') as ['sgx' | 'tdx', string];
  const version = Number(v);
  const header = new Writer()
    .u16(version)
    .u16(2)
    .u32(tech === 'sgx' ? 0 : 0x81)
    .u16(s.qeSvn)
    .u16(s.pceSvn)
    .bytes(hex(INTEL_QE_VENDOR_ID), 16)
    .zeros(20)
    .done();
  const body = tech === 'sgx' ? sgxReportBytes(s.app) : tdReportBytes(s.td, version === 5);
  const descriptor =
    version === 5
      ? new Writer()
          .u16(tech === 'sgx' ? 1 : 3)
          .u32(body.length)
          .done()
      : new Uint8Array(0);
  const signed = Buffer.concat([header, descriptor, body]);

  const attKey = s.attestationKey.point.subarray(1);
  const binding = Buffer.concat([createHash('sha256').update(attKey).update(s.authData).digest(), new Uint8Array(32)]);
  const qeReport = sgxReportBytes({ ...s.qe, reportData: s.qeReportData ?? binding });
  const certData = new TextEncoder().encode(s.pckChainPem);
  const qeCert = new Writer()
    .bytes(qeReport)
    .bytes(await signRaw(s.pckKey, qeReport), 64)
    .u16(s.authData.length)
    .bytes(s.authData)
    .u16(5)
    .u32(certData.length)
    .bytes(certData)
    .done();
  const auth = new Writer().bytes(await signRaw(s.attestationKey, signed), 64).bytes(attKey, 64);
  if (version === 3) auth.bytes(qeCert);
  else auth.u16(6).u32(qeCert.length).bytes(qeCert);
  const sigData = auth.done();
  return new Writer().bytes(signed).u32(sigData.length).bytes(sigData).done();
}

/** 32 bytes 0..31, as Intel's QE writes its authentication data. */
export const DEFAULT_AUTH_DATA = Uint8Array.from({ length: 32 }, (_, i) => i);
