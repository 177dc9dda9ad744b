/**
 * TPMS_CLOCK_INFO across two quotes of one machine (TPM 2.0 Part 1, 36.6): resetCount grows at every TPM
 * reset (a reboot), restartCount at every restart or resume since that reset. Neither ever goes back on
 * one TPM, so a quote whose counters are lower than an earlier one's is from an older boot (a replay,
 * when no fresh nonce was checked), from another TPM, or from a TPM that was cleared.
 */
export interface TpmCounters {
  resetCount: number;
  restartCount: number;
}

/** The counters of an attested quote, as claims (only set when the AK's signature verified). */
export function counterClaims(c: TpmCounters): { tpmResetCount: number; tpmRestartCount: number } {
  return { tpmResetCount: c.resetCount, tpmRestartCount: c.restartCount };
}

function countersOf(claims: Readonly<Record<string, unknown>>): TpmCounters | undefined {
  const reset = claims['tpmResetCount'];
  const restart = claims['tpmRestartCount'];
  return typeof reset === 'number' && typeof restart === 'number' ? { resetCount: reset, restartCount: restart } : undefined;
}

/** What the user must know when the counters went back since the machine's previous verification; [] when they did not. */
export function counterNotes(previous: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>, since: string): string[] {
  const was = countersOf(previous);
  const now = countersOf(current);
  if (!was || !now) return [];
  const why = 'the quote comes from an older boot (a replay, unless a fresh nonce was checked), from another TPM, or the TPM was cleared';
  if (now.resetCount < was.resetCount)
    return [`TPM resetCount went back from ${was.resetCount} to ${now.resetCount} since the verification of ${since}: ${why}`];
  if (now.resetCount === was.resetCount && now.restartCount < was.restartCount)
    return [
      `TPM restartCount went back from ${was.restartCount} to ${now.restartCount} (same resetCount ${now.resetCount}) since the verification of ${since}: ${why}`,
    ];
  return [];
}
