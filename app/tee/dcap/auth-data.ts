import type { ByteReader } from '../../bytes/reader.js';
import { parseSgxReportBody } from '../sgx/report-body.js';
import type { SgxReportBody } from '../sgx/report-body.js';

/**
 * ECDSA-256 quote signature data ("Quote Signature Data Structure"): the quote signature,
 * the attestation key, then the QE's certification of that key. In v3 the QE report sits
 * directly in the structure; in v4/v5 it is wrapped as certification data type 6.
 */
export const CERT_DATA_PCK_CHAIN = 5;
export const CERT_DATA_QE_REPORT = 6;
/**
 * Certification data types (Intel SGX ECDSA Quote Library API, "Certification Data", sgx_ql_cert_key_type_t):
 * 1 PPID in clear text, 2 PPID encrypted with RSA-2048-OAEP, 3 PPID encrypted with RSA-3072-OAEP (each
 * followed by CPUSVN, PCESVN and PCE-ID), 4 the PCK leaf certificate alone, 5 the PCK certificate chain
 * (PEM), 6 QE report certification data, 7 platform manifest. Types 1-3 identify the platform to Intel
 * PCS, which returns its PCK certificate; with types 1-4 the verifier must be given the PCK chain.
 */
export const CERT_DATA_PPID_TYPES: readonly number[] = [1, 2, 3];
export const CERT_DATA_PCK_LEAF = 4;
export const CERT_DATA_NAMES: Readonly<Record<number, string>> = {
  1: 'PPID in clear text',
  2: 'PPID encrypted with RSA-2048',
  3: 'PPID encrypted with RSA-3072',
  4: 'the PCK leaf certificate',
  5: 'the PCK certificate chain',
  6: 'QE report certification data',
  7: 'the platform manifest',
};
const MAX_CERT_DATA_TYPE = 7;

export interface QeCertification {
  report: SgxReportBody;
  reportSignature: Uint8Array;
  authData: Uint8Array;
  /** Type 6 for v4/v5 quotes, absent for v3. */
  outerType?: number;
  /** Innermost certification data type: 5 (PCK chain) as Intel's QPL usually writes it; 1-4 need a supplied PCK chain. */
  innerType: number;
  /** The certification data payload (for type 5: the PEM PCK chain, possibly NUL-terminated). */
  certData: Uint8Array;
}

/** Type 5 certification data as PEM text: the chain Intel's QE writes, with its NUL terminator(s) removed. */
export function pckChainPem(qe: QeCertification): string {
  return new TextDecoder().decode(qe.certData).replace(/\0+$/, '');
}

export function parseAuthData(r: ByteReader, version: number): { signature: Uint8Array; attestationKey: Uint8Array; qe: QeCertification } {
  const signature = r.take(64, 'signature');
  const attestationKey = r.take(64, 'attestationKey');
  if (version === 3) return { signature, attestationKey, qe: parseQeCertification(r) };
  const at = r.offset;
  const outerType = r.u16('certificationData.type');
  const size = r.u32('certificationData.size');
  if (outerType !== CERT_DATA_QE_REPORT) {
    r.fail(`certification data type ${outerType} in a v${version} quote; only type 6 (QE report certification data) is defined`, 'certificationData.type', at);
  }
  const inner = r.sub(size, 'certificationData.data');
  const qe = parseQeCertification(inner);
  return { signature, attestationKey, qe: { ...qe, outerType } };
}

/** QE report, its signature by the PCK key, QE authentication data, then the inner certification data. */
function parseQeCertification(r: ByteReader): QeCertification {
  const report = parseSgxReportBody(r, 'qeReport');
  const reportSignature = r.take(64, 'qeReportSignature');
  const authLength = r.u16('qeAuthData.size');
  const authData = r.take(authLength, 'qeAuthData.data');
  const at = r.offset;
  const innerType = r.u16('qeCertificationData.type');
  if (innerType < 1 || innerType > MAX_CERT_DATA_TYPE) r.fail(`unknown certification data type ${innerType}`, 'qeCertificationData.type', at);
  const size = r.u32('qeCertificationData.size');
  const certData = r.take(size, 'qeCertificationData.data');
  return { report, reportSignature, authData, innerType, certData };
}
