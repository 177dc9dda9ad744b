import { ByteReader } from '../../bytes/reader.js';
import { isAllZero } from '../../bytes/hex.js';

/**
 * ATTESTATION_REPORT (AMD SEV-SNP Firmware ABI spec, "ATTESTATION_REPORT Structure"), versions 2, 3
 * and 5: 0x4A0 bytes, of which 0x000-0x29F are signed and 0x2A0 holds the ECDSA P-384 signature
 * with R and S as 72-byte little-endian integers.
 */
export const SNP_REPORT_SIZE = 0x4a0;
export const SNP_SIGNED_SIZE = 0x2a0;
export const SIG_ALGO_ECDSA_P384_SHA384 = 1;
const SUPPORTED_VERSIONS = [2, 3, 5];
/** GUEST_POLICY bit 17 is reserved and must be one. */
const POLICY_MBO = 1n << 17n;

export interface SnpReport {
  raw: Uint8Array;
  signed: Uint8Array;
  version: number;
  guestSvn: number;
  policy: bigint;
  familyId: Uint8Array;
  imageId: Uint8Array;
  vmpl: number;
  signatureAlgo: number;
  currentTcb: Uint8Array;
  platformInfo: bigint;
  keyInfo: number;
  reportData: Uint8Array;
  measurement: Uint8Array;
  hostData: Uint8Array;
  idKeyDigest: Uint8Array;
  authorKeyDigest: Uint8Array;
  reportId: Uint8Array;
  reportIdMa: Uint8Array;
  reportedTcb: Uint8Array;
  cpuid?: { family: number; model: number; stepping: number };
  chipId: Uint8Array;
  committedTcb: Uint8Array;
  current: { build: number; minor: number; major: number };
  committed: { build: number; minor: number; major: number };
  launchTcb: Uint8Array;
  /** Version 5: LAUNCH_MIT_VECTOR (0x1F8) and CURRENT_MIT_VECTOR (0x200). */
  mitigations?: { launch: bigint; current: bigint };
  /** Big-endian r || s, 48 bytes each. */
  signature: Uint8Array;
  /** Reserved ranges (by name) that are not zero; those in MUST_BE_ZERO make the report malformed. */
  nonZeroReserved: string[];
}

/**
 * Reserved fields whose non-zero value makes the report malformed rather than merely unusual: the
 * ones google/go-sev-guest's abi.ReportToProto refuses (POLICY bit 17 clear or bits 26-63 set,
 * KEY_INFO bits 5-31, 0x04C, 0x188 (v2) / 0x18B-0x19F, 0x1EB, 0x1EF, 0x208-0x29F and, after R and S,
 * the 368 reserved bytes of the SIGNATURE structure (ABI spec, "ECDSA P-384 with SHA-384 Signature":
 * R 0x00-0x47, S 0x48-0x8F, reserved 0x90-0x1FF). Those last bytes are outside the signed range, so
 * without this anyone could vary them and still present a "verified" report under another digest.
 * Tolerated with a warning: 0x1F8-0x207 before version 5 (go-sev-guest reads them as the mitigation
 * vectors of any version) and the product-dependent reserved bytes of TCB_VERSION.
 */
export const MUST_BE_ZERO: ReadonlySet<string> = new Set([
  'POLICY bit 17 (must be one)',
  'POLICY bits 26-63',
  'KEY_INFO bits 5-31',
  'reserved 0x4C',
  'reserved 0x188',
  'reserved 0x18B',
  'reserved 0x1EB',
  'reserved 0x1EF',
  'reserved 0x208',
  'signature reserved',
]);

/**
 * Size, a small VERSION, a small SIGNATURE_ALGO, and the zero top 24 bytes of the 72-byte R and S
 * (a P-384 signature): over 400 fixed bits, so other binaries are not mistaken for a report, while
 * an unsupported version or algorithm still reaches the parser and gets a precise snp.report.format.
 */
