import type { ClaimKind } from '../claim-schema.js';
import { boolClaim as bool, hexClaim as hex, textClaim as text } from '../claim-schema.js';
import type { EventLogClaims } from './claims.js';

/**
 * What a replayed event log adds to a result's claims, under `boot.`: only facts of a log whose replay
 * matched signed registers (check-replay.ts), only the scalar ones (lists are shown, not appraised yet).
 * `digestBytes` is the bank the image digests are in: 48 for a CC event log (SHA-384), 32 for a TPM log.
 */
export function bootClaimSchema(digestBytes: number): Readonly<Record<string, ClaimKind>> {
  return {
    'boot.secureBoot': bool,
    'boot.pk': hex(32),
    'boot.kek': hex(32),
    'boot.db': hex(32),
    'boot.dbx': hex(32),
    'boot.kernelCmdline': text(4096),
    'boot.kernelDigest': hex(digestBytes),
    'boot.kernelCmdlineDigest': hex(digestBytes),
    'boot.initrdDigest': hex(digestBytes),
  };
}

const SCALARS = ['secureBoot', 'pk', 'kek', 'db', 'dbx', 'kernelCmdline', 'kernelDigest', 'kernelCmdlineDigest', 'initrdDigest'] as const;

/** The appraisable facts of a log's claims, as the `boot` claim object. */
export function bootClaims(claims: EventLogClaims | undefined): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const k of SCALARS) {
    const v = claims?.[k];
    if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
