import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A stand-in /sys for the collector (SYSFS_ROOT): the files a TDX guest, a TPM or an Azure VM expose,
 * with the modes the kernel gives them (the event logs are root-only: 0400 CCEL, 0440 TPM log).
 */
export interface StandInSysfs {
  ccel?: { table?: Uint8Array; data?: Uint8Array };
  /** /sys/kernel/security/tpm0/binary_bios_measurements; `tpm` alone makes /sys/class/tpm/tpm0. */
  tpmLog?: Uint8Array;
  tpm?: boolean;
  /** /sys/class/dmi/id/sys_vendor, e.g. "Microsoft Corporation". */
  vendor?: string;
}

export const SYSFS_PATHS = {
  ccelTable: 'firmware/acpi/tables/CCEL',
  ccelData: 'firmware/acpi/tables/data/CCEL',
  tpmLog: 'kernel/security/tpm0/binary_bios_measurements',
  tpm: 'class/tpm/tpm0',
  vendor: 'class/dmi/id/sys_vendor',
} as const;

/** Builds the tree; returns its root (what SYSFS_ROOT takes). Directories stay traversable by any user. */
export function standInSysfs(s: StandInSysfs): string {
  const root = mkdtempSync(join(tmpdir(), 'tee-sysfs-'));
  chmodSync(root, 0o755);
  const put = (rel: string, bytes: Uint8Array | string, mode: number) => {
    const file = join(root, rel);
    mkdirTree(root, dirname(rel));
    writeFileSync(file, bytes);
    chmodSync(file, mode);
  };
  if (s.ccel?.table) put(SYSFS_PATHS.ccelTable, s.ccel.table, 0o400);
  if (s.ccel?.data) put(SYSFS_PATHS.ccelData, s.ccel.data, 0o400);
  if (s.tpmLog) put(SYSFS_PATHS.tpmLog, s.tpmLog, 0o440);
  if (s.tpm || s.tpmLog) mkdirTree(root, SYSFS_PATHS.tpm);
  if (s.vendor !== undefined) put(SYSFS_PATHS.vendor, `${s.vendor}\n`, 0o444);
  return root;
}

function mkdirTree(root: string, rel: string): void {
  let at = root;
  for (const part of rel.split('/').filter(Boolean)) {
    at = join(at, part);
    mkdirSync(at, { recursive: true });
    chmodSync(at, 0o755);
  }
}
