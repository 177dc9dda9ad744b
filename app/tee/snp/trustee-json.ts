import { bad, byteArray, leUint, object } from './serde-values.js';
import { isSevSerdeForm, rebuildSevSerdeReport } from './sev-serde.js';
import { TeeError } from '../../errors.js';
import type { Evidence } from '../module.js';
import { looksLikeSnpReport } from './report.js';

/**
 * trustee's SnpEvidence JSON ({"attestation_report": {...}, "cert_chain": [...] | null}), as the
 * Confidential Containers attestation agent serves it: the `sev` crate's serde form of the report,
 * byte arrays as JSON number arrays. It is turned back into the exact 0x4A0 report bytes, so the
 * signature is checked over what the hardware signed, never over JSON. Two forms exist: the one of
 * sev up to 5.x (every field in report order, reserved ones included: `_author_key_en`,
 * `_reserved_0`, `current_build`), rebuilt here, and the one of sev 6.x and later (`key_info`,
 * `cpuid_*`, `current {...}`, no reserved fields), rebuilt by sev-serde.ts.
 */
type Field = [name: string, kind: 'u8' | 'u32' | 'u64' | 'tcb' | 'sig' | number];

const REPORT_FIELDS: Field[] = [
  ['version', 'u32'],
  ['guest_svn', 'u32'],
  ['policy', 'u64'],
  ['family_id', 16],
  ['image_id', 16],
  ['vmpl', 'u32'],
  ['sig_algo', 'u32'],
  ['current_tcb', 'tcb'],
  ['plat_info', 'u64'],
  ['_author_key_en', 'u32'],
  ['_reserved_0', 'u32'],
  ['report_data', 64],
  ['measurement', 48],
  ['host_data', 32],
  ['id_key_digest', 48],
  ['author_key_digest', 48],
  ['report_id', 32],
  ['report_id_ma', 32],
  ['reported_tcb', 'tcb'],
  ['_reserved_1', 24],
  ['chip_id', 64],
  ['committed_tcb', 'tcb'],
  ['current_build', 'u8'],
  ['current_minor', 'u8'],
  ['current_major', 'u8'],
  ['_reserved_2', 'u8'],
  ['committed_build', 'u8'],
  ['committed_minor', 'u8'],
  ['committed_major', 'u8'],
  ['_reserved_3', 'u8'],
  ['launch_tcb', 'tcb'],
  ['_reserved_4', 168],
  ['signature', 'sig'],
];
/** sev's CertType names that carry collateral (CRL: the AMD CRL, a DER CertificateList). */
const CERT_TYPES = ['VCEK', 'VLEK', 'ASK', 'ARK', 'CRL'];

/**
 * The SEV-SNP module's JSON envelope: a trustee SnpEvidence document as the report bytes, its
 * cert_chain entries as collateral parts. Undefined for any other JSON.
 */
export function trusteeEnvelope(doc: object): Evidence | undefined {
  if (!isTrusteeSnpEvidence(doc)) return undefined;
  const { report, certs } = trusteeSnpEvidence(doc);
  if (!looksLikeSnpReport(report))
    throw new TeeError('MALFORMED_EVIDENCE', 'SnpEvidence JSON does not hold a valid SEV-SNP report (version 2, 3 or 5; signature algorithm 1)');
  return { primary: report, parts: certs.map((c) => ({ ...c, role: 'cert-chain', kind: 'collateral' })) };
}

export function isTrusteeSnpEvidence(doc: unknown): doc is { attestation_report: Record<string, unknown>; cert_chain?: unknown } {
  return typeof doc === 'object' && doc !== null && typeof (doc as Record<string, unknown>).attestation_report === 'object';
}

export function trusteeSnpEvidence(doc: { attestation_report: Record<string, unknown>; cert_chain?: unknown }): {
  report: Uint8Array;
  certs: { name: string; bytes: Uint8Array }[];
} {
  const certs = certChain(doc.cert_chain);
  if (isSevSerdeForm(doc.attestation_report)) return { report: rebuildSevSerdeReport(doc.attestation_report), certs };
  const out = new Uint8Array(0x4a0);
  let at = 0;
  const put = (bytes: ArrayLike<number>) => (out.set(bytes, at), (at += bytes.length));
  for (const [name, kind] of REPORT_FIELDS) put(encode(doc.attestation_report[name], kind, `attestation_report.${name}`));
  return { report: out, certs };
}

function encode(v: unknown, kind: Field[1], path: string): number[] {
  if (kind === 'u8' || kind === 'u32' || kind === 'u64') return leUint(v, kind === 'u8' ? 1 : kind === 'u32' ? 4 : 8, path);
  if (typeof kind === 'number') return byteArray(v, kind, path);
  const o = object(v, path);
  if (kind === 'tcb') {
    const n = (k: string) => leUint(o[k], 1, `${path}.${k}`);
    return [...n('bootloader'), ...n('tee'), ...byteArray(o._reserved, 4, `${path}._reserved`), ...n('snp'), ...n('microcode')];
  }
  return [...byteArray(o.r, 72, `${path}.r`), ...byteArray(o.s, 72, `${path}.s`), ...byteArray(o._reserved, 368, `${path}._reserved`)];
}

/** cert_chain: null, or [{cert_type: "VCEK" | "VLEK" | "ASK" | "ARK" | "CRL" | "Empty" | {"OTHER": uuid}, data: [bytes]}]. */
function certChain(v: unknown): { name: string; bytes: Uint8Array }[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v) || v.length > 16) bad('cert_chain', 'must be null or an array of at most 16 entries');
  return v.flatMap((e, i) => {
    const entry = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : bad(`cert_chain[${i}]`, 'must be an object');
    const type = typeof entry.cert_type === 'string' ? entry.cert_type : 'OTHER';
    const data = entry.data;
    if (!Array.isArray(data) || data.length > 65536 || !data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
      bad(`cert_chain[${i}].data`, 'must be an array of byte values');
    return CERT_TYPES.includes(type) ? [{ name: `cert_chain[${i}] (${type})`, bytes: Uint8Array.from(data as number[]) }] : [];
  });
}
