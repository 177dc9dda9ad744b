import type { Technology } from '../tee/registry.js';

// The technologies are the registry's; re-exported for the reference-values code that reads them here.
export { TECHNOLOGIES } from '../tee/registry.js';
export type { Technology } from '../tee/registry.js';

/**
 * Which claims a reference set may name, per technology, and the shape of their values. A closed list
 * turns a typo ("mrtd", "rtmr4") into a load error instead of a claim that silently never matches.
 * Names and byte lengths follow the claims each technology module emits (DESIGN.md); the tables are
 * keyed by the registry's Technology, so a new technology without claims here does not compile.
 */

export type ClaimKind = { kind: 'hex'; bytes: number } | { kind: 'int'; max: number } | { kind: 'bool' };

const hex = (bytes: number): ClaimKind => ({ kind: 'hex', bytes });
const int = (max: number): ClaimKind => ({ kind: 'int', max });
const bool: ClaimKind = { kind: 'bool' };

export const CLAIM_KINDS: Record<Technology, Record<string, ClaimKind>> = {
  sgx: {
    mrEnclave: hex(32),
    mrSigner: hex(32),
    isvProdId: int(0xffff),
    attributes: hex(16),
    configId: hex(64),
    isvExtProdId: hex(16),
    isvFamilyId: hex(16),
    reportData: hex(64),
  },
  tdx: {
    mrTd: hex(48),
    mrConfigId: hex(48),
    mrOwner: hex(48),
    mrOwnerConfig: hex(48),
    mrServiceTd: hex(48),
    rtmr0: hex(48),
    rtmr1: hex(48),
    rtmr2: hex(48),
    rtmr3: hex(48),
    tdAttributes: hex(8),
    xfam: hex(8),
    mrSeam: hex(48),
    mrSignerSeam: hex(48),
    seamAttributes: hex(8),
    reportData: hex(64),
  },
  'sev-snp': {
    measurement: hex(48),
    hostData: hex(32),
    idKeyDigest: hex(48),
    authorKeyDigest: hex(48),
    reportId: hex(32),
    chipId: hex(64),
    reportData: hex(64),
    vmpl: int(3),
    // Guest policy bits (the claims' `policy` object), so a set can require e.g. no SMT or no migration agent.
    'policy.abiMajor': int(255),
    'policy.abiMinor': int(255),
    'policy.smt': bool,
    'policy.migrateMa': bool,
    'policy.singleSocket': bool,
    'policy.cxlAllow': bool,
    'policy.memAes256Xts': bool,
    'policy.raplDis': bool,
    'policy.ciphertextHiding': bool,
    'policy.pageSwapDisable': bool,
  },
};

/**
 * Minimum security versions, compared component by component (as Intel compares TCB levels):
 * `int` is one number, `svn16` a 16-byte TEE_TCB_SVN, `tcb` the SNP reported TCB object.
 */
export type MinimumKind = { kind: 'int'; max: number } | { kind: 'svn16' } | { kind: 'tcb'; parts: readonly string[] };

export const MINIMUM_KINDS: Record<Technology, Record<string, MinimumKind>> = {
  sgx: { isvSvn: { kind: 'int', max: 0xffff }, configSvn: { kind: 'int', max: 0xffff } },
  tdx: { teeTcbSvn: { kind: 'svn16' } },
  'sev-snp': { reportedTcb: { kind: 'tcb', parts: ['bootloader', 'tee', 'snp', 'microcode', 'fmc'] } },
};

/** The evidence's value of a claim in reference form: lower-case hex or a decimal integer; null when absent. */
export function actualValue(claims: Record<string, unknown>, name: string): string | null {
  // Dotted names reach into object claims ("policy.smt"); own members only.
  const v = name
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), claims);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}
