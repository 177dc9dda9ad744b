import { productFromCpuid } from './tcb.js';
import { SNP_REPORT_SIZE } from './report.js';
import { bad, byteArray, isNone, leUint, object, onlyKeys } from './serde-values.js';

/**
 * The serde form of `AttestationReport` in the virtee `sev` crate 6.x and 7.x (src/firmware/guest/
 * types/snp.rs), which current Confidential Containers attestation agents serve inside trustee's
 * SnpEvidence: named fields, no reserved ones (`key_info`, `cpuid_fam_id`, `current {major, minor,
 * build}`, TCB versions as `{fmc, bootloader, tee, snp, microcode}`, `signature {r, s}`). The
 * crate's own encoder is inverted here: each field is written at its offset in ATTESTATION_REPORT
 * (SEV-SNP Firmware ABI spec, "ATTESTATION_REPORT Structure") and every reserved range stays zero, as
 * the crate writes it. A report whose reserved bytes were not zero cannot survive this form; its
 * signature then fails, which is right: the JSON no longer holds what the firmware signed.
 *
 * Strict: every field present with its serde type, no unknown member, and the variant fields
 * consistent with VERSION (CPUID from version 3, mitigation vectors from version 5) and with the
 * TCB_VERSION layout, so that a wrong field is MALFORMED_EVIDENCE naming its JSON path, never a
 * different report that happens to parse.
 */
type Kind = 'u32' | 'u64' | 'tcb' | 'version' | 'cpuid' | 'mit' | 'sig' | number;

const FIELDS: readonly (readonly [name: string, offset: number, kind: Kind])[] = [
  ['version', 0x00, 'u32'],
  ['guest_svn', 0x04, 'u32'],
  ['policy', 0x08, 'u64'],
  ['family_id', 0x10, 16],
  ['image_id', 0x20, 16],
  ['vmpl', 0x30, 'u32'],
  ['sig_algo', 0x34, 'u32'],
  ['current_tcb', 0x38, 'tcb'],
  ['plat_info', 0x40, 'u64'],
  ['key_info', 0x48, 'u32'],
  ['report_data', 0x50, 64],
  ['measurement', 0x90, 48],
  ['host_data', 0xc0, 32],
  ['id_key_digest', 0xe0, 48],
  ['author_key_digest', 0x110, 48],
  ['report_id', 0x140, 32],
  ['report_id_ma', 0x160, 32],
  ['reported_tcb', 0x180, 'tcb'],
  ['cpuid_fam_id', 0x188, 'cpuid'],
  ['cpuid_mod_id', 0x189, 'cpuid'],
  ['cpuid_step', 0x18a, 'cpuid'],
  ['chip_id', 0x1a0, 64],
  ['committed_tcb', 0x1e0, 'tcb'],
  ['current', 0x1e8, 'version'],
  ['committed', 0x1ec, 'version'],
  ['launch_tcb', 0x1f0, 'tcb'],
  ['launch_mit_vector', 0x1f8, 'mit'],
  ['current_mit_vector', 0x200, 'mit'],
  ['signature', 0x2a0, 'sig'],
];
const NAMES = FIELDS.map(([name]) => name);
const TCB_KEYS = ['fmc', 'bootloader', 'tee', 'snp', 'microcode'];

/** What decides the variant fields: VERSION (the crate: 2 -> V2, 3 and 4 -> V3, 5+ -> V5) and the TCB layout. */
interface Variant {
  version: number;
  /** Turin TCB_VERSION layout (byte 0 FMC): the crate decodes Turin TCBs with `fmc: Some`, others with `fmc: None`. */
  turin: boolean;
}

/**
 * sev up to 5.x names its reserved fields (`_author_key_en`, `_reserved_0`, ...) and the firmware
 * versions `current_build`...; anything else is taken for the 6.x+ form, so that a damaged 6.x+
 * report is refused naming its own fields, not those of the older form.
 */
export function isSevSerdeForm(report: Record<string, unknown>): boolean {
  return !['_author_key_en', '_reserved_0', 'current_build'].some((k) => k in report);
}

/** The exact 0x4A0 report bytes the JSON stands for; throws MALFORMED_EVIDENCE naming the JSON path. */
export function rebuildSevSerdeReport(report: Record<string, unknown>, path = 'attestation_report'): Uint8Array {
  onlyKeys(report, NAMES, path);
  const variant = variantOf(report, path);
  const out = new Uint8Array(SNP_REPORT_SIZE);
  for (const [name, offset, kind] of FIELDS) out.set(encode(report[name], kind, variant, `${path}.${name}`, offset), offset);
  return out;
}

