import type { NotEstablished } from '../check.js';

/**
 * The shape of the claims a technology emits, as reference values may name them: a closed list turns a typo
 * ("mrtd", "rtmr4") into a load error instead of a claim that silently never matches. Each module declares
 * its own (DESIGN.md claim names, byte lengths as the module emits them).
 */
export type ClaimKind = { kind: 'hex'; bytes: number } | { kind: 'int'; max: number } | { kind: 'bool' } | { kind: 'text'; max: number };

/**
 * Minimum security versions, compared component by component (as Intel compares TCB levels):
 * `int` is one number, `svn16` a 16-byte TEE_TCB_SVN, `tcb` the SNP reported TCB object.
 */
export type MinimumKind = { kind: 'int'; max: number } | { kind: 'svn16' } | { kind: 'tcb'; parts: readonly string[] };

export interface ClaimSchema {
  claims: Readonly<Record<string, ClaimKind>>;
  minimums: Readonly<Record<string, MinimumKind>>;
  /**
   * Claims whose match against a reference value establishes what a check left open (its `gap`): a TPM's
   * `akSpkiSha256` pins the attestation key, so a matching set establishes 'ak-trust'.
   */
  pins?: Readonly<Record<string, NotEstablished>>;
  /** false: the technology has no debug mode to refuse (a TPM); reference sets then do not require a debug flag. */
  debugMode?: false;
}

export const hexClaim = (bytes: number): ClaimKind => ({ kind: 'hex', bytes });
export const intClaim = (max: number): ClaimKind => ({ kind: 'int', max });
export const boolClaim: ClaimKind = { kind: 'bool' };
/** Text compared exactly, case and all (a kernel command line). */
export const textClaim = (max: number): ClaimKind => ({ kind: 'text', max });
