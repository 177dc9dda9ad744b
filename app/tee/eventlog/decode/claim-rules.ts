import type { LogFormat } from '../replay.js';

/**
 * Where each kind of measurement belongs (PFP 3.3.4, Table 1; TDX maps PCRs onto CC MR indexes, as in
 * go-eventlog's RTMRRegisterConfig and the TDX guest-hypervisor spec: PCR1,7 -> RTMR0; PCR2-6 -> RTMR1;
 * PCR8-15 -> RTMR2). The register an event names is not covered by its digest either, but it is by the
 * replay: a fact is taken only from the register the firmware or boot loader measures it into, so an event
 * extended later into another register (PCR14, RTMR3) cannot pose as one.
 */
export interface ClaimRegisters {
  secureBoot: string;
  bootApplications: string;
  exitBootServices: string;
  grubCommands: string;
  grubFiles: string;
  stubTags: string;
}

export const CLAIM_REGISTERS: Readonly<Record<LogFormat, ClaimRegisters>> = {
  tcg: { secureBoot: 'pcr7', bootApplications: 'pcr4', exitBootServices: 'pcr5', grubCommands: 'pcr8', grubFiles: 'pcr9', stubTags: 'pcr9' },
  ccel: { secureBoot: 'rtmr0', bootApplications: 'rtmr1', exitBootServices: 'rtmr1', grubCommands: 'rtmr2', grubFiles: 'rtmr2', stubTags: 'rtmr2' },
};

export type ClaimValueKind = 'bool' | 'sha256' | 'register-digest' | 'register-digest-list' | 'text' | 'text-list';

/** One claim an event log yields, as reference values (tee-inspect/reference/v1) may name it. */
export interface EventLogClaimSpec {
  name: string;
  kind: ClaimValueKind;
  /** 'digest-of-data': read from event data whose digest was recomputed; 'logged-digest': the event's own digest. */
  basis: 'digest-of-data' | 'logged-digest';
  meaning: string;
}

/**
 * The closed list of event-log claims. register-digest values are hex of the log's claim bank (SHA-256 for a
 * TPM log, SHA-384 for a CC event log); sha256 values are SHA-256 of the variable data whatever the bank.
 */
export const EVENTLOG_CLAIMS: readonly EventLogClaimSpec[] = [
  { name: 'secureBoot', kind: 'bool', basis: 'digest-of-data', meaning: 'the SecureBoot variable measured by the firmware (1 = on)' },
  { name: 'pk', kind: 'sha256', basis: 'digest-of-data', meaning: 'SHA-256 of the platform key (PK) variable data' },
  { name: 'kek', kind: 'sha256', basis: 'digest-of-data', meaning: 'SHA-256 of the key exchange keys (KEK) variable data' },
  { name: 'db', kind: 'sha256', basis: 'digest-of-data', meaning: 'SHA-256 of the allowed signature database (db) variable data' },
  { name: 'dbx', kind: 'sha256', basis: 'digest-of-data', meaning: 'SHA-256 of the forbidden signature database (dbx) variable data' },
  { name: 'kernelCmdline', kind: 'text', basis: 'digest-of-data', meaning: "the kernel command line GRUB measured (without GRUB's prefix and NUL)" },
  { name: 'grubCommands', kind: 'text-list', basis: 'digest-of-data', meaning: 'the GRUB commands measured, in order (without the prefix)' },
  {
    name: 'bootLoaderDigests',
    kind: 'register-digest-list',
    basis: 'logged-digest',
    meaning: 'digests of the EFI boot applications loaded before ExitBootServices',
  },
  {
    name: 'kernelDigest',
    kind: 'register-digest',
    basis: 'logged-digest',
    meaning: 'digest of the kernel image (GRUB file event, or an EFI application named kernel/vmlinuz)',
  },
  {
    name: 'kernelCmdlineDigest',
    kind: 'register-digest',
    basis: 'logged-digest',
    meaning: 'digest of the load options (kernel command line) the Linux EFI stub measured',
  },
  { name: 'initrdDigest', kind: 'register-digest', basis: 'logged-digest', meaning: 'digest of the initrd (Linux EFI stub tag, or a GRUB file named initrd)' },
];
