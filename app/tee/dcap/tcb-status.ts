/**
 * Intel TCB statuses and how they combine. Intel's QVL converges the platform status with the
 * QE and TDX module statuses: an out-of-date part makes the whole OutOfDate, keeping the
 * "configuration needed" flag; Revoked wins over everything.
 */
export const TCB_STATUSES = [
  'UpToDate',
  'SWHardeningNeeded',
  'ConfigurationNeeded',
  'ConfigurationAndSWHardeningNeeded',
  'OutOfDate',
  'OutOfDateConfigurationNeeded',
  'Revoked',
] as const;

export type TcbStatus = (typeof TCB_STATUSES)[number];

export function isTcbStatus(value: unknown): value is TcbStatus {
  return typeof value === 'string' && (TCB_STATUSES as readonly string[]).includes(value);
}

interface Flags {
  outOfDate: boolean;
  config: boolean;
  swHardening: boolean;
  revoked: boolean;
}

function flags(s: TcbStatus): Flags {
  return {
    revoked: s === 'Revoked',
    outOfDate: s === 'OutOfDate' || s === 'OutOfDateConfigurationNeeded',
    config: s === 'ConfigurationNeeded' || s === 'ConfigurationAndSWHardeningNeeded' || s === 'OutOfDateConfigurationNeeded',
    swHardening: s === 'SWHardeningNeeded' || s === 'ConfigurationAndSWHardeningNeeded',
  };
}

/** The worst of several statuses, as Intel's QVL converges platform, QE and TDX module statuses. */
export function mergeTcbStatus(...statuses: TcbStatus[]): TcbStatus {
  const f = statuses.map(flags);
  const any = (k: keyof Flags) => f.some((x) => x[k]);
  if (any('revoked')) return 'Revoked';
  if (any('outOfDate')) return any('config') ? 'OutOfDateConfigurationNeeded' : 'OutOfDate';
  if (any('config')) return any('swHardening') ? 'ConfigurationAndSWHardeningNeeded' : 'ConfigurationNeeded';
  return any('swHardening') ? 'SWHardeningNeeded' : 'UpToDate';
}

/** Advisory IDs united in order of first appearance. */
export function mergeAdvisories(...lists: readonly string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** What each status means for someone deciding whether to trust the platform. */
export const TCB_STATUS_MEANING: Record<TcbStatus, string> = {
  UpToDate: 'the platform runs the latest security patches Intel has published for it',
  SWHardeningNeeded: 'the platform is patched, but some advisories need software mitigations in the enclave or TD',
  ConfigurationNeeded: 'the platform is patched, but its BIOS configuration leaves it exposed to known advisories',
  ConfigurationAndSWHardeningNeeded: 'the platform is patched, but needs both a configuration change and software mitigations',
  OutOfDate: 'the platform misses security patches: known vulnerabilities apply until it is updated',
  OutOfDateConfigurationNeeded: 'the platform misses security patches and also needs a configuration change',
  Revoked: 'Intel has revoked this platform TCB: its attestation cannot be trusted',
};
