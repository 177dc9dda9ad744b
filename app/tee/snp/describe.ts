import { toHex } from '../../bytes/hex.js';
import { iso } from '../../pki/chain.js';
import { keyInfoOf, policyBits } from './report.js';
import type { SnpReport } from './report.js';
import { decodeTcb } from './tcb.js';
import type { SnpProduct } from './tcb.js';
import type { VekInfo } from './vek.js';

const hex64 = (v: bigint) => `0x${v.toString(16)}`;

/** SEV-SNP claims (DESIGN.md names), lower-case hex for byte fields. */
export function snpClaims(r: SnpReport, product: SnpProduct): Record<string, unknown> {
  const p = policyBits(r.policy);
  const { signingKey } = keyInfoOf(r.keyInfo);
  return {
    measurement: toHex(r.measurement),
    hostData: toHex(r.hostData),
    idKeyDigest: toHex(r.idKeyDigest),
    authorKeyDigest: toHex(r.authorKeyDigest),
    reportId: toHex(r.reportId),
    chipId: toHex(r.chipId),
    reportedTcb: decodeTcb(r.reportedTcb, product),
    policy: p,
    vmpl: r.vmpl,
    reportData: toHex(r.reportData),
    signingKey: signingKey.toLowerCase(),
    debug: p.debug,
    guestSvn: r.guestSvn,
    familyId: toHex(r.familyId),
    imageId: toHex(r.imageId),
  };
}

/** Every decoded field, in the manifest's shape, for the field viewer and the report. */
export function describeSnp(r: SnpReport, product: SnpProduct, vek?: VekInfo): Record<string, unknown> {
  const k = keyInfoOf(r.keyInfo);
  const f: Record<string, unknown> = {
    version: r.version,
    guestSvn: r.guestSvn,
    policy: hex64(r.policy),
    policyBits: policyBits(r.policy),
    familyId: toHex(r.familyId),
    imageId: toHex(r.imageId),
    vmpl: r.vmpl,
    signatureAlgo: r.signatureAlgo,
    currentTcb: decodeTcb(r.currentTcb, product),
    platformInfo: hex64(r.platformInfo),
    keyInfo: r.keyInfo,
    authorKeyEn: k.authorKeyEn,
    maskChipKey: k.maskChipKey,
    signingKey: k.signingKey,
    reportData: toHex(r.reportData),
    measurement: toHex(r.measurement),
    hostData: toHex(r.hostData),
    idKeyDigest: toHex(r.idKeyDigest),
    authorKeyDigest: toHex(r.authorKeyDigest),
    reportId: toHex(r.reportId),
    reportIdMa: toHex(r.reportIdMa),
    reportedTcb: decodeTcb(r.reportedTcb, product),
    chipId: toHex(r.chipId),
    committedTcb: decodeTcb(r.committedTcb, product),
    currentBuild: r.current.build,
    currentMinor: r.current.minor,
    currentMajor: r.current.major,
    committedBuild: r.committed.build,
    committedMinor: r.committed.minor,
    committedMajor: r.committed.major,
    launchTcb: decodeTcb(r.launchTcb, product),
    product,
  };
  if (r.cpuid) Object.assign(f, { cpuidFamId: byte(r.cpuid.family), cpuidModId: byte(r.cpuid.model), cpuidStep: byte(r.cpuid.stepping) });
  if (r.mitigations) Object.assign(f, { launchMitVector: hex64(r.mitigations.launch), currentMitVector: hex64(r.mitigations.current) });
  if (vek) {
    const t = vek.tcb;
    f.endorsementKey = {
      cn: vek.cert.subject.cn,
      issuerCn: vek.cert.issuer.cn,
      productName: vek.productName,
      blSPL: t.bootloader,
      teeSPL: t.tee,
      snpSPL: t.snp,
      ucodeSPL: t.microcode,
      ...(t.fmc !== undefined ? { fmcSPL: t.fmc } : {}),
      ...(vek.hwId ? { hwId: toHex(vek.hwId) } : {}),
      notBefore: iso(vek.cert.notBefore),
      notAfter: iso(vek.cert.notAfter),
    };
  }
  return f;
}

function byte(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}