function variantOf(report: Record<string, unknown>, path: string): Variant {
  leUint(report.version, 4, `${path}.version`);
  const version = report.version as number;
  if (version < 2) bad(`${path}.version`, `is ${version}; the sev crate and the ABI define reports from version 2`);
  const turin = !isNone(object(report.current_tcb, `${path}.current_tcb`, 0x38).fmc);
  if (version >= 3) {
    const family = leUint(report.cpuid_fam_id, 1, `${path}.cpuid_fam_id`, 0x188)[0]!;
    const model = leUint(report.cpuid_mod_id, 1, `${path}.cpuid_mod_id`, 0x189)[0]!;
    const named = productFromCpuid(family, model);
    if ((named === 'Turin') !== turin) {
      bad(
        `${path}.current_tcb.fmc`,
        `is ${turin ? 'set' : 'null'}, but CPUID family 0x${family.toString(16)} model 0x${model.toString(16)} is ${named ? `an AMD ${named}` : 'no known AMD product'}, whose TCB_VERSION ${named === 'Turin' ? 'has' : 'has no'} FMC byte`,
        0x38,
      );
    }
  }
  return { version, turin };
}

function encode(v: unknown, kind: Kind, variant: Variant, path: string, offset: number): number[] {
  if (typeof kind === 'number') return byteArray(v, kind, path, offset);
  switch (kind) {
    case 'u32':
      return leUint(v, 4, path, offset);
    case 'u64':
      return leUint(v, 8, path, offset);
    case 'tcb':
      return tcbBytes(v, variant, path, offset);
    case 'version':
      return versionBytes(v, path, offset);
    case 'cpuid':
      return optional(v, variant.version >= 3, 'version 3', 1, path, offset);
    case 'mit':
      return optional(v, variant.version >= 5, 'version 5', 8, path, offset);
    case 'sig':
      return signatureBytes(v, path, offset);
  }
}

/** CPUID (0x188-0x18A) exists from version 3, the mitigation vectors (0x1F8, 0x200) from version 5; before that the bytes are reserved. */
function optional(v: unknown, present: boolean, since: string, size: 1 | 8, path: string, offset: number): number[] {
  if (present) return leUint(v, size, path, offset);
  if (!isNone(v)) bad(path, `must be null: the field exists from report ${since}, and the ABI reserves its bytes before`, offset);
  return [];
}

/**
 * TCB_VERSION (ABI spec, "TCB_VERSION Structure"): Milan and Genoa byte 0 boot loader, 1 TEE, 6 SNP,
 * 7 microcode; Turin byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode. All four TCBs of one report
 * share its layout.
 */
function tcbBytes(v: unknown, variant: Variant, path: string, offset: number): number[] {
  const o = object(v, path, offset);
  onlyKeys(o, TCB_KEYS, path);
  const n = (k: string) => leUint(o[k], 1, `${path}.${k}`, offset)[0]!;
  if (isNone(o.fmc) === variant.turin)
    bad(`${path}.fmc`, `must be ${variant.turin ? 'a number, as in current_tcb (Turin layout)' : 'null, as in current_tcb (Milan/Genoa layout)'}`, offset);
  if (variant.turin) return [n('fmc'), n('bootloader'), n('tee'), n('snp'), 0, 0, 0, n('microcode')];
  return [n('bootloader'), n('tee'), 0, 0, 0, 0, n('snp'), n('microcode')];
}

/** CURRENT / COMMITTED version (0x1E8, 0x1EC): build, minor, major, then a reserved byte. */
function versionBytes(v: unknown, path: string, offset: number): number[] {
  const o = object(v, path, offset);
  onlyKeys(o, ['major', 'minor', 'build'], path);
  return ['build', 'minor', 'major'].map((k) => leUint(o[k], 1, `${path}.${k}`, offset)[0]!);
}

/** SIGNATURE (ABI spec, "ECDSA P-384 with SHA-384 Signature"): R and S of 72 bytes each; the 368 reserved bytes after them stay zero. */
function signatureBytes(v: unknown, path: string, offset: number): number[] {
  const o = object(v, path, offset);
  onlyKeys(o, ['r', 's'], path);
  return [...byteArray(o.r, 72, `${path}.r`, offset), ...byteArray(o.s, 72, `${path}.s`, offset + 72)];
}
