import type { CheckCatalogue, CheckSpec } from '../../check.js';

const check = (id: string, title: string, fix: string): CheckSpec => ({ id, title, crypto: false, mandatory: true, fix });

/**
 * The checks of an event log given beside signed register values (a TD quote's RTMRs, a TPM quote's PCRs).
 * Not cryptographic on their own: the log proves what booted only through the signed registers it replays to.
 */
export const EVENTLOG_CHECKS = {
  format: check(
    'eventlog.format',
    'Event log is well formed',
    'Supply the event log exactly as the guest exposes it (/sys/firmware/acpi/tables/data/CCEL for TDX, /sys/kernel/security/tpm0/binary_bios_measurements for a TPM).',
  ),
  replay: check(
    'eventlog.replay',
    'Event log replays to the signed register values',
    'The log does not describe this boot: collect the log and the quote from the same machine at the same time; if they were, the log was altered.',
  ),
} as const satisfies CheckCatalogue;

export const EVENTLOG_CHECK_SPECS: readonly CheckSpec[] = Object.values(EVENTLOG_CHECKS);