export function looksLikeSnpReport(b: Uint8Array): boolean {
  if (b.length < SNP_REPORT_SIZE) return false;
  const u32 = (o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  const zero = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  return u32(0) >= 1 && u32(0) <= 0xff && u32(0x34) <= 0xff && zero(0x2d0, 0x2e8) && zero(0x318, 0x330);
}

export function parseSnpReport(bytes: Uint8Array): SnpReport {
  const r = new ByteReader(bytes);
  if (bytes.length < SNP_REPORT_SIZE) r.fail(`an SEV-SNP report is ${SNP_REPORT_SIZE} bytes, this input has ${bytes.length}`, 'report', 0);
  const version = r.u32('version');
  if (!SUPPORTED_VERSIONS.includes(version)) r.fail(`unsupported report version ${version} (2, 3 and 5 are supported)`, 'version', 0);
  const reserved: string[] = [];
  const zero = (n: number, name: string) => {
    if (!isAllZero(r.take(n, name))) reserved.push(name);
  };
  const guestSvn = r.u32('guestSvn');
  const policy = u64(r.take(8, 'policy'));
  const familyId = r.take(16, 'familyId');
  const imageId = r.take(16, 'imageId');
  const vmpl = r.u32('vmpl');
  const signatureAlgo = r.u32('signatureAlgo');
  if (signatureAlgo !== SIG_ALGO_ECDSA_P384_SHA384)
    r.fail(`unknown signature algorithm ${signatureAlgo} (1 = ECDSA P-384 with SHA-384)`, 'signatureAlgo', 0x34);
  const currentTcb = r.take(8, 'currentTcb');
  const platformInfo = u64(r.take(8, 'platformInfo'));
  const keyInfo = r.u32('keyInfo');
  if (keyInfo >>> 5 !== 0) reserved.push('KEY_INFO bits 5-31');
  if ((policy & POLICY_MBO) === 0n) reserved.push('POLICY bit 17 (must be one)');
  if (policy >> 26n !== 0n) reserved.push('POLICY bits 26-63');
  zero(4, 'reserved 0x4C');
  const reportData = r.take(64, 'reportData');
  const measurement = r.take(48, 'measurement');
  const hostData = r.take(32, 'hostData');
  const idKeyDigest = r.take(48, 'idKeyDigest');
  const authorKeyDigest = r.take(48, 'authorKeyDigest');
  const reportId = r.take(32, 'reportId');
  const reportIdMa = r.take(32, 'reportIdMa');
  const reportedTcb = r.take(8, 'reportedTcb');
  const cpuidBytes = r.take(3, 'cpuid');
  const cpuid = version >= 3 ? { family: cpuidBytes[0]!, model: cpuidBytes[1]!, stepping: cpuidBytes[2]! } : undefined;
  if (version < 3 && !isAllZero(cpuidBytes)) reserved.push('reserved 0x188');
  zero(0x1a0 - 0x18b, 'reserved 0x18B');
  const chipId = r.take(64, 'chipId');
  const committedTcb = r.take(8, 'committedTcb');
  const current = { build: r.u8('currentBuild'), minor: r.u8('currentMinor'), major: r.u8('currentMajor') };
  zero(1, 'reserved 0x1EB');
  const committed = { build: r.u8('committedBuild'), minor: r.u8('committedMinor'), major: r.u8('committedMajor') };
  zero(1, 'reserved 0x1EF');
  const launchTcb = r.take(8, 'launchTcb');
  // v5 adds LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR at 0x1F8; earlier versions reserve the range.
  const mitigations = version >= 5 ? { launch: u64(r.take(8, 'launchMitVector')), current: u64(r.take(8, 'currentMitVector')) } : undefined;
  if (version < 5) zero(16, 'reserved 0x1F8');
  zero(SNP_SIGNED_SIZE - r.offset, 'reserved 0x208');
  const signature = readSignature(r);
  zero(SNP_REPORT_SIZE - r.offset, 'signature reserved');
  return {
    raw: bytes.subarray(0, SNP_REPORT_SIZE),
    signed: bytes.subarray(0, SNP_SIGNED_SIZE),
    version,
    guestSvn,
    policy,
    familyId,
    imageId,
    vmpl,
    signatureAlgo,
    currentTcb,
    platformInfo,
    keyInfo,
    reportData,
    measurement,
    hostData,
    idKeyDigest,
    authorKeyDigest,
    reportId,
    reportIdMa,
    reportedTcb,
    ...(cpuid ? { cpuid } : {}),
    chipId,
    committedTcb,
    current,
    committed,
    launchTcb,
    ...(mitigations ? { mitigations } : {}),
    signature,
    nonZeroReserved: reserved,
  };
}

/** R and S are 72-byte little-endian; for P-384 the top 24 bytes of each must be zero. */
function readSignature(r: ByteReader): Uint8Array {
  const out = new Uint8Array(96);
  for (const [i, name] of [
    [0, 'signature.r'],
    [1, 'signature.s'],
  ] as const) {
    const at = r.offset;
    const le = r.take(72, name);
    if (!isAllZero(le.subarray(48))) r.fail('P-384 signature component exceeds 48 bytes', name, at + 48);
    for (let j = 0; j < 48; j++) out[i * 48 + j] = le[47 - j]!;
  }
  return out;
}

function u64(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** KEY_INFO (0x48): bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 2-4 SIGNING_KEY (0 VCEK, 1 VLEK, 7 none). */
export function keyInfoOf(keyInfo: number): { authorKeyEn: boolean; maskChipKey: boolean; signingKey: 'VCEK' | 'VLEK' | 'NONE' | 'RESERVED' } {
  const key = (keyInfo >> 2) & 7;
  return {
    authorKeyEn: (keyInfo & 1) === 1,
    maskChipKey: (keyInfo & 2) === 2,
    signingKey: key === 0 ? 'VCEK' : key === 1 ? 'VLEK' : key === 7 ? 'NONE' : 'RESERVED',
  };
}

/** GUEST_POLICY bits (ABI spec, "GUEST_POLICY Structure"). */
export function policyBits(p: bigint) {
  const bit = (n: number) => ((p >> BigInt(n)) & 1n) === 1n;
  return {
    abiMinor: Number(p & 0xffn),
    abiMajor: Number((p >> 8n) & 0xffn),
    smt: bit(16),
    reserved17: bit(17),
    migrateMa: bit(18),
    debug: bit(19),
    singleSocket: bit(20),
    cxlAllow: bit(21),
    memAes256Xts: bit(22),
    raplDis: bit(23),
    ciphertextHiding: bit(24),
    pageSwapDisable: bit(25),
  };
}
